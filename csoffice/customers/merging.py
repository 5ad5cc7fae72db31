"""Merging two files of one customer: the history moves to the file kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peewee import Field, Model

from csoffice import audit, auth
from csoffice.changes import Change
from csoffice.customers.records import _write_tags, get
from csoffice.db import models as m
from csoffice.db import search
from csoffice.db.database import db, emit_after_commit
from csoffice.db.models import Customer, CustomerDocument, EventAttendance, MemberCard, Staff, now
from csoffice.errors import Conflict, ValidationError
from csoffice.i18n import _

# What a merge moves to the kept file, as the lists that show it hear of it.
_MOVED_BY_MERGE = (
    Change.SERVICE_EVENT,
    Change.RECEPTION,
    Change.COMPLAINT,
    Change.CARD,
    Change.VISIT,
    Change.GREETING,
    Change.REFERRAL,
)


# Every table whose rows hang on a customer; merging moves them to the file kept.
def _customer_links() -> list[tuple[type[Model], Field]]:
    return [
        (m.ServiceEvent, m.ServiceEvent.customer),
        (m.Reception, m.Reception.customer),
        (m.Complaint, m.Complaint.customer),
        (m.MemberCard, m.MemberCard.customer),
        (m.ReturnVisit, m.ReturnVisit.customer),
        (m.Attachment, m.Attachment.customer),
        (m.Greeting, m.Greeting.customer),
        (m.Referral, m.Referral.referrer),
    ]


def _move_complainants(actor: Staff, keep_id: int, other_id: int) -> None:
    """A group complaint's complainant becomes the kept file; where that file already complains
    in it (listed, or the complaint's own customer), the merged one is taken off the list."""
    party = m.ComplaintParty
    gone = {"removed_at": now(), "removed_by": actor}
    for row in party.select().where(party.customer == other_id, party.removed_at.is_null()):
        kept = party.get_or_none(party.complaint == row.complaint_id, party.customer == keep_id)
        if m.Complaint.get_by_id(row.complaint_id).customer_id == keep_id or (
            kept is not None and kept.removed_at is None
        ):
            party.update(gone).where(party.id == row.id).execute()
        elif kept is not None:  # listed once and taken off: back on the list, once
            party.update(removed_at=None, removed_by=None).where(party.id == kept.id).execute()
            party.update(gone).where(party.id == row.id).execute()
        else:
            party.update(customer=keep_id).where(party.id == row.id).execute()


def merge(actor: Staff, keep_id: int, other_id: int) -> Customer:
    """Move all of ``other``'s history to ``keep`` and mark ``other`` as merged (manager only)."""
    auth.require(actor, "merge_customers")
    if keep_id == other_id:
        raise ValidationError.single("other", _("Choose two different files to merge."))
    with db.atomic():
        keep, other = get(keep_id), get(other_id)
        if keep.status != "active" or other.status != "active":
            raise Conflict(_("Only active files can be merged."))
        if (
            MemberCard.select()
            .where(MemberCard.customer == keep, MemberCard.status.in_(["active", "lost"]))
            .exists()
            and MemberCard.select()
            .where(MemberCard.customer == other, MemberCard.status.in_(["active", "lost"]))
            .exists()
        ):
            raise Conflict(_("Both customers hold a member card; cancel one card before merging."))
        moved = {}
        for model, column in _customer_links():
            moved[model.__name__] = (
                model.update({column: keep.id}).where(column == other.id).execute()
            )
        # A paper or an event the kept file already has stays with the merged one.
        one_each: dict[Any, Callable[[Any], Any]] = {
            CustomerDocument: lambda row: CustomerDocument.doc_type == row.doc_type,
            EventAttendance: lambda row: EventAttendance.event == row.event,
        }
        for model, same in one_each.items():
            for row in model.select().where(model.customer == other):
                clash = model.select().where(model.customer == keep, same(row)).exists()
                if not clash:
                    model.update(customer=keep).where(model.id == row.id).execute()
        _move_complainants(actor, keep.id, other.id)
        tags = sorted((set(keep.tags.split(",")) | set(other.tags.split(","))) - {""})
        Customer.update(
            tags=",".join(tags), updated_at=now(), updated_by=actor, version=Customer.version + 1
        ).where(Customer.id == keep.id).execute()
        keep = get(keep.id)
        _write_tags(keep, tags)
        Customer.update(
            status="merged",
            merged_into=keep.id,
            archived_at=now(),
            updated_by=actor,
            updated_at=now(),
            version=Customer.version + 1,
        ).where(Customer.id == other.id).execute()
        search.remove_keys(other.id, search.keys_for(other))
        audit.record(
            actor,
            "merge",
            "customer",
            keep.id,
            summary=f"{other.id} → {keep.id}",
            changes={"moved": moved, "merged": other.id},
        )
    emit_after_commit(Change.CUSTOMER, *_MOVED_BY_MERGE)
    return keep
