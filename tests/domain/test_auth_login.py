"""Log-in, the waiting time after wrong passwords, passwords, the first-run set-up, staff
accounts and the roles, all enforced in the domain layer."""

from __future__ import annotations

import datetime as dt

import pytest

from csoffice import auth, customers, settings
from csoffice.customers import CustomerInput
from csoffice.db.models import AuditLog, Staff
from csoffice.errors import Conflict, PermissionDenied, ValidationError

T0 = dt.datetime(2026, 11, 24, 9, 0, 0)


def audit_actions(entity: str = "staff") -> list[str]:
    return [
        r.action for r in AuditLog.select().where(AuditLog.entity == entity).order_by(AuditLog.id)
    ]


def test_passwords_are_stored_as_scrypt_hashes(clerk):
    stored = Staff.get_by_id(clerk.id).password_hash
    assert stored.startswith("scrypt$") and "secret123" not in stored
    assert auth.verify_password("secret123", stored)
    assert not auth.verify_password("secret124", stored)
    assert not auth.verify_password("x", "not-a-hash")


def test_sign_in_records_the_time_and_an_audit_row(clerk):
    staff = auth.authenticate(" clerk1 ", "secret123", at=T0)
    assert staff.id == clerk.id and staff.last_login_at == T0
    assert audit_actions()[-1] == "login"


def test_wrong_password_and_unknown_user_give_the_same_answer(clerk):
    with pytest.raises(auth.LoginRefused) as wrong:
        auth.authenticate("clerk1", "nope", at=T0)
    with pytest.raises(auth.LoginRefused) as unknown:
        auth.authenticate("nobody", "nope", at=T0)
    assert str(unknown.value) == "用户名或密码错误。"
    assert str(wrong.value).startswith("用户名或密码错误。")
    assert Staff.get_by_id(clerk.id).failed_logins == 1
    assert audit_actions()[-1] == "login_failed"


def test_growing_delay_after_five_failures_survives_a_restart(clerk):
    at = T0
    for _attempt in range(5):
        with pytest.raises(auth.LoginRefused) as refused:
            auth.authenticate("clerk1", "wrong", at=at)
        at += dt.timedelta(seconds=1)
    assert refused.value.retry_after == 30  # the fifth failure starts the waiting
    stored = Staff.get_by_id(clerk.id)  # what a restarted app would read
    assert (stored.failed_logins, stored.last_failed_at) == (5, T0 + dt.timedelta(seconds=4))
    # While waiting, even the right password is not checked.
    with pytest.raises(auth.LoginRefused) as waiting:
        auth.authenticate("clerk1", "secret123", at=at)
    assert 0 < waiting.value.retry_after <= 30
    assert "秒后再试" in str(waiting.value)
    # After the wait a wrong password doubles it...
    at = stored.last_failed_at + dt.timedelta(seconds=31)
    with pytest.raises(auth.LoginRefused) as again:
        auth.authenticate("clerk1", "wrong", at=at)
    assert again.value.retry_after == 60
    assert [auth.login_delay(n) for n in (4, 5, 6, 7, 20)] == [0, 30, 60, 120, 300]
    # ...and the right one, once allowed, signs in and clears the count.
    at += dt.timedelta(seconds=61)
    assert auth.authenticate("clerk1", "secret123", at=at).failed_logins == 0


def test_deactivated_staff_cannot_sign_in_and_are_never_deleted(manager, clerk):
    auth.set_active(manager, clerk.id, False)
    with pytest.raises(auth.LoginRefused, match="停用"):
        auth.authenticate("clerk1", "secret123")
    assert Staff.get_by_id(clerk.id).active is False
    assert "deactivate" in audit_actions()
    auth.set_active(manager, clerk.id, True)
    assert auth.authenticate("clerk1", "secret123").id == clerk.id


def test_office_keeps_a_manager_and_nobody_deactivates_themself(manager, clerk):
    with pytest.raises(Conflict):
        auth.set_active(manager, manager.id, False)
    with pytest.raises(ValidationError) as refused:
        auth.update_staff(manager, manager.id, manager.display_name, auth.Role.CLERK)
    assert refused.value.errors["role"] == "单位至少需要一位经理。"
    promoted = auth.update_staff(manager, clerk.id, "王芳芳", auth.Role.MANAGER)
    assert (promoted.role, promoted.display_name) == ("manager", "王芳芳")
    assert (
        AuditLog.select()
        .where(AuditLog.action == "update", AuditLog.entity_id == clerk.id)
        .get()
        .changes
    )
    auth.update_staff(manager, manager.id, manager.display_name, auth.Role.CLERK)  # now allowed


def test_change_and_reset_password(manager, clerk):
    with pytest.raises(ValidationError) as wrong_old:
        auth.change_password(clerk, "bad", "newpass1", "newpass1")
    assert "old" in wrong_old.value.errors
    with pytest.raises(ValidationError) as short:
        auth.change_password(clerk, "secret123", "abc", "abc")
    assert "password" in short.value.errors
    with pytest.raises(ValidationError) as differ:
        auth.change_password(clerk, "secret123", "newpass1", "newpass2")
    assert "repeat" in differ.value.errors
    auth.change_password(clerk, "secret123", "newpass1", "newpass1")
    assert auth.authenticate("clerk1", "newpass1").id == clerk.id
    # The manager resets a forgotten password; that also lifts a waiting time.
    for _attempt in range(6):
        with pytest.raises(auth.LoginRefused):
            auth.authenticate("clerk1", "guess")
    auth.reset_password(manager, clerk.id, "fresh123", "fresh123")
    assert auth.authenticate("clerk1", "fresh123").id == clerk.id
    with pytest.raises(PermissionDenied, match="只有经理"):
        auth.reset_password(clerk, manager.id, "hijack12", "hijack12")
    assert {"change_password", "reset_password"} <= set(audit_actions())


def test_first_run_sets_up_the_office_and_adopts_the_scripted_manager(manager):
    customers.create(manager, CustomerInput(name="张三"))  # made before the set-up
    assert auth.needs_first_run()
    with pytest.raises(ValidationError) as missing:
        auth.first_run("", "", "", "123", "124")
    assert set(missing.value.errors) == {"office_name", "display_name", "username", "password"}
    boss = auth.first_run("幸福汽车 4S 店客服部", "李经理", "lijingli", "topsecret", "topsecret")
    assert boss.id == manager.id  # the records made before keep their signer
    assert settings.office().name == "幸福汽车 4S 店客服部"
    assert not auth.needs_first_run()
    assert auth.authenticate("lijingli", "topsecret").display_name == "李经理"
    with pytest.raises(PermissionDenied):
        auth.first_run("x", "y", "z", "password", "password")


def test_first_run_on_an_empty_database_creates_the_manager(database):
    assert not Staff.select().exists()
    boss = auth.first_run("客服部", "李经理", "li", "topsecret", "topsecret")
    assert boss.role == "manager" and Staff.select().count() == 1


def test_staff_list_rows(manager, clerk, viewer):
    auth.set_active(manager, viewer.id, False)
    ids = auth.staff_ids()
    assert ids[-1] == viewer.id  # deactivated staff last
    rows = {r.username: r for r in auth.staff_rows(ids)}
    assert rows["clerk1"].has_password and not rows["viewer1"].active
    assert rows["clerk1"].role_label == "客服专员"


@pytest.mark.parametrize(
    ("action", "clerk_may", "viewer_may"),
    [
        ("edit", True, False),
        ("print", True, False),
        ("view_personal", True, False),
        ("export", False, False),
        ("manage_staff", False, False),
        ("restore_backup", False, False),
        ("view_audit", False, False),
        ("confirm_major_complaint", False, False),
    ],
)
def test_roles(manager, clerk, viewer, action, clerk_may, viewer_may):
    assert auth.can(manager, action)
    assert auth.can(clerk, action) is clerk_may
    assert auth.can(viewer, action) is viewer_may


def test_refusals_in_the_domain_say_why(manager, clerk, viewer, tmp_path):
    with pytest.raises(PermissionDenied, match="您的角色不能修改记录"):
        customers.create(viewer, CustomerInput(name="李四"))
    with pytest.raises(PermissionDenied, match="只有经理可以导出数据"):
        customers.export(clerk, tmp_path / "x.csv", None, None)
    with pytest.raises(PermissionDenied, match="只有经理"):
        auth.create_staff(clerk, "sneaky", "某人", auth.Role.MANAGER, password="password1")
    with pytest.raises(PermissionDenied):
        settings.put(clerk, {"office.name": "x"})
    former = auth.create_staff(manager, "former", "前员工", auth.Role.CLERK, password="password1")
    auth.set_active(manager, former.id, False)
    with pytest.raises(PermissionDenied):
        customers.create(Staff.get_by_id(former.id), CustomerInput(name="王五"))


def test_masking_by_role(manager, clerk, viewer):
    data = CustomerInput(name="张三", mobile="13812345678", id_number="110101199003071234")
    assert auth.personal_view(clerk, data) is data
    shown = auth.personal_view(viewer, data)
    assert (shown.mobile, shown.id_number) == ("138****5678", "110101********1234")
    assert data.mobile == "13812345678"  # the original is untouched
    assert auth.shown_phone(viewer, "13812345678") == "138****5678"
    assert auth.shown_phone(manager, "13812345678") == "13812345678"
