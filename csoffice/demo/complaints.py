"""Demo complaints: one to three a day over the demo months, many turned from the day's complaint
receptions, in every state of the workflow — older ones closed (a few re-opened and closed
again), the last fortnight's at every step, a few overdue by a day or two, some major or group
complaints waiting for the manager — with realistic Chinese content.

Each complaint is moved through the workflow in memory by the state machine's own transitions
(complaints.TRANSITIONS), with the fields each move sets, and written in bulk."""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

from peewee import EXCLUDED

import csoffice.demo.writer as writer
from csoffice import audit, complaints, settings
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import Complaint, ComplaintStep, Counter, Reception
from csoffice.demo.desk import Desk

# category: (facts, desired outcome, result, root cause, corrective action, department)
CASES = {
    "quality": [
        (
            "新买的空调运行时有明显异响，夜间影响休息，售后上门两次仍未解决。",
            "更换整机",
            "上门检测为压缩机减震垫脱落，已为客户更换整机。",
            "出厂检验漏检减震垫装配",
            "通报厂家质量部，到货开箱增加减震垫检查项",
            "aftersales",
        ),
        (
            "车辆提车不到一个月，仪表盘多次报发动机故障灯。",
            "彻底检修并延长保修期",
            "更换氧传感器并升级发动机程序，试车正常，保修延长一年。",
            "氧传感器批次质量问题",
            "同批次车辆主动召回检查",
            "aftersales",
        ),
        (
            "冰箱冷藏室结冰，食物冻坏，已过七天退换期。",
            "免费维修并赔偿食物损失",
            "更换温控器，赠送 200 元购物券作为补偿。",
            "温控器失灵",
            "向供应商索赔并更换温控器供应商",
            "aftersales",
        ),
    ],
    "attitude": [
        (
            "客户到店咨询时销售顾问态度冷淡，长时间无人接待。",
            "销售顾问道歉",
            "店长当面致歉，并安排资深顾问专人接待。",
            "周末客流高峰人手不足，顾问未按接待规范执行",
            "调整周末排班，重新培训接待规范",
            "sales",
        ),
        (
            "客户来电投诉客服电话多次转接无人应答，最后被挂断。",
            "给个说法",
            "客服主管回电致歉，说明原因并留下直线电话。",
            "交接班时电话转接设置错误",
            "交接班检查表增加电话转接核对",
            "service",
        ),
    ],
    "delivery": [
        (
            "约定周六送货上门，当天等了一整天未送达，也无人通知。",
            "尽快送货并补偿",
            "周日上午送达并安装，减免送货费。",
            "物流排单遗漏",
            "送货前一天电话确认制度",
            "logistics",
        ),
        (
            "交房时发现厨房瓷砖空鼓、卫生间漏水。",
            "限期整改",
            "施工方已返工，闭水试验合格，客户验收签字。",
            "分包单位施工质量不合格",
            "增加交付前第三方验房",
            "property",
        ),
    ],
    "billing": [
        (
            "保养结算时多收了一项未做的项目费用 380 元。",
            "退还多收费用",
            "核实为系统录入错误，已原路退款 380 元。",
            "维修工单项目录入错误",
            "结算前与客户逐项核对工单",
            "finance",
        ),
        (
            "物业费账单重复扣款两次。",
            "退回重复扣款",
            "财务核实后已退回重复扣款。",
            "银行代扣文件重复提交",
            "代扣文件提交前由两人复核",
            "finance",
        ),
    ],
    "repair": [
        (
            "维修后同一故障一周内再次出现，需要第三次返修。",
            "一次修好，不再反复",
            "技术主管亲自检修，更换线束总成，跟踪一周无复发。",
            "前两次仅处理表面症状，未查明根因",
            "返修车辆必须由技术主管复检",
            "aftersales",
        ),
        (
            "预约维修等待时间过长，到店后又等了三个小时。",
            "缩短等待时间",
            "致歉并赠送一次免费洗车，预约系统已调整。",
            "预约时段排得过满",
            "每个时段限定预约数量",
            "aftersales",
        ),
    ],
    "property": [
        (
            "小区地下车库照明长期损坏，夜间停车不安全。",
            "尽快修复照明",
            "已更换全部损坏灯具，并增加夜间巡查。",
            "维修计划未覆盖车库照明",
            "公共设施每周巡检",
            "property",
        ),
        (
            "楼上装修噪音每天早上七点开始，影响休息。",
            "规范装修时间",
            "物业约谈装修户，重申装修时间规定并张贴公告。",
            "装修管理规定执行不严",
            "装修巡查每日两次",
            "property",
        ),
    ],
    "other": [
        (
            "会员积分未按活动规则到账。",
            "补足积分",
            "核实后补录积分 500 分。",
            "活动积分规则未配置到系统",
            "活动上线前测试积分规则",
            "service",
        ),
    ],
}
GROUP_FACTS = [
    "十余户业主联名反映小区电梯频繁故障，多次困人。",
    "同批次购车的八位车主反映车辆异响问题，要求统一处理。",
    "多名业主到售楼处反映交房时间一再推迟。",
]
OPINIONS = [
    (5, "对处理结果满意", "处理及时，态度诚恳"),
    (4, "基本满意", "问题已解决，但等待时间较长"),
    (3, "一般", "解决了问题，但过程反复"),
    (2, "不太满意", "补偿不到位"),
    (1, "不满意", "问题仍未彻底解决"),
]
REJECTIONS = [
    "经核实不属于本公司产品和服务范围，已告知客户向相关单位反映。",
    "客户反映的问题系使用不当造成，已耐心解释并提供使用指导。",
]
CATEGORY_WEIGHTS = [
    ("quality", 30),
    ("attitude", 15),
    ("delivery", 12),
    ("billing", 10),
    ("repair", 18),
    ("property", 10),
    ("other", 5),
]
OUTSIDE_HANDLERS = ["李师傅", "周工", "刘经理", "赵主管"]


@functools.cache
def _hours(severity: str) -> tuple[int, int]:
    """The office's response and resolution limits (read once per demo, not per complaint)."""
    return complaints.deadline_hours(severity)


class _Case:
    """One complaint being moved through the workflow in memory, with its timeline."""

    def __init__(self, row: dict, now: dt.datetime):
        self.row = row
        self.steps: list[dict] = []
        self.now = now
        self.clock = row["received_at"]
        self._step(row["receiver"], "receive", "received", row["received_at"])

    def _step(self, staff: int, action: str, target: str, at: dt.datetime, **extra) -> None:
        self.steps.append(
            dict(
                at=at,
                staff=staff,
                action=action,
                from_status=self.row.get("status", ""),
                to_status=target,
                note=extra.get("note", ""),
                department=extra.get("department", ""),
                assignee=extra.get("assignee", ""),
            )
        )
        self.row.update(status=target, updated_at=at, updated_by=staff)

    def later(self, rng: random.Random, low: float, high: float) -> dt.datetime:
        self.clock = min(self.now, self.clock + dt.timedelta(hours=rng.uniform(low, high)))
        return self.clock

    def move(self, staff: int, action: str, at: dt.datetime, note: str = "", **fields) -> None:
        """One move by the state machine's rules, setting what ``complaints.move`` sets."""
        target = complaints.TRANSITIONS[(action, self.row["status"])]
        row = self.row
        if row["first_response_at"] is None and action != "reopen":
            row["first_response_at"] = at
        if action == "handle":
            row["handled_at"] = at
        elif action == "close":
            row["closed_at"] = at
        elif action == "reopen":
            row.update(closed_at=None, handled_at=None, escalated_at=None)
            row["resolve_due"] = at + dt.timedelta(hours=_hours(row["severity"])[1])
        row.update(fields)
        row["version"] += 1
        self._step(
            staff,
            action,
            target,
            at,
            note=note,
            department=fields.get("department", ""),
            assignee=fields.get("handler_name", ""),
        )


def create(desk: Desk, receptions: list[dict], everyone: list[tuple]) -> int:
    """Complaints for every day of the demo months; returns how many were made."""
    _hours.cache_clear()  # this office's settings
    rng = desk.rng("complaints")
    current = desk.now
    clerks = desk.clerk_ids
    names = {person[0]: (person[1], person[2]) for person in everyone}
    customer_ids = [person[0] for person in everyone]
    # The day's complaint calls and visits from customers, which a form can be made from.
    waiting: dict[dt.date, list[dict]] = {}
    for reception in receptions:
        if (
            reception["category"] == "complaint"
            and reception["status"] == "active"
            and reception["customer"] is not None
        ):
            waiting.setdefault(reception["received_at"].date(), []).append(reception)
    planned: list[tuple[dt.datetime, str]] = []
    day = desk.start
    while day <= desk.today:
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            received = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
                minutes=rng.randrange(0, 570)
            )
            if received >= current - dt.timedelta(minutes=10):
                continue
            planned.append((received, _target(rng, (current - received).days)))
        day += dt.timedelta(days=1)
    # Every step of the workflow is on the desk, whatever the day the demo runs: the latest
    # complaint has just come in when no other still waits to be taken.
    if planned and all(target != "received" for _at, target in planned):
        planned[-1] = (planned[-1][0], "received")
    cases: list[_Case] = []
    for received, target in planned:
        case = _receive(desk, rng, clerks, customer_ids, names, received, target, waiting)
        _advance(desk, rng, case, target)
        cases.append(case)
    _write(desk, cases)
    complaints.escalate_overdue(current)
    return len(cases)


def _receive(
    desk: Desk,
    rng: random.Random,
    clerks: list[int],
    customer_ids: list[int],
    names: dict[int, tuple[str, str]],
    received: dt.datetime,
    target: str,
    waiting: dict[dt.date, list[dict]],
) -> _Case:
    category = rng.choices([c for c, _w in CATEGORY_WEIGHTS], [w for _c, w in CATEGORY_WEIGHTS])[0]
    facts, wish, *_rest = rng.choice(CASES[category])
    severity = rng.choices(["ordinary", "major", "group"], [85, 10, 5])[0]
    if target == "awaiting_manager":
        severity = rng.choice(["major", "major", "group"])
    if severity == "group":
        facts = rng.choice(GROUP_FACTS)
        wish = "统一答复并限期解决"
    row: dict[str, Any] = dict(
        received_at=received,
        reception=None,
        receiver=rng.choice(clerks),
        category=category,
        severity=severity,
        desired_outcome=wish,
    )
    day_calls = [
        r
        for r in waiting.get(received.date(), [])
        if r.get("complaint_id") is None and r["received_at"] < received
    ]
    if day_calls and rng.random() < 0.7:
        # The caller's complaint is written up as a form from the reception, without retyping.
        reception = day_calls[-1]
        customer = names.get(reception["customer"], ("", ""))
        row.update(
            received_at=reception["received_at"],
            reception=reception["id"],
            channel=reception["channel"],
            customer=reception["customer"],
            contact_name=reception["caller_name"] or customer[0],
            contact_phone=reception["caller_phone"] or customer[1],
            facts=reception["content"] or facts,
        )
        if reception["handler"] in clerks:
            row["receiver"] = reception["handler"]
        reception["complaint_id"] = -1  # taken; the id is set once the form is written
        row["_reception_row"] = reception
    else:
        customer_id = rng.choice(customer_ids) if customer_ids and rng.random() < 0.9 else None
        name, phone = names.get(customer_id, ("", "")) if customer_id else ("", "")
        row.update(
            channel=rng.choices(
                ["phone", "visit", "wechat", "email", "letter"], [50, 25, 15, 7, 3]
            )[0],
            customer=customer_id,
            contact_name=name or rng.choice(["陈先生", "林女士", "业主代表"]),
            contact_phone=phone,
            facts=facts,
        )
    response, resolve = _hours(severity)
    response_due = row["received_at"] + dt.timedelta(hours=response)
    resolve_due = row["received_at"] + dt.timedelta(hours=resolve)
    row.update(
        status="",
        department="",
        handler_name="",
        result="",
        company_at_fault=None,
        root_cause="",
        corrective_action="",
        customer_opinion="",
        satisfaction=None,
        satisfaction_reason="",
        response_due=response_due,
        resolve_due=resolve_due,
        first_response_at=None,
        handled_at=None,
        closed_at=None,
        escalated_at=None,
        version=1,
        created_at=row["received_at"],
        created_by=row["receiver"],
    )
    return _Case(row, desk.now)


def _target(rng: random.Random, age_days: int) -> str:
    """Where a complaint of this age stands now: the desk closes its complaints within days;
    the last fortnight's are at every step, and only the last days' still wait for a move."""
    if age_days > 20:
        return rng.choices(["closed", "rejected", "reclosed"], [92, 6, 2])[0]
    if age_days > 5:
        return rng.choices(
            ["closed", "informed", "handled", "rejected", "reopened", "in_progress"],
            [75, 8, 6, 5, 4, 2],
        )[0]
    if age_days >= 2:  # a major complaint's limit is a day, an ordinary one's three
        return rng.choices(
            ["received", "awaiting_manager", "in_progress", "handled", "informed", "closed"],
            [3, 2, 15, 40, 20, 20],
        )[0]
    return rng.choices(
        ["received", "awaiting_manager", "in_progress", "handled", "informed", "closed"],
        [30, 15, 35, 15, 3, 2],
    )[0]


def _advance(desk: Desk, rng: random.Random, case: _Case, target: str) -> None:
    """Move a complaint through the workflow up to ``target``, each step a little later."""
    row = case.row
    owner, manager = row["receiver"], desk.manager.id
    ordinary = row["severity"] == "ordinary"
    if target in ("received", "awaiting_manager"):
        if not ordinary and (target == "awaiting_manager" or rng.random() < 0.7):
            case.move(owner, "submit", case.later(rng, 0.1, 0.5))
        return
    if target == "rejected":
        case.move(
            owner if ordinary else manager,
            "reject",
            case.later(rng, 1, 20),
            note=rng.choice(REJECTIONS),
        )
        return
    _, _wish, result, cause, correction, department = _case(rng, row["category"])
    handed = dict(department=department, handler_name=rng.choice(OUTSIDE_HANDLERS))
    note = rng.choice(["请尽快处理并反馈", "", "请 24 小时内联系客户"])
    if not ordinary:
        case.move(owner, "submit", case.later(rng, 0.1, 0.8))
        case.move(manager, "confirm", case.later(rng, 0.2, 2), note=note, **handed)
    else:
        case.move(owner, "assign", case.later(rng, 0.5, 12), note=note, **handed)
    rounds = 2 if target == "reclosed" else 1
    for number in range(rounds):
        if target == "in_progress":
            return
        at_fault = rng.random() < 0.6
        case.move(
            owner,
            "handle",
            case.later(rng, 4, 40),
            result=result,
            company_at_fault=at_fault,
            root_cause=cause if at_fault else "",
            corrective_action=correction if at_fault else "",
        )
        if target == "handled":
            return
        score, opinion, reason = rng.choices(OPINIONS, [40, 30, 15, 10, 5])[0]
        if number:  # the second round settles it
            score, opinion, reason = OPINIONS[rng.choice([0, 1])]
        case.move(
            owner,
            "inform",
            case.later(rng, 2, 30),
            customer_opinion=opinion,
            satisfaction=score,
            satisfaction_reason=reason,
        )
        if target == "informed":
            return
        case.move(owner, "close", case.later(rng, 1, 20))
        if target in ("reopened", "reclosed") and number == 0:
            case.move(
                manager,
                "reopen",
                case.later(rng, 24, 96),
                note="客户再次来电反映问题复发，经理决定重新处理",
            )
            if target == "reopened":
                return


def _case(rng: random.Random, category: str) -> tuple:
    return rng.choice(CASES.get(category, CASES["other"]))


COMPLAINT_COLUMNS = [
    "number",
    "number_period",
    "number_seq",
    "received_at",
    "channel",
    "customer",
    "contact_name",
    "contact_phone",
    "category",
    "severity",
    "facts",
    "desired_outcome",
    "receiver",
    "status",
    "department",
    "handler_name",
    "result",
    "company_at_fault",
    "root_cause",
    "corrective_action",
    "customer_opinion",
    "satisfaction",
    "satisfaction_reason",
    "response_due",
    "resolve_due",
    "first_response_at",
    "handled_at",
    "closed_at",
    "escalated_at",
    "reception",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
]
STEP_COLUMNS = ["complaint", "at", "staff", "action", "from_status", "to_status", "note"]
STEP_COLUMNS += ["department", "assignee"]


def _write(desk: Desk, cases: list[_Case]) -> None:
    """Number the forms month by month in the order received and write everything at once."""
    cases.sort(key=lambda case: case.row["received_at"])
    fmt = functools.partial(complaints.format_number, fmt=settings.get("complaints.number_format"))
    # A demo run again on the same database goes on from the numbers already given.
    seqs = {
        name.split(":", 1)[1]: value
        for name, value in tuples_of(
            Counter.select(Counter.name, Counter.value)
            .where(Counter.name.startswith("complaint:"))
            .order_by(Counter.name)
        )
    }
    for case in cases:
        period = case.row["received_at"].strftime("%Y%m")
        seqs[period] = seqs.get(period, 0) + 1
        case.row.update(
            number_period=period, number_seq=seqs[period], number=fmt(period, seqs[period])
        )
    with db.atomic():
        ids = writer.insert_returning_ids(
            Complaint, COMPLAINT_COLUMNS, [[c.row[k] for k in COMPLAINT_COLUMNS] for c in cases]
        )
        steps, links = [], []
        for complaint_id, case in zip(ids, cases, strict=True):
            steps += [[complaint_id, *(s[k] for k in STEP_COLUMNS[1:])] for s in case.steps]
            reception = case.row.get("_reception_row")
            if reception is not None:
                reception["complaint_id"] = complaint_id
                links.append((complaint_id, reception["id"]))
        writer.insert(ComplaintStep, STEP_COLUMNS, steps)
        writer.update(Reception, ["complaint_id"], links)
        if seqs:
            Counter.insert_many(
                [(f"complaint:{p}", n) for p, n in sorted(seqs.items())],
                fields=[Counter.name, Counter.value],
            ).on_conflict(
                conflict_target=[Counter.name], update={Counter.value: EXCLUDED.value}
            ).execute()
        audit.record(desk.manager, "import", "complaint", None, summary=f"demo: {len(cases)}")
