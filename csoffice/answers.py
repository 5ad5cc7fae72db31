"""The answer library (常用答复 / 答客问): standard answers to the questions callers ask, grouped
by topic, and the service phrases to use (服务用语) and never to use (服务禁语) as lists of their
own. The manager maintains it; clerks get suggestions while they type a reception, and each
answer read to a caller is counted. A reception can be marked "no answer found", so the
monthly report names the questions the library still lacks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from peewee import fn

from csoffice import audit, auth, receptions
from csoffice.changes import Change
from csoffice.db.database import db, emit_after_commit
from csoffice.db.lookup import tuples_of
from csoffice.db.models import AnswerEntry, AnswerUse, Reception, Staff, now
from csoffice.errors import NotFound, PermissionDenied, ValidationError
from csoffice.i18n import N_, _
from csoffice.receptions import ReceptionInput
from csoffice.reports import Period
from csoffice.validation import clean_text

KINDS = {
    "answer": N_("Standard answers"),
    "phrase": N_("Service phrases to use"),
    "taboo": N_("Phrases never to use"),
}
_MAX = {"topic": 60, "question": 500, "text": 4000, "keywords": 200}


def kind_label(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


@dataclass
class AnswerInput:
    kind: str = "answer"
    topic: str = ""
    question: str = ""
    text: str = ""
    keywords: str = ""  # separated by commas, 、 or spaces
    categories: list[str] = field(default_factory=list)  # reception categories; none = any


@dataclass(frozen=True)
class AnswerRow:
    id: int
    kind: str
    topic: str
    question: str
    text: str
    keywords: str
    categories: list[str]
    status: str
    uses: int


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[,，、;；\s]+", text or "") if w]


def clean(data: AnswerInput) -> dict:
    """Validate ``data`` into column values; ValidationError names each field at fault."""
    errors: dict[str, str] = {}
    out: dict = {}
    if data.kind not in KINDS:
        errors["kind"] = _(
            "Choose a list: standard answers, service phrases or phrases never to use."
        )
    out["kind"] = data.kind
    for name in ("topic", "question", "text"):
        value = clean_text(getattr(data, name), multiline=name == "text")
        if len(value) > _MAX[name]:
            errors[name] = _("At most {n} characters.").format(n=_MAX[name])
        out[name] = value
    if data.kind == "answer" and not out["question"]:
        errors["question"] = _("Write the question the caller asks.")
    if not out["text"]:
        errors["text"] = (
            _("Write the standard answer.") if data.kind == "answer" else _("Write the phrase.")
        )
    keywords = "，".join(dict.fromkeys(_words(data.keywords)))
    if len(keywords) > _MAX["keywords"]:
        errors["keywords"] = _("At most {n} characters.").format(n=_MAX["keywords"])
    out["keywords"] = keywords
    known = {code for code, _label in receptions.categories()} | set(receptions.CATEGORIES)
    unknown = [c for c in data.categories if c not in known]
    if unknown:
        errors["categories"] = _("Unknown reception category: {names}").format(
            names="、".join(unknown)
        )
    out["categories"] = ",".join(dict.fromkeys(data.categories))
    if errors:
        raise ValidationError(errors)
    return out


def _require_manager(actor: Staff | None) -> None:
    if actor is None or not actor.active or actor.role != auth.Role.MANAGER:
        raise PermissionDenied(_("Only the manager maintains the answer library."))


def _get(entry_id: int) -> AnswerEntry:
    entry = AnswerEntry.get_or_none(AnswerEntry.id == entry_id)
    if entry is None:
        raise NotFound(_("No answer with number {id}.").format(id=entry_id))
    return entry


_FIELDS = ["kind", "topic", "question", "text", "keywords", "categories", "status"]


def create(actor: Staff, data: AnswerInput) -> AnswerEntry:
    _require_manager(actor)
    values = clean(data)
    with db.atomic():
        entry = AnswerEntry.create(**values, created_by=actor, updated_by=actor)
        audit.record(
            actor, "create", "answer", entry.id, summary=values["question"] or values["text"][:40]
        )
    invalidate()
    emit_after_commit(Change.ANSWER)
    return entry


def update(actor: Staff, entry_id: int, data: AnswerInput) -> AnswerEntry:
    _require_manager(actor)
    values = clean(data)
    with db.atomic():
        entry = _get(entry_id)
        before = audit.snapshot(entry, _FIELDS)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.updated_by = actor
        entry.save()
        changes = audit.diff(before, audit.snapshot(entry, _FIELDS))
        audit.record(actor, "update", "answer", entry.id, summary=entry.question, changes=changes)
    invalidate()
    emit_after_commit(Change.ANSWER)
    return entry


def set_archived(actor: Staff, entry_id: int, archived: bool) -> AnswerEntry:
    """Take an answer out of the library (or back): never deleted, its uses stay counted."""
    _require_manager(actor)
    with db.atomic():
        entry = _get(entry_id)
        status = "archived" if archived else "active"
        if entry.status != status:
            entry.status, entry.updated_by = status, actor
            entry.save()
            audit.record(
                actor,
                "archive" if archived else "restore",
                "answer",
                entry.id,
                summary=entry.question,
            )
    invalidate()
    emit_after_commit(Change.ANSWER)
    return entry


def load(entry_id: int) -> AnswerInput:
    entry = _get(entry_id)
    return AnswerInput(
        kind=entry.kind,
        topic=entry.topic,
        question=entry.question,
        text=entry.text,
        keywords=entry.keywords,
        categories=[c for c in entry.categories.split(",") if c],
    )


def _use_counts() -> dict[int, int]:
    query = (
        AnswerUse.select(AnswerUse.answer, fn.COUNT(AnswerUse.id))
        .where(AnswerUse.answer.is_null(False))
        .group_by(AnswerUse.answer)
    )
    return {answer_id: count for answer_id, count in tuples_of(query)}


def entries(
    kind: str | None = None, include_archived: bool = False, search: str = ""
) -> list[AnswerRow]:
    """The library (a few hundred entries at most), by topic then question."""
    query = AnswerEntry.select()
    if kind:
        query = query.where(AnswerEntry.kind == kind)
    if not include_archived:
        query = query.where(AnswerEntry.status == "active")
    words = _words(search.lower())
    uses = _use_counts()
    out = []
    for e in query.order_by(
        AnswerEntry.kind, AnswerEntry.topic, AnswerEntry.question, AnswerEntry.id
    ):
        haystack = f"{e.topic} {e.question} {e.text} {e.keywords}".lower()
        if words and not all(w in haystack for w in words):
            continue
        out.append(
            AnswerRow(
                e.id,
                e.kind,
                e.topic,
                e.question,
                e.text,
                e.keywords,
                [c for c in e.categories.split(",") if c],
                e.status,
                uses.get(e.id, 0),
            )
        )
    return out


def topics() -> list[str]:
    query = (
        AnswerEntry.select(AnswerEntry.topic)
        .where(AnswerEntry.topic != "")
        .distinct()
        .order_by(AnswerEntry.topic)
    )
    return [t for (t,) in tuples_of(query)]


# --- Suggestions ---------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> set[str]:
    """Search tokens: pairs of Chinese characters (single ones for a lone character) and words."""
    text = (text or "").lower()
    out: set[str] = set()
    for run in _CJK.findall(text):
        if len(run) == 1:
            out.add(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    out.update(w for w in _LATIN.findall(text) if len(w) > 1)
    return out


@dataclass(frozen=True)
class Suggestion:
    id: int
    topic: str
    question: str
    text: str
    uses: int
    score: float


class SuggestionIndex:
    """The active standard answers held in memory with an inverted index of their tokens, so a
    suggestion costs a few dictionary look-ups per keystroke, not a query."""

    QUERY_CHARS = 200  # the last words typed say most about what the caller asks now

    def __init__(self, rows: list[AnswerRow]):
        self.taboo = [r.text.strip().lower() for r in rows if r.kind == "taboo" and r.text.strip()]
        self.rows = [r for r in rows if r.kind == "answer" and r.status == "active"]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.keywords: list[tuple[str, int]] = []
        for index, row in enumerate(self.rows):
            weights: dict[str, float] = {}
            for token in tokens(row.topic):
                weights[token] = max(weights.get(token, 0), 0.5)
            for token in tokens(row.question):
                weights[token] = max(weights.get(token, 0), 1.0)
            for word in _words(row.keywords):
                self.keywords.append((word.lower(), index))
                for token in tokens(word):
                    weights[token] = max(weights.get(token, 0), 2.0)
            for token, weight in weights.items():
                self.postings[token].append((index, weight))
        # Pairs that stand in a large part of a big library ("客户", "问题") tell answers
        # apart no better than nothing and would make every keystroke score them all.
        if len(self.rows) >= 40:
            common = len(self.rows) // 4
            self.postings = defaultdict(
                list, {t: p for t, p in self.postings.items() if len(p) <= common}
            )

    def count_uses(self, answer_ids: list[int]) -> None:
        for index, row in enumerate(self.rows):
            if row.id in answer_ids:
                self.rows[index] = replace(row, uses=row.uses + 1)

    def suggest(self, text: str, category: str = "", limit: int = 5) -> list[Suggestion]:
        """The answers that fit what is typed, best first; with nothing typed, the answers for
        the reception's category (reason) most used first."""
        text = (text or "")[-self.QUERY_CHARS :].lower()
        scores: dict[int, float] = defaultdict(float)
        for token in tokens(text):
            for index, weight in self.postings.get(token, ()):
                scores[index] += weight
        for word, index in self.keywords:
            if word in text:
                scores[index] += 3.0
        if not text.strip():
            scores = {i: 0.0 for i, r in enumerate(self.rows) if category in r.categories}
        elif not scores:
            return []
        ranked = []
        for index, score in scores.items():
            row = self.rows[index]
            if row.categories and category and category not in row.categories:
                score -= 1.5  # meant for another reason of call
                if score <= 0 and text.strip():
                    continue
            elif category and category in row.categories:
                score += 0.5
            ranked.append((score, row.uses, index))
        ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
        return [
            Suggestion(r.id, r.topic, r.question, r.text, r.uses, score)
            for score, _uses, index in ranked[:limit]
            for r in (self.rows[index],)
        ]


_index: SuggestionIndex | None = None


def invalidate() -> None:
    """Forget the in-memory index (after a change to the library or a use counted)."""
    global _index
    _index = None


def suggestion_index() -> SuggestionIndex:
    global _index
    if _index is None:
        _index = SuggestionIndex(entries("answer") + entries("taboo"))
    return _index


def suggest(text: str, category: str = "", limit: int = 5) -> list[Suggestion]:
    return suggestion_index().suggest(text, category, limit)


def note_text(suggestion: Suggestion | AnswerRow) -> str:
    """What goes into the reception's note when the answer is read to the caller."""
    return _("Answered ({topic}): {text}").format(
        topic=suggestion.topic or _("standard answer"), text=suggestion.text
    )


def typed_part(note: str) -> str:
    """The note without the answers put into it, i.e. what the clerk typed of the question."""
    prefix = _("Answered ({topic}): {text}").split("{topic}")[0]
    return "\n".join(line for line in (note or "").splitlines() if not line.startswith(prefix))


def taboo_found(text: str) -> list[str]:
    """The phrases never to use that ``text`` contains (from the in-memory index)."""
    lowered = (text or "").lower()
    return [phrase for phrase in suggestion_index().taboo if phrase in lowered]


# --- Uses ----------------------------------------------------------------------------------------


def _mark(actor: Staff, reception_id: int, answer_ids: list[int], no_answer: bool) -> None:
    """Count the answers read for a reception and set or clear its "no answer found" mark
    (inside the caller's transaction)."""
    known = {
        row.answer_id
        for row in AnswerUse.select(AnswerUse.answer).where(AnswerUse.reception == reception_id)
    }
    for answer_id in dict.fromkeys(answer_ids):
        if answer_id in known:
            continue
        _get(answer_id)
        AnswerUse.create(reception=reception_id, answer=answer_id, staff=actor, at=now())
        audit.record(actor, "use", "answer", answer_id, summary=f"reception {reception_id}")
    marked = None in known
    if no_answer and not marked:
        AnswerUse.create(reception=reception_id, answer=None, staff=actor, at=now())
        audit.record(actor, "no_answer", "reception", reception_id, summary=_("No answer found"))
    elif not no_answer and marked:
        AnswerUse.delete().where(
            AnswerUse.reception == reception_id, AnswerUse.answer.is_null()
        ).execute()
        audit.record(
            actor, "update", "reception", reception_id, summary=_("Answer found after all")
        )


def save_reception(
    actor: Staff,
    data: ReceptionInput,
    editing_id: int | None = None,
    answer_ids: list[int] | None = None,
    no_answer: bool = False,
) -> Reception:
    """Log (or correct) a reception together with the answers read and its "no answer found"
    mark, in one transaction."""
    with db.atomic():
        if editing_id is None:
            reception = receptions.create(actor, data)
        else:
            reception = receptions.update(actor, editing_id, data)
        _mark(actor, reception.id, list(answer_ids or []), no_answer)
    if answer_ids or no_answer:
        emit_after_commit(Change.ANSWER)  # the library's use counts and the unanswered list
    if answer_ids and _index is not None:
        _index.count_uses(answer_ids)  # the counts order the suggestions; no rebuild needed
    return reception


def marks(reception_id: int) -> tuple[list[int], bool]:
    """The answers read for a reception and whether it is marked "no answer found"."""
    ids = [
        row.answer_id
        for row in AnswerUse.select(AnswerUse.answer)
        .where(AnswerUse.reception == reception_id)
        .order_by(AnswerUse.id)
    ]
    return [i for i in ids if i is not None], None in ids


# --- For the monthly report ----------------------------------------------------------------------


@dataclass(frozen=True)
class UsedAnswer:
    id: int
    topic: str
    question: str
    uses: int


@dataclass(frozen=True)
class Unanswered:
    """A question the library had no answer for, with how often it was asked."""

    content: str
    category: str
    times: int
    last_at: dt.datetime


@dataclass(frozen=True)
class AnswerUsage:
    """How the library served the desk in a period."""

    uses: int  # answers read to callers
    receptions_answered: int  # receptions where at least one was read
    most_used: list[UsedAnswer]
    unanswered_count: int
    unanswered_questions: int  # different questions among them
    unanswered: list[Unanswered]  # the UNANSWERED_SHOWN asked most often, most first


UNANSWERED_SHOWN = 30


def usage(period: Period, limit: int = 10, shown: int | None = UNANSWERED_SHOWN) -> AnswerUsage:
    """How the library served the desk in ``period``; ``shown`` None lists every question."""
    in_period = (AnswerUse.at >= period.start) & (AnswerUse.at < period.end)
    live = Reception.status == "active"
    used = (
        AnswerUse.select(AnswerUse.id)
        .join(Reception, on=(AnswerUse.reception == Reception.id))
        .where(in_period, live, AnswerUse.answer.is_null(False))
    )
    count = fn.COUNT(AnswerUse.id)
    most = [
        UsedAnswer(i, topic, question, int(n))
        for i, topic, question, n in tuples_of(
            AnswerUse.select(AnswerEntry.id, AnswerEntry.topic, AnswerEntry.question, count)
            .join(AnswerEntry, on=(AnswerUse.answer == AnswerEntry.id))
            .switch(AnswerUse)
            .join(Reception, on=(AnswerUse.reception == Reception.id))
            .where(in_period, live)
            .group_by(AnswerEntry.id, AnswerEntry.topic, AnswerEntry.question)
            .order_by(count.desc(), AnswerEntry.question)
            .limit(limit)
        )
    ]
    times = fn.COUNT(AnswerUse.id)
    last = fn.MAX(Reception.received_at)
    missing = (
        AnswerUse.select(Reception.content, Reception.category, times, last)
        .join(Reception, on=(AnswerUse.reception == Reception.id))
        .where(in_period, live, AnswerUse.answer.is_null())
        .group_by(Reception.content, Reception.category)
    )
    questions = missing.order_by(times.desc(), last.desc())
    return AnswerUsage(
        uses=used.count(),
        receptions_answered=used.select(AnswerUse.reception).distinct().count(),
        most_used=most,
        unanswered_count=sum(n for *_rest, n, _last in tuples_of(missing)),
        unanswered_questions=missing.count(),
        unanswered=[
            Unanswered(
                clean_text(content),
                category,
                int(n),
                Reception.received_at.python_value(at),
            )
            for content, category, n, at in tuples_of(
                questions.limit(shown) if shown else questions
            )
        ],
    )
