"""Demo return visits: the rules applied over the demo months. The calls are shared among the
desk's clerks; they are made on the day they fall due or the day after with realistic answers,
some customers are not reached at first and called again, a few of the last days' calls are
still open, a few customers are dissatisfied (called again, the latest turned into complaints),
a few calls are scheduled by hand and last month is sample-checked.

The rules schedule the calls (visits.schedule_due_visits); their results are worked out in
memory, by the rules of visits.record_result, and written in bulk."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from dataclasses import dataclass

import csoffice.demo.writer as writer
from csoffice import audit, auth, complaints, visits
from csoffice.complaints import StepInput
from csoffice.db.database import db
from csoffice.db.lookup import tuples_of
from csoffice.db.models import ReturnVisit
from csoffice.demo.customers import lookback_days
from csoffice.demo.desk import Desk
from csoffice.errors import Conflict

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


def _when(rng: random.Random, day: dt.date, latest: dt.datetime) -> dt.datetime:
    at = dt.datetime.combine(day, dt.time(rng.randrange(9, 17), rng.randrange(0, 60)))
    return min(at, latest)


class _Calls:
    """The calls being made in memory: each visit's row as record_result would leave it."""

    def __init__(self, desk: Desk, rng: random.Random):
        self.desk, self.rng = desk, rng
        self.latest = desk.now - dt.timedelta(minutes=5)
        self.questions: dict[str, list[str]] = {}
        self.retry = max(1, visits._int_setting("visits.retry_days", 1))
        self.limit = visits._int_setting("visits.max_attempts", 3, high=100)
        self.recheck_days = visits._int_setting("visits.recheck_days", 3)
        self.changed: list[dict] = []
        self.rechecks: list[dict] = []
        self.made = Made()
        self.recent_bad: list[tuple[int, int]] = []  # (visit id, caller) to raise complaints

    def _answers(self, kind: str, mood: str) -> str:
        if kind not in self.questions:
            self.questions[kind] = visits.questions(kind)
        asked = self.questions[kind]
        lists = ANSWERS[TOPIC.get(kind, "other")][mood]
        answers = {
            question: self.rng.choice(lists[min(number, len(lists) - 1)])
            for number, question in enumerate(asked)
        }
        return json.dumps(answers, ensure_ascii=False)

    def work(self, visit: dict) -> None:
        """Make the call the way the desk would by now (or leave it open), recording each try."""
        rng, today = self.rng, self.desk.today
        age = (today - visit["due_on"]).days
        if age < 0:
            return
        # Today's calls are partly made; a few of the last days' slipped (overdue by days).
        if (age == 0 and rng.random() < 0.5) or (1 <= age <= 3 and rng.random() < 0.06):
            return
        caller = visit["assigned_to"] or rng.choice(self.desk.clerk_ids)
        day = min(visit["due_on"] + dt.timedelta(days=rng.choice([0, 0, 0, 1])), today)
        while rng.random() < 0.12:  # not reached: tried again after "visits.retry_days"
            at = _when(rng, day, self.latest)
            visit["attempts"] += 1
            visit["reached"] = False
            visit["remarks"] = f"{visit['remarks']}\n{rng.choice(NOT_REACHED)}".strip()
            visit.update(updated_at=at, updated_by=caller)
            if self.limit and visit["attempts"] >= self.limit:
                visit.update(status="done", done_at=at, done_by=caller)
                self.made.done += 1
                return
            visit["due_on"] = max(at.date(), visit["due_on"]) + dt.timedelta(days=self.retry)
            if visit["due_on"] > today:
                return
            day = visit["due_on"]
        at = _when(rng, day, self.latest)
        score = _score(rng)
        mood = _mood(score)
        visit.update(
            status="done",
            done_at=at,
            done_by=caller,
            attempts=visit["attempts"] + 1,
            reached=True,
            answers=self._answers(visit["kind"], mood),
            satisfaction=score,
            remarks=rng.choice(REMARKS[mood]),
            updated_at=at,
            updated_by=caller,
        )
        self.made.done += 1
        if score > visits.DISSATISFIED:
            return
        self.made.dissatisfied += 1
        if self.recheck_days > 0:
            self.rechecks.append(
                dict(
                    customer=visit["customer"],
                    kind="recheck",
                    due_on=at.date() + dt.timedelta(days=self.recheck_days),
                    recheck_of=visit["id"],
                    assigned_to=caller,
                    created_at=at,
                    updated_at=at,
                    created_by=caller,
                    updated_by=caller,
                )
            )
        if (today - at.date()).days <= 2 and rng.random() < 0.5:
            self.recent_bad.append((visit["id"], caller))


CHANGED = [
    "assigned_to",
    "status",
    "due_on",
    "attempts",
    "reached",
    "done_at",
    "done_by",
    "answers",
    "satisfaction",
    "remarks",
    "updated_at",
    "updated_by",
]


def _due(ids: list[int] | None = None) -> list[dict]:
    query = ReturnVisit.select(
        ReturnVisit.id,
        ReturnVisit.customer,
        ReturnVisit.kind,
        ReturnVisit.due_on,
        ReturnVisit.assigned_to,
        ReturnVisit.attempts,
        ReturnVisit.remarks,
    ).where(ReturnVisit.status == "due")
    if ids is not None:
        query = query.where(ReturnVisit.id.in_(ids))
    fields = ["id", "customer", "kind", "due_on", "assigned_to", "attempts", "remarks"]
    rows = [
        dict(zip(fields, row, strict=True)) for row in tuples_of(query.order_by(ReturnVisit.id))
    ]
    for row in rows:
        row.update(status="due", reached=None, done_at=None, done_by=None, answers="")
        row.update(satisfaction=None, updated_at=None, updated_by=None)
    return rows


def create(desk: Desk) -> Made:
    rng = desk.rng("visits")
    calls = _Calls(desk, rng)
    visits.schedule_due_visits(desk.manager, desk.today, lookback_days=lookback_days(desk.months))
    pending = _due()
    for visit in pending:  # shared among the clerks, as the manager would
        visit["assigned_to"] = rng.choice(desk.clerk_ids)
    with db.atomic():
        while pending:
            pending.sort(key=lambda v: (v["due_on"], v["id"]))
            for visit in pending:
                calls.work(visit)
            rows = []
            for visit in pending:
                if visit["updated_at"] is None:
                    visit.update(updated_at=desk.now, updated_by=desk.manager.id)
                rows.append([*(visit[c] for c in CHANGED), visit["id"]])
            writer.update(ReturnVisit, CHANGED, rows)
            fresh, calls.rechecks = calls.rechecks, []
            if not fresh:
                break
            columns = list(fresh[0])
            ids = writer.insert_returning_ids(
                ReturnVisit, columns, [[r[c] for c in columns] for r in fresh]
            )
            pending = _due(ids)
        audit.record(desk.manager, "record", "visit", None, summary=f"demo: {calls.made.done}")
    made = calls.made
    done_at = dict(
        tuples_of(
            ReturnVisit.select(ReturnVisit.id, ReturnVisit.done_at).where(
                ReturnVisit.id.in_([visit_id for visit_id, _c in calls.recent_bad])
            )
        )
    )
    for visit_id, caller in calls.recent_bad:
        draft = visits.complaint_draft_from_visit(visit_id)
        draft.received_at = done_at[visit_id]
        draft.category = draft.category or "quality"
        draft.desired_outcome = "尽快解决问题"
        complaint = visits.raise_complaint(desk.staff(caller), visit_id, draft)
        made.complaints += 1
        handed = min(done_at[visit_id] + dt.timedelta(hours=2), desk.now)
        if handed.date() < desk.today:  # yesterday's: handed to after-sales the same day
            step = StepInput(department="aftersales", handler_name="李师傅", note="请尽快上门处理")
            complaints.move(desk.staff(caller), complaint.id, "assign", step, at=handed)
    _by_hand(desk, rng)
    made.visits = ReturnVisit.select().count()
    return made


def _by_hand(desk: Desk, rng: random.Random) -> None:
    """A few calls scheduled by hand; the manager's sample check of last month."""
    customers = [
        v.customer_id
        for v in ReturnVisit.select(ReturnVisit.customer).order_by(ReturnVisit.id).limit(200)
    ]
    for note in MANUAL if customers else []:
        visits.schedule(
            desk.staff(rng.choice(desk.clerk_ids)),
            rng.choice(customers),
            desk.today + dt.timedelta(days=rng.randrange(0, 10)),
            rng.choice(desk.clerk_ids),
            note,
            today=desk.today,
        )
    if auth.can(desk.manager, "sample_check"):
        # A demo of under a month has no last month to sample.
        with contextlib.suppress(Conflict):
            visits.sample_check(desk.manager, desk.today, size=5, rng=rng)
