"""Version 10: each handling round's results stay with the timeline step that recorded them
(complaint_step: result, fault, cause, correction, the customer's opinion and satisfaction); a
group complaint lists its other complainants (complaint_party); a complaint may repeat another
(complaint.duplicate_of).

The steps of a database from before are filled in from what survives: each complaint's audit
trail holds every handle and inform move's changes, replayed in order onto the steps they made;
where the trail and the steps do not pair up (rows written in bulk), the last handle and inform
steps take the complaint's current values, which are theirs."""

from __future__ import annotations

import json

import peewee

from csoffice.db.models import ComplaintParty

HANDLE_FIELDS = ("result", "company_at_fault", "root_cause", "corrective_action")
INFORM_FIELDS = ("customer_opinion", "satisfaction", "satisfaction_reason")


def _columns(database: peewee.Database) -> list[tuple[str, str, str]]:
    boolean = "BOOLEAN" if isinstance(database, peewee.PostgresqlDatabase) else "INTEGER"
    text = "TEXT NOT NULL DEFAULT ''"
    return [
        ("complaint_step", "result", text),
        ("complaint_step", "company_at_fault", boolean),
        ("complaint_step", "root_cause", text),
        ("complaint_step", "corrective_action", text),
        ("complaint_step", "customer_opinion", text),
        ("complaint_step", "satisfaction", "INTEGER"),
        ("complaint_step", "satisfaction_reason", text),
        (
            "complaint",
            "duplicate_of_id",
            'INTEGER REFERENCES "complaint" ("id") ON DELETE SET NULL',
        ),
    ]


def apply(database: peewee.Database) -> None:
    tables = set(database.get_tables())
    for table, column, kind in _columns(database):
        if table in tables and column not in {c.name for c in database.get_columns(table)}:
            database.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
    if "complaint" in tables and "complaint_duplicate_of_id" not in {
        i.name for i in database.get_indexes("complaint")
    }:
        database.execute_sql(
            'CREATE INDEX "complaint_duplicate_of_id" ON "complaint" ("duplicate_of_id")'
        )
    with database.bind_ctx([ComplaintParty]):
        database.create_tables([ComplaintParty], safe=True)
    if {"complaint", "complaint_step", "audit_log"} <= tables:
        _fill_steps(database)


def _fill_steps(database: peewee.Database) -> None:
    steps: dict[int, dict[str, list[int]]] = {}
    for step_id, complaint_id, action in database.execute_sql(
        "SELECT id, complaint_id, action FROM complaint_step "
        "WHERE action IN ('handle', 'inform') ORDER BY complaint_id, at, id"
    ).fetchall():
        steps.setdefault(complaint_id, {"handle": [], "inform": []})[action].append(step_id)
    if not steps:
        return
    moves: dict[int, list[tuple[str, dict]]] = {}
    for entity_id, summary, changes in database.execute_sql(
        "SELECT entity_id, summary, changes FROM audit_log "
        "WHERE entity = 'complaint' AND action = 'move' ORDER BY at, id"
    ).fetchall():
        if entity_id in steps:
            moves.setdefault(entity_id, []).append((summary or "", json.loads(changes or "{}")))
    current = {
        row[0]: dict(zip(HANDLE_FIELDS + INFORM_FIELDS, row[1:], strict=True))
        for row in database.execute_sql(
            "SELECT id, " + ", ".join(HANDLE_FIELDS + INFORM_FIELDS) + " FROM complaint"
        ).fetchall()
        if row[0] in steps
    }
    for complaint_id, by_action in steps.items():
        for action, names in (("handle", HANDLE_FIELDS), ("inform", INFORM_FIELDS)):
            ids = by_action[action]
            if not ids:
                continue
            replayed = _replay(moves.get(complaint_id, []), action, names)
            if len(replayed) != len(ids):  # steps without their audit rows: the last one only
                replayed = [dict.fromkeys(names)] * (len(ids) - 1) + [
                    {n: current[complaint_id][n] for n in names}
                ]
            for step_id, values in zip(ids, replayed, strict=True):
                if all(values.get(n) in (None, "") for n in names):
                    continue
                _write_step(database, step_id, names, values)


def _replay(moves: list[tuple[str, dict]], action: str, names: tuple[str, ...]) -> list[dict]:
    """The values of ``names`` after each ``action`` move, carrying unchanged ones forward."""
    state: dict[str, object] = {name: None for name in names}
    out = []
    for summary, changes in moves:
        for name, pair in changes.items():
            if name in names and isinstance(pair, list) and len(pair) == 2:
                state[name] = pair[1]
        if summary.endswith(f"({action})"):
            out.append(dict(state))
    return out


def _write_step(
    database: peewee.Database, step_id: int, names: tuple[str, ...], values: dict
) -> None:
    params = []
    for name in names:
        value = values.get(name)
        if name == "company_at_fault":
            value = None if value is None else bool(value)
        elif name == "satisfaction":
            value = int(value) if isinstance(value, int | float | str) and str(value) else None
        else:
            value = str(value or "")
        params.append(value)
    mark = database.param
    assignments = ", ".join(f"{name} = {mark}" for name in names)
    database.execute_sql(
        f"UPDATE complaint_step SET {assignments} WHERE id = {mark}", (*params, step_id)
    )
