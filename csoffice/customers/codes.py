"""The customer archive's code tables (kinds, classes, ID types, genders, sources,
statuses) and their labels."""

from __future__ import annotations

from csoffice.i18n import N_, _

KINDS = {"individual": N_("Individual"), "company": N_("Company")}
CLASSES = {
    "vip": N_("Key / VIP"),
    "new": N_("New customer"),
    "dissatisfied": N_("Dissatisfied"),
    "ordinary": N_("Ordinary"),
}
ID_TYPES = {
    "": N_("None"),
    "resident_id": N_("Resident ID"),
    "credit_code": N_("Unified social credit code"),
    "passport": N_("Passport"),
    "other": N_("Other"),
}
GENDERS = {"": N_("Not given"), "M": N_("Male"), "F": N_("Female")}
SOURCES = [
    N_("Walk-in"),
    N_("Referral"),
    N_("Phone"),
    N_("Online"),
    N_("Event"),
    N_("Secondary outlet"),
    N_("Other"),
]


STATUSES = {"active": N_("Active"), "archived": N_("Archived"), "merged": N_("Merged")}


def class_label(code: str) -> str:
    return _(CLASSES.get(code, code))
