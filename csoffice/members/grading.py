"""Levels (会员等级): the office's level table and the grade a card's last 12 months' earnings
warrant. Levels follow points *earned*, never the balance, so redeeming never demotes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from csoffice import audit, auth, changes
from csoffice.changes import Change
from csoffice.dates import add_months
from csoffice.db.database import db
from csoffice.db.lookup import get_or_not_found, tuples_of
from csoffice.db.models import (
    CardEvent,
    MemberCard,
    MemberLevel,
    PointsEntry,
    Staff,
    now,
)
from csoffice.errors import ValidationError
from csoffice.i18n import _
from csoffice.members.codes import CURRENT_STATUSES, EARNING_KINDS
from csoffice.members.values import _one_line, _update_audited

# Default levels, seeded when the office has none. Offices rename them: they are data.
DEFAULT_LEVELS = [
    ("normal", "普通", 0, "生日问候、积分换礼"),
    ("silver", "银卡", 1_000, "生日问候、节日问候、会员活动优先邀请"),
    ("gold", "金卡", 5_000, "生日礼品、专属客服、保养提醒、会员活动优先邀请"),
    ("diamond", "钻石", 20_000, "生日礼品、专属客服经理、上门服务、年度答谢会"),
]


@dataclass(frozen=True)
class LevelRow:
    id: int
    code: str
    name: str
    threshold: int
    care_plan: str
    active: bool


def ensure_levels(actor: Staff | None = None) -> None:
    """Seed the default levels when the office has none yet."""
    if MemberLevel.select().exists():
        return
    with db.atomic():
        for rank, (code, name, threshold, care) in enumerate(DEFAULT_LEVELS):
            MemberLevel.create(code=code, name=name, threshold=threshold, rank=rank, care_plan=care)
        audit.record(
            actor,
            "create",
            "member_level",
            None,
            summary=", ".join(name for _c, name, _t, _p in DEFAULT_LEVELS),
        )
    changes.emit(Change.CARD)


def levels(include_inactive: bool = False) -> list[LevelRow]:
    """The levels from the lowest threshold up."""
    query = MemberLevel.select().order_by(MemberLevel.threshold, MemberLevel.id)
    if not include_inactive:
        query = query.where(MemberLevel.active == True)
    return [
        LevelRow(row.id, row.code, row.name, row.threshold, row.care_plan, row.active)
        for row in query
    ]


def save_level(
    actor: Staff,
    level_id: int | None,
    name: str,
    threshold: int,
    care_plan: str = "",
    active: bool = True,
    code: str = "",
) -> LevelRow:
    """Add or change a level (manager only); levels are never deleted, only set inactive."""
    auth.require(actor, "change_settings")
    errors: dict[str, str] = {}
    name = _one_line(errors, "name", name, 40, _("Enter the level's name."))
    if not isinstance(threshold, int) or threshold < 0:
        errors["threshold"] = _("The threshold is a whole number of points, 0 or more.")
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        if level_id is None:
            code = code or f"level{MemberLevel.select().count() + 1}"
            if MemberLevel.select().where(MemberLevel.code == code).exists():
                raise ValidationError.single("code", _("This code is taken."))
            level = MemberLevel.create(
                code=code, name=name, threshold=threshold, care_plan=care_plan, active=active
            )
            audit.record(actor, "create", "member_level", level.id, summary=name)
        else:
            level = get_or_not_found(MemberLevel, _("No such level."), MemberLevel.id == level_id)
            _update_audited(
                actor,
                level,
                "member_level",
                name,
                name=name,
                threshold=threshold,
                care_plan=care_plan,
                active=active,
            )
        for rank, row in enumerate(
            MemberLevel.select().order_by(MemberLevel.threshold, MemberLevel.id)
        ):
            MemberLevel.update(rank=rank).where(MemberLevel.id == row.id).execute()
    return LevelRow(
        level.id, level.code, level.name, level.threshold, level.care_plan, level.active
    )
    changes.emit(Change.CARD)


def level_for(earned: int) -> MemberLevel | None:
    """The highest active level whose threshold ``earned`` points reach."""
    return (
        MemberLevel.select()
        .where(MemberLevel.active == True, MemberLevel.threshold <= max(earned, 0))
        .order_by(MemberLevel.threshold.desc(), MemberLevel.id.desc())
        .first()
    ) or (
        MemberLevel.select()
        .where(MemberLevel.active == True)
        .order_by(MemberLevel.threshold, MemberLevel.id)
        .first()
    )


def _threshold(level: MemberLevel | None) -> int:
    return level.threshold if level is not None else -1


def chain_ids(card: MemberCard) -> list[int]:
    """The card and every card it replaced, newest first: one membership's whole history."""
    ids = [card.id]
    previous = card.replaces_id
    while previous is not None and previous not in ids:
        ids.append(previous)
        previous = MemberCard.select(MemberCard.replaces).where(MemberCard.id == previous).scalar()
    return ids


def earned_points(card: MemberCard, today: dt.date | None = None) -> int:
    """Points earned over the 12 months up to ``today``, across the card's reissues."""
    today = today or dt.date.today()
    since = dt.datetime.combine(add_months(today, -12), dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    total = (
        PointsEntry.select(fn.COALESCE(fn.SUM(PointsEntry.points), 0))
        .where(
            PointsEntry.card.in_(chain_ids(card)),
            PointsEntry.kind.in_(EARNING_KINDS),
            PointsEntry.at >= since,
            PointsEntry.at < until,
        )
        .scalar()
    )
    return int(total or 0)


def _set_level(
    actor: Staff | None,
    card: MemberCard,
    earned: int,
    at: dt.datetime,
    allow_demote: bool,
) -> str | None:
    """Move the card to the level ``earned`` warrants; records the step; returns its kind."""
    target = level_for(earned)
    if target is None or target.id == card.level_id:
        return None
    current = MemberLevel.get_or_none(MemberLevel.id == card.level_id)
    promoted = target.threshold > _threshold(current)
    if not promoted and not allow_demote:
        return None
    kind = "promoted" if promoted else "demoted"
    MemberCard.update(level=target, updated_at=now(), updated_by=actor).where(
        MemberCard.id == card.id
    ).execute()
    card.level = target
    detail = f"{current.name if current else ''} → {target.name}"
    CardEvent.create(card=card, kind=kind, at=at, staff=actor, detail=detail)
    audit.record(
        actor,
        kind,
        "member_card",
        card.id,
        summary=f"{card.card_no}: {detail}",
        changes={"level": [current.code if current else None, target.code], "earned": earned},
    )
    return kind


def _regrade(actor: Staff, card: MemberCard, at: dt.datetime, allow_demote: bool) -> None:
    """After points moved at ``at``: the level the card's last 12 months' earnings warrant."""
    _set_level(actor, card, earned_points(card, at.date()), at, allow_demote=allow_demote)


def review_levels(actor: Staff, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Re-grade every current card by its last 12 months' earnings: (card number, kind) moved."""
    auth.require(actor, "edit")
    today = today or dt.date.today()
    at = now() if today == dt.date.today() else dt.datetime.combine(today, dt.time(9, 0))
    since = dt.datetime.combine(add_months(today, -12), dt.time())
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    sums = dict(
        tuples_of(
            PointsEntry.select(PointsEntry.card, fn.SUM(PointsEntry.points))
            .where(
                PointsEntry.kind.in_(EARNING_KINDS),
                PointsEntry.at >= since,
                PointsEntry.at < until,
            )
            .group_by(PointsEntry.card)
        )
    )
    replaces = dict(
        tuples_of(
            MemberCard.select(MemberCard.id, MemberCard.replaces).where(
                MemberCard.replaces.is_null(False)
            )
        )
    )
    moved = []
    with db.atomic():
        for card in MemberCard.select().where(MemberCard.status.in_(CURRENT_STATUSES)):
            earned, previous, seen = sums.get(card.id, 0), replaces.get(card.id), {card.id}
            while previous is not None and previous not in seen:
                seen.add(previous)
                earned += sums.get(previous, 0)
                previous = replaces.get(previous)
            kind = _set_level(actor, card, int(earned), at, allow_demote=True)
            if kind:
                moved.append((card.card_no, kind))
        audit.record(
            actor,
            "review",
            "member_level",
            None,
            summary=_("{n} cards changed level").format(n=len(moved)),
        )
    changes.emit(Change.CARD)
    return moved
