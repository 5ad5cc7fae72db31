"""Demo complaints: one to three a day over the demo months, most turned from the day's complaint
receptions, in every state of the workflow — older ones mostly closed, some overdue, some major
or group complaints waiting for the manager — with realistic Chinese content."""

from __future__ import annotations

import datetime as dt
import random

from csoffice import auth, complaints
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db.database import db
from csoffice.db.models import Complaint, Customer, Reception, Staff, now
from csoffice.errors import ValidationError

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


def create(actor: Staff, rng: random.Random, months: int = 6, today: dt.date | None = None) -> int:
    """Complaints for every day of the last ``months`` months; returns how many were made."""
    current = now()
    today = today or current.date()
    start = today - dt.timedelta(days=max(1, months) * 30)
    clerks = list(
        Staff.select().where(Staff.active == True, Staff.role == auth.Role.CLERK).order_by(Staff.id)
    ) or [actor]
    customer_ids = [row[0] for row in Customer.select(Customer.id).order_by(Customer.id).tuples()]
    made = 0
    with db.atomic():  # one transaction: each save below becomes a savepoint, fast and atomic
        day = start
        while day <= today:
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                received = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
                    minutes=rng.randrange(0, 570)
                )
                if received >= current - dt.timedelta(minutes=10):
                    continue
                target = _target(rng, (current - received).days)
                complaint = _receive(actor, rng, clerks, customer_ids, received, target)
                _advance(actor, rng, complaint, current, target)
                made += 1
            day += dt.timedelta(days=1)
    complaints.escalate_overdue(current)
    return made


def _receive(
    actor: Staff,
    rng: random.Random,
    clerks: list[Staff],
    customer_ids: list[int],
    received: dt.datetime,
    target: str,
) -> Complaint:
    category = rng.choices([c for c, _w in CATEGORY_WEIGHTS], [w for _c, w in CATEGORY_WEIGHTS])[0]
    facts, wish, *_rest = rng.choice(CASES[category])
    severity = rng.choices(["ordinary", "major", "group"], [85, 10, 5])[0]
    if target == "awaiting_manager":
        severity = rng.choice(["major", "major", "group"])
    if severity == "group":
        facts = rng.choice(GROUP_FACTS)
        wish = "统一答复并限期解决"
    receiver = rng.choice(clerks)
    reception = (
        Reception.select()
        .where(
            Reception.category == "complaint",
            Reception.complaint_id.is_null(),
            Reception.status == "active",
            Reception.customer.is_null(False),
            Reception.received_at.between(received - dt.timedelta(hours=3), received),
        )
        .order_by(Reception.received_at.desc())
        .first()
    )
    if reception is not None:
        draft = complaints.draft_from_reception(reception.id)
        draft.facts = draft.facts or facts  # what the caller said is the complaint's story
        draft.category, draft.severity, draft.desired_outcome = category, severity, wish
        if draft.receiver_id not in [c.id for c in clerks]:
            draft.receiver_id = receiver.id
        try:
            return complaints.create(
                _staff(draft.receiver_id, actor), draft, reception_id=reception.id
            )
        except ValidationError:
            pass  # a reception with a number the form would not take: start a fresh form
    customer_id = rng.choice(customer_ids) if customer_ids and rng.random() < 0.9 else None
    data = ComplaintInput(
        received_at=received,
        channel=rng.choices(["phone", "visit", "wechat", "email", "letter"], [50, 25, 15, 7, 3])[0],
        customer_id=customer_id,
        contact_name="" if customer_id else rng.choice(["陈先生", "林女士", "业主代表"]),
        category=category,
        severity=severity,
        facts=facts,
        desired_outcome=wish,
        receiver_id=receiver.id,
    )
    return complaints.create(receiver, data)


def _staff(staff_id: int | None, fallback: Staff) -> Staff:
    return Staff.get_or_none(Staff.id == staff_id) or fallback


def _target(rng: random.Random, age_days: int) -> str:
    """Where a complaint of this age stands now; some stall and run overdue."""
    if age_days > 10:
        target = rng.choices(
            ["closed", "rejected", "informed", "handled", "in_progress", "reopened"],
            [80, 5, 4, 4, 4, 3],
        )[0]
    elif age_days > 4:
        target = rng.choices(
            ["received", "in_progress", "handled", "informed", "closed", "rejected"],
            [1, 2, 3, 3, 6, 1],
        )[0]
    else:  # the last days: much still waiting for a first move or for the manager
        target = rng.choices(
            ["received", "awaiting_manager", "in_progress", "handled"], [35, 20, 30, 15]
        )[0]
    return target


def _advance(
    actor: Staff, rng: random.Random, complaint: Complaint, current: dt.datetime, target: str
) -> None:
    """Move a complaint through the workflow up to ``target``, each step a little later."""
    owner = complaint.receiver
    manager = actor
    clock = complaint.received_at

    def later(low: float, high: float) -> dt.datetime:
        nonlocal clock
        clock = min(current, clock + dt.timedelta(hours=rng.uniform(low, high)))
        return clock

    if target in ("received", "awaiting_manager"):
        if complaint.severity != "ordinary" and (
            target == "awaiting_manager" or rng.random() < 0.7
        ):
            complaints.move(owner, complaint.id, "submit", at=later(0.1, 0.5))
        return
    if target == "rejected":
        who = manager if complaint.severity != "ordinary" else owner
        complaints.move(
            who, complaint.id, "reject", StepInput(note=rng.choice(REJECTIONS)), at=later(1, 20)
        )
        return
    _, _wish, result, cause, correction, department = _case(rng, complaint.category)
    handler = StepInput(
        department=department,
        handler_name=rng.choice(OUTSIDE_HANDLERS),
        note=rng.choice(["请尽快处理并反馈", "", "请 24 小时内联系客户"]),
    )
    if complaint.severity != "ordinary":
        complaints.move(owner, complaint.id, "submit", at=later(0.1, 0.8))
        complaints.move(manager, complaint.id, "confirm", handler, at=later(0.2, 2))
    else:
        complaints.move(owner, complaint.id, "assign", handler, at=later(0.5, 12))
    if target == "in_progress":
        return
    at_fault = rng.random() < 0.6
    complaints.move(
        owner,
        complaint.id,
        "handle",
        StepInput(
            result=result,
            company_at_fault=at_fault,
            root_cause=cause if at_fault else "",
            corrective_action=correction if at_fault else "",
        ),
        at=later(4, 60),
    )
    if target == "handled":
        return
    score, opinion, reason = rng.choices(OPINIONS, [40, 30, 15, 10, 5])[0]
    complaints.move(
        owner,
        complaint.id,
        "inform",
        StepInput(customer_opinion=opinion, satisfaction=score, satisfaction_reason=reason),
        at=later(2, 48),
    )
    if target == "informed":
        return
    complaints.move(owner, complaint.id, "close", at=later(1, 24))
    if target == "reopened":
        complaints.move(
            manager,
            complaint.id,
            "reopen",
            StepInput(note="客户再次来电反映问题复发，经理决定重新处理"),
            at=later(24, 120),
        )


def _case(rng: random.Random, category: str) -> tuple:
    return rng.choice(CASES.get(category, CASES["other"]))
