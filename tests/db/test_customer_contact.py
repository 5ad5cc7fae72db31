"""Each customer's last contact (``customer_contact``, migration 11) is kept by the database's
triggers on every write path, on SQLite and on PostgreSQL: after each kind of write the table
equals MAX(at) over csoffice.statistics.activity(), the one definition of a contact. Also:
the upgrade from the previous release fills it, migrate-to rebuilds it, and churn as of an
earlier day stays exact when a customer's last contact lies after that day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import Select, fn

from csoffice import auth, churn, customers, members, receptions, service_events, statistics
from csoffice.db import contacts, migrations
from csoffice.db.bulk import insert_rows
from csoffice.db.copy import copy_database
from csoffice.db.database import close_database, db, is_sqlite, open_database
from csoffice.db.models import (
    Complaint,
    CustomerContact,
    EventAttendance,
    MemberCard,
    MemberEvent,
    PointsEntry,
    Reception,
    ReturnVisit,
    ServiceEvent,
)
from csoffice.receptions import ReceptionInput
from csoffice.service_events import ServiceEventInput
from tests.conftest import migrations_through
from tests.domain.test_statistics import AS_OF, build_office

T = dt.datetime
D = dt.date
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "release-0.1.0.db"


def _moment(value) -> dt.datetime:
    """A timestamp as either backend hands it back (SQLite: ISO text, a day alone for a date)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value[:19])
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value.replace(microsecond=0)


def kept() -> dict[int, dt.datetime]:
    rows = CustomerContact.select(CustomerContact.customer, CustomerContact.last_at).tuples()
    return {customer: _moment(at) for customer, at in rows}


def expected() -> dict[int, dt.datetime]:
    """The last contact of each customer by the statistics' own definition of a contact."""
    act = statistics.activity().alias("act")
    query = Select(from_list=[act], columns=[act.c.customer_id, fn.MAX(act.c.at)]).group_by(
        act.c.customer_id
    )
    return {
        customer: _moment(at)
        for customer, at in db.execute(query.bind(db)).fetchall()
        if at is not None
    }


def assert_kept() -> dict[int, dt.datetime]:
    found = kept()
    assert found == expected()
    assert contacts.differences(db.obj) == {}
    return found


def test_every_kind_of_write_keeps_the_last_contact(any_database):
    manager = auth.default_manager()
    office = build_office(manager)
    a, b, c, d, f = (office[k] for k in "abcdf")
    last = assert_kept()
    assert last[b.id] == T(2026, 1, 15)  # the purchase, a date, counts from the day's start
    assert d.id not in last  # never contacted: no row

    # A reception raises the last contact; moved to another customer, it goes with it;
    # voided, it no longer counts.
    data = ReceptionInput(
        customer_id=b.id, caller_name="B", content="问保养", received_at=T(2026, 6, 20, 9)
    )
    made = receptions.create(manager, data)
    assert assert_kept()[b.id] == T(2026, 6, 20, 9)
    receptions.update(manager, made.id, dataclasses.replace(data, customer_id=d.id))
    last = assert_kept()
    assert last[b.id] == T(2026, 1, 15) and last[d.id] == T(2026, 6, 20, 9)
    receptions.update(
        manager, made.id, dataclasses.replace(data, customer_id=d.id, received_at=T(2026, 6, 21, 9))
    )
    assert assert_kept()[d.id] == T(2026, 6, 21, 9)
    receptions.void(manager, made.id, "登记重复")
    assert d.id not in assert_kept()

    # A service event added, then voided.
    event = service_events.add(
        manager, d.id, ServiceEventInput(kind="repair", date=D(2026, 6, 22)), today=D(2026, 6, 30)
    )
    assert assert_kept()[d.id] == T(2026, 6, 22)
    service_events.void(manager, event.id, "录错客户")
    assert d.id not in assert_kept()

    # Points on a card; the card given to another customer takes its points with it.
    members.earn(manager, "1", "200", at=T(2026, 6, 25, 10))
    assert assert_kept()[a.id] == T(2026, 6, 25, 10)
    MemberCard.update(customer=d).where(MemberCard.card_no == "1").execute()
    last = assert_kept()
    assert last[d.id] == T(2026, 6, 25, 10) and last[a.id] < T(2026, 6, 25)
    MemberCard.update(customer=a).where(MemberCard.card_no == "1").execute()
    assert_kept()

    # A club event attended; then cancelled; then taken back as held, and re-dated.
    club = members.create_event(manager, "保养讲座", D(2026, 6, 26))
    members.invite(manager, club.id, [d.id])
    assert d.id not in assert_kept()  # invited is not a contact
    members.set_attendance(manager, club.id, d.id, True)
    assert assert_kept()[d.id] == T(2026, 6, 26)
    members.set_event_status(manager, club.id, "cancelled", "下雨")
    assert d.id not in assert_kept()
    MemberEvent.update(status="held").where(MemberEvent.id == club.id).execute()  # taken back
    assert assert_kept()[d.id] == T(2026, 6, 26)
    club.date = D(2026, 6, 27)
    club.save()
    assert assert_kept()[d.id] == T(2026, 6, 27)
    EventAttendance.update(attended=False).where(EventAttendance.event == club.id).execute()
    assert d.id not in assert_kept()

    # A return visit that reached the customer counts once done; a visit not reached does not.
    visit = ReturnVisit.create(customer=d, kind="manual", due_on=D(2026, 6, 28))
    assert d.id not in assert_kept()
    ReturnVisit.update(status="done", reached=False, done_at=T(2026, 6, 28, 10)).where(
        ReturnVisit.id == visit.id
    ).execute()
    assert d.id not in assert_kept()
    ReturnVisit.update(reached=True).where(ReturnVisit.id == visit.id).execute()
    assert assert_kept()[d.id] == T(2026, 6, 28, 10)

    # A complaint re-dated, and moved off the customer.
    Complaint.update(received_at=T(2026, 6, 29, 9)).where(Complaint.customer == c.id).execute()
    assert assert_kept()[c.id] == T(2026, 6, 29, 9)
    Complaint.update(customer=None).where(Complaint.customer == c.id).execute()
    last = assert_kept()

    # Merging two files moves every contact to the kept one.
    customers.merge(manager, a.id, f.id)
    assert assert_kept()[a.id] == max(last[a.id], last[f.id])

    # Rows deleted (cascades, or by hand) and a bulk load of many rows in one statement.
    club.delete_instance()  # its attendance goes with it
    MemberCard.get(MemberCard.card_no == "3").delete_instance()  # and C's points with the card
    assert (
        PointsEntry.select()
        .where(PointsEntry.card_id.not_in(MemberCard.select(MemberCard.id)))
        .count()
        == 0
    )
    assert_kept()
    PointsEntry.delete().execute()
    Reception.delete().where(Reception.customer == a.id).execute()
    assert_kept()
    insert_rows(
        ServiceEvent,
        ["customer", "kind", "date"],
        [
            (b.id, "repair", "2026-06-01"),
            (b.id, "repair", "2026-06-03"),
            (d.id, "purchase", "2026-05-01"),
        ],
    )
    last = assert_kept()
    assert last[b.id] == T(2026, 6, 3) and last[d.id] == T(2026, 6, 28, 10)


def test_churn_as_of_an_earlier_day_ignores_later_contacts(any_database):
    office = build_office(auth.default_manager())
    b = office["b"]
    Reception.create(received_at=T(2026, 6, 20, 9), channel="phone", category="consult", customer=b)
    # On 30 June B called ten days ago; on 10 June B had had no contact since 15 January.
    assert b.id not in churn.churn_ids("inactive", AS_OF, months=3)
    assert b.id in churn.churn_ids("inactive", D(2026, 6, 10), months=3)
    assert churn.churn_count("inactive", D(2026, 6, 10), months=3) == 2  # B and F
    row = churn.churn_rows("inactive", [b.id], D(2026, 6, 10))[0]
    assert row.last_contact == T(
        2026, 6, 20, 9
    )  # the file's own last contact, as the list shows it


def _sqlite_triggers(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' OR name = ?",
            (contacts.TABLE,),
        ).fetchall()
    con.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


def test_the_previous_release_is_upgraded_and_filled(tmp_path):
    old = tmp_path / "office.sqlite3"
    shutil.copyfile(FIXTURE, old)
    open_database(old)
    assert migrations.current_version(db.obj) == migrations.LATEST
    filled = assert_kept()
    assert len(filled) > 30  # the demo's customers had contacts
    close_database()
    fresh = tmp_path / "fresh.sqlite3"
    open_database(fresh)
    close_database()
    upgraded, created = _sqlite_triggers(old), _sqlite_triggers(fresh)
    assert set(contacts.trigger_names()) <= set(created)
    assert upgraded == created


def _pg_triggers() -> set[str]:
    rows = db.execute_sql(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
        (f"{contacts.TABLE}%",),
    ).fetchall()
    return {name for (name,) in rows}


def test_step_eleven_upgrades_a_postgresql_database(pg_url, monkeypatch):
    open_database(pg_url)
    build_office(auth.default_manager())
    assert _pg_triggers() == set(contacts.trigger_names())
    for name, table in contacts.triggers():
        db.execute_sql(f'DROP TRIGGER "{name}" ON "{table}"')
    db.execute_sql('DROP TABLE "customer_contact"')
    Reception.create(received_at=T(2026, 6, 29, 9), channel="phone", category="consult", customer=4)
    before = migrations_through(monkeypatch, 11)
    db.execute_sql(f"UPDATE schema_version SET version = {before}")
    close_database()
    open_database(pg_url)
    assert migrations.current_version(db.obj) == migrations.LATEST
    assert _pg_triggers() == set(contacts.trigger_names())
    assert assert_kept()[4] == T(2026, 6, 29, 9)
    close_database()


def test_migrate_to_postgresql_rebuilds_it(tmp_path, pg_url):
    source = tmp_path / "office.sqlite3"
    open_database(source)
    build_office(auth.default_manager())
    on_sqlite = assert_kept()
    close_database()
    report = copy_database(str(source), pg_url)
    assert report.ok, report.counts
    assert report.counts["customer_contact"] == (len(on_sqlite), len(on_sqlite))
    open_database(pg_url)
    assert not is_sqlite()
    assert assert_kept() == on_sqlite
    close_database()


@pytest.mark.parametrize("kind", ["reception", "points"])
def test_a_new_contact_never_lowers_the_last_one(database, manager, kind):
    office = build_office(manager)
    a = office["a"]
    before = assert_kept()[a.id]
    if kind == "reception":
        Reception.create(
            received_at=T(2024, 1, 1, 9), channel="phone", category="consult", customer=a
        )
    else:
        card = MemberCard.get(MemberCard.card_no == "1")
        PointsEntry.create(card=card, at=T(2024, 1, 1, 9), kind="adjust", points=5)
    assert assert_kept()[a.id] == before


def test_check_names_a_last_contact_that_disagrees(database, manager):
    from csoffice.checks import run_checks

    def problems() -> list[str]:
        return dict(run_checks().results)["每位客户的最近联系时间与记录一致"]

    office = build_office(manager)
    assert problems() == []
    # Written past the triggers, as a hand-edited file or a bug would leave it.
    CustomerContact.update(last_at=T(2020, 1, 1)).where(
        CustomerContact.customer == office["a"].id
    ).execute()
    found = problems()
    assert len(found) == 1 and f"客户档案 {office['a'].id}" in found[0]
    contacts.rebuild(db.obj)  # the repair
    assert problems() == []
