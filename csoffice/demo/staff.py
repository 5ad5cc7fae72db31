"""Demo staff: the manager and a few clerks of a small desk."""

from __future__ import annotations

from csoffice import auth
from csoffice.auth import Role
from csoffice.db.models import Staff

TEAM = [
    ("wangfang", "王芳", Role.CLERK, "客服部"),
    ("lijing", "李静", Role.CLERK, "客服部"),
    ("zhangwei", "张伟", Role.CLERK, "客服部"),
    ("chenjie", "陈洁", Role.VIEWER, "销售部"),
]


def create(actor: Staff) -> list[Staff]:
    """The demo team (existing accounts are kept); every account's password is 'demo1234'."""
    team = [actor]
    for username, name, role, department in TEAM:
        existing = Staff.get_or_none(Staff.username == username)
        if existing is None:
            existing = auth.create_staff(actor, username, name, role, password="demo1234")
            existing.department = department
            existing.save()
        team.append(existing)
    return team
