"""Service events in bulk: the after-sales desk's daily list of deliveries and repairs."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from csoffice import customers
from csoffice.customers import CustomerInput
from csoffice.db.models import Customer, ReturnVisit, ServiceEvent
from csoffice.event_import import EventPlan, EventsRejected, kind_of, run_import
from tests.conftest import run_cli
from tests.office_sheets import ID_LI, convert

TODAY = dt.date.today()


def dealer_sheet(path, unknown: bool = True):
    """Rows 1 title, 2 blank, 3 header, 4–8 events, 9 totals, 10 signature."""
    book = Workbook()
    sheet = book.active
    sheet.title = "售后日报"
    sheet["A1"] = "售后服务部 交车/维修日报"
    sheet.append([])
    sheet.append(
        [
            "序号",
            "客户姓名",
            "联系电话",
            "身份证号",
            "车型",
            "车牌号",
            "车架号",
            "业务类型",
            "日期",
            "金额（元）",
            "销售顾问/技师",
            "备注",
        ]
    )
    rows = [
        [
            1,
            "张三",
            13812345678,
            None,
            "卡罗拉",
            "粤B12345",
            "LVGBE40K8FG000001",
            "新车交付",
            TODAY - dt.timedelta(days=8),
            129800,
            "刘销售",
            "",
        ],
        [
            2,
            "李四",
            None,
            ID_LI,
            "凯美瑞",
            "粤B54321",
            None,
            "事故维修",
            (TODAY - dt.timedelta(days=4)).strftime("%Y年%m月%d日"),
            "3250.50",
            "王师傅",
            "前杠",
        ],
        [
            3,
            "王五",
            "13712345678",
            None,
            "RAV4",
            None,
            None,
            "首保",
            (TODAY - dt.timedelta(days=2)).strftime("%Y.%m.%d"),
            None,
            "王师傅",
            "",
        ],
        [
            4,
            "赵六" if unknown else "王五",
            "15012345678" if unknown else "13712345678",
            None,
            "汉兰达",
            None,
            None,
            "保养",
            TODAY.strftime("%Y%m%d"),
            None,
            "",
            "",
        ],
        [
            5,
            "张三",
            "138 1234 5678",
            None,
            "卡罗拉",
            "粤B12345",
            "LVGBE40K8FG000001",
            "续保",
            TODAY - dt.timedelta(days=1),
            4800,
            "",
            "",
        ],
    ]
    for values in rows:
        sheet.append(values)
    sheet.append(["合计", None, None, None, None, None, None, None, None, 137850.5])
    sheet.append(["制表：陈洁"])
    book.save(path)
    return path


@pytest.fixture
def archive(manager):
    customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    customers.create(manager, CustomerInput(name="李四", id_number=ID_LI))
    customers.create(manager, CustomerInput(name="王五"))


def test_kind_words():
    assert [
        kind_of(w)
        for w in [
            "新车交付",
            "事故维修",
            "首保",
            "续保",
            "年审",
            "交房",
            "Purchase",
            "维修",
            "吃饭",
        ]
    ] == [
        "delivery",
        "repair",
        "maintenance",
        "insurance",
        "inspection",
        "handover",
        "purchase",
        "repair",
        "",
    ]


def test_events_import_match_schedule_and_are_idempotent(manager, archive, tmp_path):
    path = dealer_sheet(tmp_path / "售后.xlsx", unknown=False)
    plan = EventPlan.read(path)
    assert plan.header_number == 3
    result = run_import(manager, plan)
    assert (result.created, result.duplicates, result.customers_created) == (5, 0, 0)
    assert [n for n, _r in result.skipped] == [9, 10]
    zhang = Customer.get(Customer.name == "张三")
    delivery = ServiceEvent.get(ServiceEvent.kind == "delivery")
    assert delivery.customer_id == zhang.id
    assert delivery.product == "卡罗拉 粤B12345 LVGBE40K8FG000001"
    assert delivery.handled_by == "刘销售" and float(delivery.amount) == 129800
    repair = ServiceEvent.get(ServiceEvent.kind == "repair")
    assert repair.customer.name == "李四" and float(repair.amount) == 3250.5
    assert repair.date == TODAY - dt.timedelta(days=4) and repair.note == "前杠"
    assert ServiceEvent.select().where(ServiceEvent.kind == "maintenance").count() == 2
    # the 7-day call for the delivery and the 3-5-day call for the repair fell due
    assert result.visits_scheduled == 2
    kinds = {(v.kind, v.service_event_id) for v in ReturnVisit.select()}
    assert kinds == {("7dc", delivery.id), ("3dc", repair.id)}
    again = run_import(manager, EventPlan.read(path))
    assert (again.created, again.duplicates, again.visits_scheduled) == (0, 5, 0)
    assert ServiceEvent.select().count() == 5 and ReturnVisit.select().count() == 2


def test_unmatched_customer_rejects_the_file_unless_asked(manager, archive, tmp_path):
    path = dealer_sheet(tmp_path / "售后.xlsx")
    with pytest.raises(EventsRejected) as info:
        run_import(manager, EventPlan.read(path))
    ((number, reason),) = info.value.result.rejected
    assert number == 7 and "赵六" in reason
    assert ServiceEvent.select().count() == 0
    result = run_import(manager, EventPlan.read(path), skip_invalid=True)
    assert result.created == 4 and ServiceEvent.select().count() == 4
    result = run_import(manager, EventPlan.read(path), create_customers=True)
    assert (result.created, result.customers_created, result.duplicates) == (1, 1, 4)
    assert Customer.get(Customer.name == "赵六").mobile == "15012345678"


def test_an_import_announces_what_it_wrote_once_it_is_kept(manager, archive, tmp_path):
    """The importer tells the change hub itself, once per kind, after its transaction: the
    new customers, the events, the return visits the rules scheduled."""
    from csoffice import changes
    from csoffice.changes import Change
    from csoffice.db.models import AuditLog

    heard: list[Change] = []
    stop = changes.subscribe(heard.append)
    try:
        path = dealer_sheet(tmp_path / "售后.xlsx")
        with pytest.raises(EventsRejected):
            run_import(manager, EventPlan.read(path))
        assert heard == []  # refused: nothing written, nothing told
        run_import(manager, EventPlan.read(path), create_customers=True)
        assert sorted(heard) == sorted([Change.CUSTOMER, Change.SERVICE_EVENT, Change.VISIT])
        heard.clear()
        again = run_import(manager, EventPlan.read(path), create_customers=True)
        assert again.created == 0 and heard == []  # nothing new, nothing told
    finally:
        stop()
    zhao = Customer.get(Customer.name == "赵六")
    # The new file is searchable by its initials and its opening is in the audit trail.
    assert customers.search_ids(customers.SearchFilter(text="zl")) == [zhao.id]
    assert (
        AuditLog.select().where(AuditLog.entity == "customer", AuditLog.action == "import").exists()
    )


def test_bad_rows_carry_the_sheets_row_number(manager, archive, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "维修登记\n客户姓名,电话,业务类型,日期\n张三,13812345678,吃饭,2026-11-01\n"
        "张三,13812345678,维修,2026-13-01\n李四,12345,维修,2026-11-01\n",
        encoding="gb18030",
    )
    with pytest.raises(EventsRejected) as info:
        run_import(manager, EventPlan.read(path))
    numbers = [n for n, _r in info.value.result.rejected]
    assert numbers == [3, 4, 5]


def test_command_line_and_libreoffice_ods(tmp_path, manager, archive):
    from csoffice.db.database import close_database

    close_database()
    db_path = str(tmp_path / "test.sqlite3")
    source = dealer_sheet(tmp_path / "售后.xlsx")
    ods = convert(source, "ods", tmp_path / "ods")
    result = run_cli("--db", db_path, "import", "events", str(ods), home=tmp_path / "home")
    assert result.returncode == 1 and "第 7 行" in result.stdout, result.stdout + result.stderr
    result = run_cli(
        "--db", db_path, "import", "events", str(ods), "--create-customers", home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    assert "已导入服务记录：5" in result.stdout and "新建客户：1" in result.stdout
    result = run_cli("--db", db_path, "import", "events", str(ods), home=tmp_path / "home")
    assert result.returncode == 0 and "已导入服务记录：0" in result.stdout
