"""Demo return visits: the rules applied over the demo months. The calls are shared among the
desk's clerks; most are made within a day or two with realistic answers, some customers are not
reached at first, a few calls are left overdue, a few customers are dissatisfied (called again,
some turned into complaints), a few calls are scheduled by hand and last month is sample-checked."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass

from csoffice import auth, visits
from csoffice import today as today_board
from csoffice.db.models import ReturnVisit, ServiceEvent, Staff, now
from csoffice.errors import Conflict
from csoffice.visits import ResultInput

# Answers by what the call is about and how the customer felt — good (4–5), middling (3), bad
# (1–2) — one list per question, in the order of the built-in questionnaire.
ANSWERS = {
    "delivery": {
        "good": [["完好，包装整齐", "完好无损"], ["很准时", "提前到了"], ["态度很好", "很热情"]],
        "middling": [["基本完好，外包装有点破"], ["晚了半小时"], ["还行"]],
        "bad": [["有划痕，还缺了配件"], ["等了一整天", "改了两次时间"], ["态度不好，不耐烦"]],
    },
    "repair": {
        "good": [["已经解决了", "修好了"], ["很及时"], ["师傅很专业，走前还打扫了"]],
        "middling": [["基本解决了"], ["比约定时间晚到"], ["态度一般"]],
        "bad": [["没有解决，又出现了"], ["等了三天才上门"], ["师傅走后满地垃圾"]],
    },
    "use": {
        "good": [["一切正常", "挺好用的"], ["没有疑问", "说明书写得很清楚"]],
        "middling": [["还可以，偶尔有点小问题"], ["有些功能不会用"]],
        "bad": [["用了几天就坏了", "经常出故障"], ["问了客服也没说清楚"]],
    },
    "complaint": {
        "good": [["已经解决了"], ["满意，处理很及时"]],
        "middling": [["基本解决了"], ["处理得有点慢"]],
        "bad": [["还没有解决"], ["不满意，拖了太久"]],
    },
    "other": {
        "good": [["是的", "已经解决了"], ["挺好的"]],
        "middling": [["还可以"], ["一般"]],
        "bad": [["没有", "还是老问题"], ["希望领导出面处理"]],
    },
}
TOPIC = {"7dc": "delivery", "3dc": "repair", "1m": "use", "1y": "use", "complaint": "complaint"}
REMARKS = {
    "good": ["客户表示满意", "客户对服务表示感谢", "", "", "客户推荐了朋友来店", "无其他意见"],
    "middling": ["客户希望以后准时一些", "建议改进预约安排", ""],
    "bad": ["客户情绪较大，要求尽快处理", "客户要求公司给个说法", "客户表示很失望"],
}
NOT_REACHED = ["无人接听", "关机", "占线", "客户在开会，约明天再打", "号码暂时无法接通"]
MANUAL = [
    "邀请参加会员答谢会",
    "询问新车使用情况",
    "回访装修进度",
    "确认保养预约时间",
    "了解续保意向",
]


@dataclass
class Made:
    visits: int = 0
    done: int = 0
    dissatisfied: int = 0
    complaints: int = 0


def _score(rng: random.Random) -> int:
    return rng.choices([5, 4, 3, 2, 1], weights=[45, 35, 12, 6, 2])[0]


def _mood(score: int) -> str:
    return "good" if score >= 4 else ("middling" if score == 3 else "bad")


def _result(rng: random.Random, visit_id: int, score: int) -> ResultInput:
    mood = _mood(score)
    view = visits.view(visit_id)
    lists = ANSWERS[TOPIC.get(view.kind, "other")][mood]
    answers = {}
    for number, question in enumerate(view.questions):
        answers[question] = rng.choice(lists[min(number, len(lists) - 1)])
    return ResultInput(True, answers, score, rng.choice(REMARKS[mood]))


def _when(rng: random.Random, day: dt.date, latest: dt.datetime) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(rng.randrange(9, 17), rng.randrange(0, 60)))
    return min(at, latest)


def _reminder_dates(rng: random.Random, today: dt.date) -> None:
    """Give the demo's maintenance, inspection and insurance events a reminder date where they
    have none (the customers' demo inserts its events in bulk and leaves that column empty), so
    the Today board has reminders to show."""
    events = (
        ServiceEvent.select(ServiceEvent.id)
        .where(ServiceEvent.kind.in_(today_board.REMINDER_KINDS), ServiceEvent.remind_on.is_null())
        .order_by(ServiceEvent.id)
    )
    for event in events:
        remind_on = today + dt.timedelta(days=rng.randrange(-5, 30))
        ServiceEvent.update(remind_on=remind_on).where(ServiceEvent.id == event.id).execute()


def create(actor: Staff, rng: random.Random, months: int = 6, today: dt.date | None = None) -> Made:
    current = now()
    today = today or current.date()
    latest = current - dt.timedelta(minutes=5)
    made = Made()
    _reminder_dates(rng, today)
    made.visits = visits.schedule_due_visits(actor, today, lookback_days=max(1, months) * 31 + 31)
    callers = [
        Staff.get_by_id(staff_id)
        for staff_id, _name in visits.staff_choices()
        if auth.can(Staff.get_by_id(staff_id), "edit")
    ]
    clerks = [s for s in callers if s.role == auth.Role.CLERK] or callers
    # Share the rules' calls among the clerks, as the manager would.
    for visit in ReturnVisit.select().where(ReturnVisit.status == "due").order_by(ReturnVisit.id):
        ReturnVisit.update(assigned_to=rng.choice(clerks)).where(
            ReturnVisit.id == visit.id
        ).execute()

    queue = list(
        ReturnVisit.select().where(ReturnVisit.status == "due").order_by(ReturnVisit.due_on)
    )
    while queue:
        visit = queue.pop(0)
        age = (today - visit.due_on).days
        if age < 0:
            continue
        # Recent calls are still partly to do; a few of the last fortnight were let slip.
        if (age <= 2 and rng.random() < 0.5) or (2 < age <= 14 and rng.random() < 0.15):
            continue
        caller = visit.assigned_to or rng.choice(clerks)
        day = visit.due_on + dt.timedelta(days=rng.choice([0, 0, 0, 1]))
        day = min(day, today)
        if rng.random() < 0.12:
            outcome = visits.record_result(
                caller,
                visit.id,
                ResultInput(False, remarks=rng.choice(NOT_REACHED)),
                _when(rng, day, latest),
            )
            if outcome.status == "due" and outcome.due_on <= today:
                day = outcome.due_on
            else:
                continue
        score = _score(rng)
        outcome = visits.record_result(
            caller, visit.id, _result(rng, visit.id, score), _when(rng, day, latest)
        )
        made.done += 1
        if not outcome.dissatisfied:
            continue
        made.dissatisfied += 1
        if (today - day).days <= 20 and rng.random() < 0.4:
            draft = visits.complaint_draft_from_visit(visit.id)
            draft.category = draft.category or "quality"
            draft.received_at = ReturnVisit.get_by_id(visit.id).done_at
            draft.desired_outcome = "尽快解决问题"
            visits.raise_complaint(caller, visit.id, draft)
            made.complaints += 1
        elif outcome.recheck_id:
            recheck = ReturnVisit.get_by_id(outcome.recheck_id)
            queue.append(recheck)
            queue.sort(key=lambda v: v.due_on)

    customers = [v.customer_id for v in ReturnVisit.select(ReturnVisit.customer).limit(200)]
    for note in MANUAL if customers else []:
        visits.schedule(
            rng.choice(clerks),
            rng.choice(customers),
            today + dt.timedelta(days=rng.randrange(0, 10)),
            rng.choice(clerks).id,
            note,
            today=today,
        )
    if auth.can(actor, "sample_check"):
        # A demo of under a month has no last month to sample.
        with contextlib.suppress(Conflict):
            visits.sample_check(actor, today, size=5, rng=rng)
    made.visits = ReturnVisit.select().count()
    return made
