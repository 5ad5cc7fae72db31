"""The command line contract: init, demo, print, one-line errors with exit status 2."""

from __future__ import annotations

import sqlite3

from tests.conftest import needs_poppler, pdf_fonts, pdf_text, run_cli


def test_init_creates_a_database(tmp_path):
    path = tmp_path / "office.sqlite3"
    result = run_cli("--db", str(path), "init", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "数据库已就绪" in result.stdout
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT version FROM schema_version").fetchone()[0] >= 1
    con.close()


def test_init_defaults_to_the_data_folder(tmp_path):
    home = tmp_path / "home"
    result = run_cli("init", home=home)
    assert result.returncode == 0, result.stderr
    assert (home / "data" / "csoffice.sqlite3").exists()


def test_unknown_command_is_one_line_and_status_2(tmp_path):
    result = run_cli("frobnicate", home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unusable_database_path_is_one_line_and_status_2(tmp_path):
    result = run_cli("--db", str(tmp_path / "no" / "such" / "dir.sqlite3"), "init", home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00garbage" * 500)
    result = run_cli("--db", str(garbage), "init", home=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_english_messages(tmp_path):
    result = run_cli("--lang", "en", "--db", str(tmp_path / "x.sqlite3"), "init", home=tmp_path)
    assert "Database ready" in result.stdout


def test_demo_is_deterministic(tmp_path):
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path in (first, second):
        result = run_cli(
            "--db",
            str(path),
            "demo",
            "--customers",
            "60",
            "--months",
            "3",
            "--seed",
            "7",
            home=tmp_path,
        )
        assert result.returncode == 0, result.stderr

    def names(path):
        with sqlite3.connect(path) as con:
            rows = con.execute(
                "SELECT name, mobile, id_number FROM customer ORDER BY id"
            ).fetchall()
        con.close()
        return rows

    assert names(first) == names(second)
    assert len(names(first)) >= 55
    assert any(name == "刘䶮" for name, *_rest in names(first))


@needs_poppler
def test_print_test_page_embeds_the_font(tmp_path):
    out = tmp_path / "test.pdf"
    result = run_cli(
        "--db", str(tmp_path / "x.sqlite3"), "print", "test-page", "--out", str(out), home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    fonts = pdf_fonts(out)
    assert "WenQuanYiZenHei" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes " in line, line  # embedded and subset, every font
    text = pdf_text(out)
    assert "打印测试页" in text and "刘䶮" in text
