import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_source_string_is_translated_in_the_chinese_catalogue(tmp_path):
    """Re-extract the strings from a copy of the code: none may be missing or untranslated."""
    for name in ("awareness", "quizzes", "live", "templates", "locale", "tests", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            "tests/*",
            "-v0",
        ],
        cwd=tmp_path,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
    )
    extracted = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in extracted if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"untranslated strings (run makemessages and translate): {missing[:20]}"


def test_compiled_catalogue_matches_its_source():
    po = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(e.msgstr_plural.values()))
        for e in polib.pofile(str(PO))
        if e.translated()
    }
    mo = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(e.msgstr_plural.values()))
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert po == mo, "locale/zh_Hans/LC_MESSAGES/django.mo is stale: run compilemessages"


@pytest.mark.django_db
def test_accept_language_gives_chinese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


@pytest.mark.django_db
def test_language_switcher_works_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log in" in client.get("/").content.decode()


@pytest.mark.django_db
def test_get_switcher_sets_the_language_cookie_and_goes_back(client):
    response = client.get("/i18n/switch/", {"language": "zh-hans", "next": "/learn/"})
    assert response.status_code == 302 and response["Location"] == "/learn/"
    assert response.cookies["django_language"].value == "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "status", "location"),
    [
        ({"language": "xx", "next": "/"}, 400, None),
        ({}, 400, None),
        ({"language": "en", "next": "https://evil.example/"}, 302, "/"),
        ({"language": "en", "next": "//evil.example/"}, 302, "/"),
    ],
)
def test_get_switcher_rejects_bad_input(client, params, status, location):
    response = client.get("/i18n/switch/", params)
    assert response.status_code == status
    if location:
        assert response["Location"] == location
