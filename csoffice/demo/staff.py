"""Demo staff: the manager and a few clerks of a small desk, all able to sign in."""

from __future__ import annotations

from dataclasses import dataclass

from csoffice import auth, settings
from csoffice.auth import Role
from csoffice.db.database import db
from csoffice.db.models import Staff
from csoffice.demo.desk import Desk

PASSWORD = "demo1234"
OFFICE_NAME = "示范汽车销售服务有限公司"
TEAM = [
    ("wangfang", "王芳", Role.CLERK, "客服部"),
    ("lijing", "李静", Role.CLERK, "客服部"),
    ("zhangwei", "张伟", Role.CLERK, "客服部"),
    ("chenjie", "陈洁", Role.VIEWER, "销售部"),
]


@dataclass(frozen=True)
class Account:
    """A sign-in the demo made or found: ``password`` is empty when it was set before."""

    username: str
    display_name: str
    role: str
    password: str


def create(desk: Desk) -> list[Account]:
    """The demo team (existing accounts are kept as they are); each new account's password is
    'demo1234'. A manager without a password (the command line's) gets it too, and the office a
    name, so the demo opens at the sign-in window rather than the first-run set-up."""
    actor = desk.manager
    accounts = []
    with db.atomic():
        if not actor.password_hash:
            actor.password_hash = auth.hash_password(PASSWORD)
            actor.save()
            accounts.append(Account(actor.username, actor.display_name, actor.role, PASSWORD))
            if not settings.get("office.name"):
                settings.put(actor, {"office.name": OFFICE_NAME})
        else:
            accounts.append(Account(actor.username, actor.display_name, actor.role, ""))
        for username, name, role, department in TEAM:
            existing = Staff.get_or_none(Staff.username == username)
            password = ""
            if existing is None:
                existing = auth.create_staff(actor, username, name, role, password=PASSWORD)
                existing.department = department
                existing.save()
                password = PASSWORD
            accounts.append(Account(username, existing.display_name, existing.role, password))
    return accounts
