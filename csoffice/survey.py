"""Return-visit surveys (《7DC调查表》《3DC调查表》): the questions of each kind of call, the answer
options that carry a score (5 best, 1 worst), free-text questions, and the results per question
and kind by day, week or month.

An office's own questions are the setting "visits.questions" ({kind: [question, …]}), where a
question is its text (answered in free text) or {"text": …, "options": [{"label", "score"}]}.
Each scored answer is kept as a row (VisitAnswer) so results can be summed by question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from csoffice import settings
from csoffice.db.lookup import tuples_of
from csoffice.db.models import ReturnVisit, VisitAnswer
from csoffice.errors import ValidationError
from csoffice.i18n import N_, _, format_date
from csoffice.validation import clean_text

OPTION_SETS: dict[str, tuple[tuple[str, int], ...]] = {
    "yes": ((N_("Yes"), 5), (N_("Partly"), 3), (N_("No"), 1)),
    "time": ((N_("On time"), 5), (N_("A little late"), 3), (N_("Very late"), 1)),
    "rating": (
        (N_("Very good"), 5),
        (N_("Good"), 4),
        (N_("Fair"), 3),
        (N_("Poor"), 2),
        (N_("Very poor"), 1),
    ),
}

# The built-in questionnaire of each kind; an office may replace a kind's questions in the
# setting "visits.questions" ({kind: [question, …]}, as the clerks should read them).
DEFAULT_QUESTIONS: dict[str, list[str]] = {
    "7dc": [
        N_("Did the product arrive complete and undamaged?"),
        N_("Was the delivery and installation on time?"),
        N_("Were our staff polite and helpful?"),
    ],
    "3dc": [
        N_("Is the problem fixed?"),
        N_("Was the repair done on time?"),
        N_("Was the technician polite and tidy?"),
    ],
    "1m": [
        N_("Is the product working well?"),
        N_("Do you have any questions about using it?"),
    ],
    "1y": [
        N_("How has the product served you this year?"),
        N_("Is maintenance or a renewal due that we can help with?"),
    ],
    "complaint": [
        N_("Was your complaint solved?"),
        N_("Are you satisfied with how it was handled?"),
    ],
    "manual": [N_("What did the customer say?")],
    "recheck": [
        N_("Is the earlier problem settled now?"),
        N_("What else can we do?"),
    ],
    "sample": [
        N_("Did our staff call you recently?"),
        N_("Was the call helpful?"),
    ],
}

# The built-in questions (DEFAULT_QUESTIONS) that are answered by option, and how.
BUILT_IN_OPTIONS = {
    "Did the product arrive complete and undamaged?": "yes",
    "Was the delivery and installation on time?": "time",
    "Were our staff polite and helpful?": "rating",
    "Is the problem fixed?": "yes",
    "Was the repair done on time?": "time",
    "Was the technician polite and tidy?": "rating",
    "Is the product working well?": "yes",
    "How has the product served you this year?": "rating",
    "Was your complaint solved?": "yes",
    "Are you satisfied with how it was handled?": "rating",
    "Is the earlier problem settled now?": "yes",
    "Did our staff call you recently?": "yes",
    "Was the call helpful?": "rating",
}
MAX_OPTIONS = 10
TEXT_MAX = 200  # VisitAnswer.question
OPTION_MAX = 60  # VisitAnswer.option


@dataclass(frozen=True)
class Option:
    label: str
    score: int


@dataclass(frozen=True)
class Question:
    """One question of a survey; without options it is answered in free text."""

    text: str
    options: tuple[Option, ...] = ()

    @property
    def scored(self) -> bool:
        return bool(self.options)

    def score_of(self, label: str) -> int | None:
        for option in self.options:
            if option.label == label:
                return option.score
        return None


def built_in_questions(kind: str) -> list[Question]:
    found = []
    for msgid in DEFAULT_QUESTIONS.get(kind, DEFAULT_QUESTIONS["manual"]):
        options = OPTION_SETS.get(BUILT_IN_OPTIONS.get(msgid, ""), ())
        found.append(Question(_(msgid), tuple(Option(_(label), s) for label, s in options)))
    return found


def _own(spec: Any) -> Question | None:
    if isinstance(spec, str):
        return Question(spec.strip()) if spec.strip() else None
    if not isinstance(spec, dict) or not str(spec.get("text") or "").strip():
        return None
    options = []
    for item in spec.get("options") or ():
        if isinstance(item, dict) and str(item.get("label") or "").strip():
            try:
                options.append(Option(str(item["label"]).strip(), int(item.get("score", ""))))
            except (TypeError, ValueError):
                continue
    return Question(str(spec["text"]).strip(), tuple(options))


def questions(kind: str) -> list[Question]:
    """The survey of a call of ``kind``: the office's own, else the built-in one."""
    configured = settings.get("visits.questions") or {}
    own = configured.get(kind) if isinstance(configured, dict) else None
    if isinstance(own, list):
        found = [q for q in (_own(spec) for spec in own) if q is not None]
        if found:
            return found
    return built_in_questions(kind)


def check_questions(value: Any) -> dict[str, list[dict[str, Any]]]:
    """The setting "visits.questions" as typed; ValidationError by "<kind>.<index>" (the
    question's text) or "<kind>.<index>.options" (its answer options)."""
    errors: dict[str, str] = {}
    clean: dict[str, list[dict[str, Any]]] = {}
    for kind, items in (value or {}).items():
        out = []
        asked: set[str] = set()
        for index, spec in enumerate(items or ()):
            text = clean_text(str(spec.get("text") if isinstance(spec, dict) else spec))
            given = (spec.get("options") if isinstance(spec, dict) else None) or ()
            if not text:
                if given:
                    errors[f"{kind}.{index}"] = _("Type the question its answers belong to.")
                continue  # an empty line
            if len(text) > TEXT_MAX:
                errors[f"{kind}.{index}"] = _("At most {n} characters.").format(n=TEXT_MAX)
            elif text in asked:
                errors[f"{kind}.{index}"] = _("This question is asked twice in this survey.")
            asked.add(text)
            options = []
            labels: set[str] = set()
            for option in given:
                label = clean_text(str(option.get("label") or ""))
                try:
                    score = int(option.get("score"))
                except (TypeError, ValueError):
                    score = -1
                if not label or not 1 <= score <= 5:
                    errors[f"{kind}.{index}.options"] = _(
                        "Each answer option needs a label and a score from 1 to 5."
                    )
                elif len(label) > OPTION_MAX:
                    errors[f"{kind}.{index}.options"] = _(
                        "An answer option has at most {n} characters."
                    ).format(n=OPTION_MAX)
                elif label in labels:
                    errors[f"{kind}.{index}.options"] = _(
                        "“{label}” is listed twice among the answers."
                    ).format(label=label)
                labels.add(label)
                options.append({"label": label, "score": score})
            if len(options) > MAX_OPTIONS:
                errors[f"{kind}.{index}.options"] = _("At most {n} answer options.").format(
                    n=MAX_OPTIONS
                )
            out.append({"text": text, "options": options} if options else text)
        if out:
            clean[str(kind)] = out
    if errors:
        raise ValidationError(errors)
    return clean


def as_setting(question: Question) -> str | dict[str, Any]:
    """``question`` as the setting "visits.questions" holds it (its text alone when free text)."""
    if not question.options:
        return question.text
    return {
        "text": question.text,
        "options": [{"label": o.label, "score": o.score} for o in question.options],
    }


def option_lines(options: list[dict[str, Any]] | tuple[Option, ...]) -> str:
    """Answer options as the settings page shows them: one "label = score" per line."""
    lines = []
    for option in options:
        label, score = (
            (option.label, option.score)
            if isinstance(option, Option)
            else (option.get("label", ""), option.get("score", ""))
        )
        lines.append(f"{label} = {score}")
    return "\n".join(lines)


def options_from_lines(text: str) -> list[dict[str, Any]]:
    """The options typed one a line ("很满意 = 5", "很满意 5" or "很满意：5"); a line whose score
    cannot be read keeps score -1, which check_questions refuses with its message."""
    options = []
    for line in text.splitlines():
        line = clean_text(line)
        if not line:
            continue
        label, score = line, -1
        for sep in ("=", "＝", "：", ":", " "):
            head, found, tail = line.rpartition(sep)
            if found and tail.strip().isdigit():
                label, score = head.strip(), int(tail.strip())
                break
        options.append({"label": label, "score": score})
    return options


def office_questions(edited: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The setting "visits.questions" for the questions the manager edited per kind: a kind
    left as the built-in questionnaire is not stored, so it keeps following the language."""
    own = {}
    for kind, items in edited.items():
        if items != [as_setting(q) for q in built_in_questions(kind)]:
            own[kind] = items
    return own


@dataclass(frozen=True)
class Answer:
    """A scored answer as recorded."""

    question: str
    option: str
    score: int | None
    note: str


def clean_answers(
    kind: str, choices: dict[str, str], notes: dict[str, str]
) -> tuple[list[Answer], dict[str, str]]:
    """The answers given on a call of ``kind``: each question's chosen option (which must be one
    of its options) and note; returns the answers and their text as the call shows it."""
    errors: dict[str, str] = {}
    found = []
    texts = {}
    for number, question in enumerate(questions(kind)):
        option = clean_text(str(choices.get(question.text) or ""))
        note = clean_text(str(notes.get(question.text) or ""))
        if len(note) > 500:
            errors[f"answer{number}"] = _("At most {n} characters.").format(n=500)
        score = None
        if option:
            score = question.score_of(option)
            if score is None:
                errors[f"answer{number}"] = _("Choose one of the answers offered.")
        if option or note:
            found.append(Answer(question.text, option, score, note))
            texts[question.text] = "；".join(x for x in (option, note) if x)
    asked = {q.text for q in questions(kind)}
    texts |= {q: a for q, a in notes.items() if q not in asked and a}  # the survey changed
    if errors:
        raise ValidationError(errors)
    return found, texts


def write_answers(visit: ReturnVisit, answers: list[Answer], done_on: dt.date) -> None:
    """Keep the call's answers (inside the caller's transaction)."""
    VisitAnswer.delete().where(VisitAnswer.visit == visit.id).execute()
    rows = [
        dict(
            visit=visit.id,
            kind=visit.kind,
            done_on=done_on,
            question=a.question[:TEXT_MAX],
            option=a.option[:60],
            score=a.score,
            note=a.note[:500],
        )
        for a in answers
    ]
    if rows:
        VisitAnswer.insert_many(rows).execute()


# --- Results ----------------------------------------------------------------------------------

BUCKETS = {"day": N_("By day"), "week": N_("By week"), "month": N_("By month")}


def bucket_of(day: dt.date, by: str) -> dt.date:
    """The first day of the day, ISO week or month ``day`` lies in."""
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def bucket_label(start: dt.date, by: str) -> str:
    if by == "week":
        year, week, _weekday = start.isocalendar()
        return _("{year} week {week}").format(year=year, week=week)
    if by == "month":
        return start.strftime("%Y-%m")
    return format_date(start, "short")


@dataclass(frozen=True)
class ResultLine:
    """One question of one kind of call in one day, week or month (or the whole period)."""

    start: dt.date | None  # None: the whole period
    kind: str
    question: str
    answered: int  # with a scored option
    average: float | None
    counts: tuple[tuple[str, int], ...]  # option → how many, best first
    notes: int  # answers that carry a note


def results(
    first: dt.date, last: dt.date, by: str | None = None, kind: str = ""
) -> list[ResultLine]:
    """The answers of calls done from ``first`` to ``last``, per kind and question, and per day,
    week or month when ``by`` says so; ordered by period, kind, then the survey's order."""
    query = VisitAnswer.select(
        VisitAnswer.kind,
        VisitAnswer.done_on,
        VisitAnswer.question,
        VisitAnswer.option,
        VisitAnswer.score,
        VisitAnswer.note,
    ).where(VisitAnswer.done_on >= first, VisitAnswer.done_on <= last)
    if kind:
        query = query.where(VisitAnswer.kind == kind)
    groups: dict[tuple, dict[str, Any]] = {}
    for row_kind, done_on, question, option, score, note in tuples_of(query):
        start = bucket_of(done_on, by) if by else None
        group = groups.setdefault(
            (start, row_kind, question), {"scores": [], "counts": {}, "notes": 0, "best": {}}
        )
        if score is not None:
            group["scores"].append(score)
            group["counts"][option] = group["counts"].get(option, 0) + 1
            group["best"][option] = score
        if note:
            group["notes"] += 1
    order = {}
    for key in {k[1] for k in groups}:
        order[key] = {q.text: i for i, q in enumerate(questions(key))}
    lines = []
    for (start, row_kind, question), group in groups.items():
        scores = group["scores"]
        counts = sorted(group["counts"].items(), key=lambda item: -group["best"][item[0]])
        lines.append(
            ResultLine(
                start=start,
                kind=row_kind,
                question=question,
                answered=len(scores),
                average=round(sum(scores) / len(scores), 2) if scores else None,
                counts=tuple(counts),
                notes=group["notes"],
            )
        )
    lines.sort(
        key=lambda r: (
            r.start or dt.date.min,
            r.kind,
            order.get(r.kind, {}).get(r.question, 999),
            r.question,
        )
    )
    return lines
