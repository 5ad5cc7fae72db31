"""The desk program on a real X server with no window manager, driven by xdotool: quitting with
Ctrl+Q and from the File menu ends the program with exit code 0, after signing in, after the lock
screen and after signing in as someone else. (Offscreen Qt activates every window it shows, so
it cannot see a main window that takes no shortcut; X without a window manager activates none.)"""

from __future__ import annotations

import pytest

from tests.ui import x_desk

pytestmark = pytest.mark.skipif(not x_desk.available(), reason="needs Xvfb and xdotool")

OFFICE = "示范汽车销售服务有限公司"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return x_desk.demo_office(tmp_path_factory.mktemp("x-office"))


@pytest.fixture
def desk(office, tmp_path):
    server = x_desk.XServer()
    started: list[x_desk.Desk] = []

    def start() -> x_desk.Desk:
        started.append(x_desk.Desk(server, office, tmp_path / "home"))
        return started[-1]

    yield start
    for one in started:
        if one.process.poll() is None:
            one.process.kill()
            one.process.wait(10)
    server.stop()


def sign_in(desk: x_desk.Desk, username: str) -> None:
    desk.wait_for_window("登录 — ")
    desk.key("ctrl+a")
    desk.type(username)
    desk.key("Tab")
    desk.type("demo1234")
    desk.key("Return")
    desk.wait_for_window(f"{OFFICE} — csoffice")


def test_ctrl_q_after_signing_in_quits_with_exit_code_0(desk):
    app = desk()
    sign_in(app, "wangfang")
    app.key("ctrl+q")
    code = app.exit_code()
    assert code == 0, f"exit code {code}: {app.output()}"


def test_quit_after_the_lock_and_another_clerk_signing_in(desk):
    app = desk()
    sign_in(app, "wangfang")
    app.key("ctrl+l")  # the main window takes its shortcuts
    app.wait_for_window("屏幕已锁定")
    app.type("demo1234")
    app.key("Return")
    app.wait_for_window(f"{OFFICE} — csoffice")
    app.key("ctrl+l")  # ... and again after the lock screen
    app.wait_for_window("屏幕已锁定")
    app.key("Tab", "Tab", "space")  # 换人登录
    sign_in(app, "lijing")
    app.key("alt+f", "q")  # 文件(F) ▸ 退出(Q)
    code = app.exit_code()
    assert code == 0, f"exit code {code}: {app.output()}"
