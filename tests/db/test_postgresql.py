"""The same features on PostgreSQL as on SQLite: search, numbering and points between desks,
optimistic locking, and moving an office's database across."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from csoffice import auth, complaints, customers, members
from csoffice.customers import CustomerInput, SearchFilter
from csoffice.db.copy import copy_database
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import Complaint, MemberCard, PointsEntry, Staff
from csoffice.errors import Conflict, CsofficeError, ValidationError
from tests.conftest import run_cli

PEOPLE = [
    ("张三", "13812345678", "11010519491231002X", "幸福汽车销售有限公司"),
    ("张三丰", "13912340000", "", ""),
    ("曾国藩", "13700005678", "", "湖南商会"),
    ("单田芳", "13600001111", "", ""),
    ("解晓东", "13500002222", "", ""),
    ("区志强", "13400003333", "", ""),
    ("朴美兰", "13300004444", "", ""),
    ("乐嘉怡", "13200005555", "", ""),
    ("刘䶮", "13100006666", "", ""),
    ("王芳", "15000007777", "", "幸福家电"),
]
QUERIES = [
    "张",
    "三",
    "张三",
    "张三丰",
    "䶮",
    "刘䶮",
    "zs",
    "zsf",
    "zhangs",
    "zgf",
    "zeng",
    "cgf",
    "stf",
    "shan",
    "xie",
    "ouzhiqiang",
    "piao",
    "yue",
    "5678",
    "138",
    "13812345678",
    "11010519491231002x",
    "幸福",
    "幸福汽车",
    "商会",
    "qqq",
    "880001",
]


def load_people(actor) -> None:
    for name, mobile, ident, company in PEOPLE:
        customers.create(
            actor, CustomerInput(name=name, mobile=mobile, id_number=ident, company=company)
        )


def results(query: str) -> list[str]:
    ids = customers.search_ids(SearchFilter(text=query))
    return [row.name for row in customers.rows(ids)]


def test_every_search_kind_gives_the_same_answer_on_both(tmp_path, pg_url):
    answers = {}
    for url in (str(tmp_path / "x.sqlite3"), pg_url):
        open_database(url)
        manager = auth.default_manager()
        load_people(manager)
        customer = customers.search_ids(SearchFilter(text="王芳"))[0]
        card = members.enrol(manager, customer)
        answers[url] = {query: results(query) for query in [*QUERIES, card.card_no[:6]]}
        close_database()
    sqlite_answers, pg_answers = answers.values()
    assert sqlite_answers == pg_answers
    assert sqlite_answers["zgf"] == ["曾国藩"] and set(sqlite_answers["张"]) == {"张三", "张三丰"}


def test_complaint_numbers_stay_unique_and_gap_free_between_desks(pg_url):
    open_database(pg_url)
    manager = auth.default_manager()
    customer = customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    errors: list[BaseException] = []

    def desk(count: int) -> None:
        try:
            for _ in range(count):
                complaints.create(
                    manager,
                    complaints.ComplaintInput(
                        channel="phone",
                        customer_id=customer.id,
                        category="quality",
                        severity="ordinary",
                        facts="空调不制冷",
                        desired_outcome="上门维修",
                    ),
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=desk, args=(10,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(c.number for c in Complaint.select())
    assert len(numbers) == len(set(numbers)) == 30
    assert sorted(c.number_seq for c in Complaint.select()) == list(range(1, 31))
    close_database()


def test_second_save_of_a_customer_is_refused(pg_url):
    open_database(pg_url)
    manager = auth.default_manager()
    clerk = auth.create_staff(manager, "clerk1", "王芳", auth.Role.CLERK)
    customer = customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    first, second = customers.to_input(customer), customers.to_input(customer)
    first.address, second.address = "北京", "上海"
    customers.update(clerk, customer.id, first, customer.version)
    with pytest.raises(Conflict, match="王芳"):
        customers.update(manager, customer.id, second, customer.version)
    assert customers.get(customer.id).address == "北京"
    close_database()


def test_two_desks_cannot_overdraw_a_card(pg_url):
    open_database(pg_url)
    manager = auth.default_manager()
    customer = customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    card = members.enrol(manager, customer.id)
    members.adjust(manager, card.card_no, 100, "开卡赠送")
    gift = members.create_gift(manager, "保温杯", 80, stock=10)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def desk() -> None:
        try:
            barrier.wait()
            members.redeem(manager, card.card_no, gift.id)
            outcomes.append("ok")
        except (Conflict, ValidationError):
            outcomes.append("refused")
        finally:
            db.close()

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    balance = MemberCard.get(MemberCard.card_no == card.card_no).balance
    assert (
        balance
        == 20
        == sum(e.points for e in PointsEntry.select().where(PointsEntry.card == card.id))
    )
    close_database()


def test_moving_an_office_to_postgresql_and_back(tmp_path, pg_url):
    source = tmp_path / "office.sqlite3"
    result = run_cli(
        "--db", str(source), "demo", "--customers", "40", "--months", "1", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", str(source), "migrate-to", pg_url, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ERR" not in result.stdout and "customer: " in result.stdout
    back = tmp_path / "back.sqlite3"
    report = copy_database(pg_url, str(back))
    assert report.ok
    with sqlite3.connect(source) as one, sqlite3.connect(back) as two:
        query = "SELECT id, name, mobile, created_by_id FROM customer ORDER BY id"
        assert one.execute(query).fetchall() == two.execute(query).fetchall()
    one.close()
    two.close()
    # The copy goes on numbering where the original stopped.
    open_database(pg_url)
    assert Staff.create(username="new", display_name="新员工").id > 1
    close_database()
    with pytest.raises(CsofficeError):
        copy_database(str(source), pg_url)  # the target already holds data


def test_demo_and_check_run_on_postgresql(tmp_path, pg_url):
    result = run_cli("--db", pg_url, "demo", "--customers", "30", "--months", "1", home=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_cli("--db", pg_url, "check", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_backup_of_postgresql_uses_pg_dump(tmp_path, pg_url, monkeypatch):
    import shutil

    from csoffice import backup

    open_database(pg_url)
    manager = auth.default_manager()
    customers.create(manager, CustomerInput(name="张三", mobile="13812345678"))
    if shutil.which("pg_dump"):
        out = backup.backup_to(manager, tmp_path / "office.dump")
        assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(CsofficeError, match="pg_dump"):
        backup.backup_to(manager, tmp_path / "again.dump")
    close_database()
