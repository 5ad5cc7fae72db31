"""Migration 10 (each round's results on its steps; group complainants; duplicates): a database
made by release 0.1.0 is upgraded and its handled complaints' results land on the steps that
recorded them; a database whose complaints went round twice gets each round back from its audit
trail; the step ends with the schema the models create, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee

from csoffice import complaints
from csoffice.complaints import ComplaintInput, StepInput
from csoffice.db import migrations
from csoffice.db.database import close_database, db, open_database
from csoffice.db.models import Complaint, ComplaintStep
from tests.conftest import migrations_through

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def _shape(database: peewee.Database) -> list:
    shape = []
    for table in ("complaint", "complaint_step", "complaint_party"):
        shape.append(
            sorted((c.name, c.data_type.upper(), c.null) for c in database.get_columns(table))
        )
        shape.append(
            sorted((i.name, tuple(i.columns), i.unique) for i in database.get_indexes(table))
        )
        shape.append(
            sorted(
                (f.column, f.dest_table, f.dest_column) for f in database.get_foreign_keys(table)
            )
        )
    return shape


def _undo(database: peewee.Database, version: int) -> None:
    database.execute_sql('DROP TABLE "complaint_party"')
    if isinstance(database, peewee.PostgresqlDatabase):  # SQLite keeps a foreign key's column
        database.execute_sql('DROP INDEX "complaint_duplicate_of_id"')
        database.execute_sql('ALTER TABLE "complaint" DROP COLUMN "duplicate_of_id"')
    for column in complaints.ROUND_FIELDS:
        database.execute_sql(f'ALTER TABLE "complaint_step" DROP COLUMN "{column}"')
    database.execute_sql(f"UPDATE schema_version SET version = {version}")


def test_release_0_1_0_file_is_upgraded(tmp_path):
    open_database(tmp_path / "fresh.sqlite3")
    expected = _shape(db.obj)
    close_database()
    copy = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, copy)
    open_database(copy)
    assert migrations.current_version(db.obj) == migrations.LATEST >= 10
    assert _shape(db.obj) == expected
    handled = Complaint.select().where(Complaint.result != "")
    assert handled.count()
    for complaint in handled:
        last = (
            ComplaintStep.select()
            .where(ComplaintStep.complaint == complaint.id, ComplaintStep.action == "handle")
            .order_by(ComplaintStep.at.desc(), ComplaintStep.id.desc())
            .get()
        )
        assert last.result == complaint.result
        assert last.company_at_fault == complaint.company_at_fault
    informed = Complaint.select().where(Complaint.satisfaction.is_null(False))
    for complaint in informed:
        view = complaints.view(complaint.id)
        answer = view.rounds[-1].informed or view.rounds[-2].informed
        assert answer is not None and answer.satisfaction == complaint.satisfaction
    close_database()


def _two_rounds(manager) -> int:
    made = complaints.create(
        manager,
        ComplaintInput(contact_name="刘䶮", category="quality", facts="空调异响"),
    )
    complaints.move(
        manager, made.id, "assign", StepInput(department="aftersales", handler_name="李")
    )
    for result, opinion, score in (("清洁风机", "暂时可以", 3), ("更换轴承", "满意", 5)):
        if result == "更换轴承":
            complaints.move(manager, made.id, "reopen", StepInput(note="又响了"))
        complaints.move(
            manager, made.id, "handle", StepInput(result=result, company_at_fault=False)
        )
        complaints.move(
            manager,
            made.id,
            "inform",
            StepInput(customer_opinion=opinion, satisfaction=score, satisfaction_reason="好"),
        )
        complaints.move(manager, made.id, "close")
    return made.id


def test_earlier_rounds_come_back_from_the_audit_trail(any_database, monkeypatch):
    from csoffice import auth

    manager = auth.default_manager()
    complaint_id = _two_rounds(manager)
    database = db.obj
    expected = _shape(database)
    before = migrations_through(monkeypatch, 10)
    _undo(database, before)
    close_database()
    open_database(any_database.argument)
    assert migrations.current_version(db.obj) == 10
    assert _shape(db.obj) == expected
    first, second = complaints.view(complaint_id).rounds
    assert first.handled is not None and first.handled.result == "清洁风机"
    assert first.informed is not None and first.informed.satisfaction == 3
    assert second.handled is not None and second.handled.result == "更换轴承"
    assert second.informed is not None and second.informed.customer_opinion == "满意"
    close_database()
