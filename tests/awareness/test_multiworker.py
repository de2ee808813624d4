"""The site behaves the same whichever process answers: sessions, flash messages, the sheet of
one-time passwords, class joins, the language, a visitor's progress, a topic edit and a new
answer on the teacher's class page are never stale.

Real gunicorn servers with production settings, driven over HTTP by a browser that carries its
own cookies. Each request of a flow (redirects included) goes to the next server in turn, so
consecutive steps are answered by different processes, deterministically: four gunicorn
instances of one worker each sharing one SQLite file (no Redis), the same flows against one
gunicorn of four workers, and two instances of two workers sharing PostgreSQL and Redis.
A per-process session cache (the site before database/Redis sessions) fails these flows.
"""

import json
import re
import sqlite3
from contextlib import closing

import pytest

from tests.live_servers import (
    PUBLISH_SCENARIO,
    Browser,
    Page,
    gunicorns,
    in_the_run_on,
    manage,
    postgres_answers,
    postgres_database,
    production_env,
    redis_answers,
)

pytestmark = pytest.mark.slow

REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "multiworker-password-not-secret-42"
TEACHER = "mw-teacher"
CLASS_NAME = "7B multiworker"
SCENARIO_SLUG = "mw-phone-scam"
SCENARIO_TITLE = "Multiworker phone scam"
PUPILS = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fang"]
# One-time passwords as the site writes them on slips: three groups of four characters.
SLIP_PASSWORD = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b")

PREPARE = (
    PUBLISH_SCENARIO
    + rf"""
import json
from awareness.models import User
from awareness.accounts.services import account_create

account_create(username="{TEACHER}", password="{PASSWORD}", role=User.Role.TEACHER)
scenario = publish_scenario("{SCENARIO_SLUG}", "{SCENARIO_TITLE}")
print(json.dumps({{"scenario": scenario.pk}}))
"""
)
PUPIL_USERNAMES = r"""
import json
from awareness.models import User
print(json.dumps(sorted(User.objects.filter(
    created_by__username="{teacher}", memberships__classroom_id={pk}
).values_list("username", flat=True))))
"""


# --- the flows -------------------------------------------------------------------------------


def assert_flash_once(browser: Browser, page: Page, message: str) -> None:
    """``message`` is on ``page`` once, and gone when the same page is loaded again."""
    assert page.status == 200, page
    assert page.text.count(message) == 1, f"{message!r} not shown once on {page}"
    again = browser.get(page.path)
    assert again.status == 200, again
    assert message not in again.text, f"{message!r} shown again on {again}"


def log_in(browser: Browser, username: str, password: str) -> Page:
    form = browser.get("/accounts/login/")
    return browser.submit(form, {"username": username, "password": password})


def sign_up_student(browser: Browser, username: str) -> Page:
    form = browser.get("/accounts/signup/")
    home = browser.submit(
        form,
        {"username": username, "password1": PASSWORD, "password2": PASSWORD, "role": "student"},
    )
    assert home.path == "/", f"sign-up of {username} failed: {home}"
    assert_flash_once(browser, home, "Welcome! Your account is ready.")
    return home


def sheet_slips(html: str, usernames: list[str]) -> dict[str, str | None]:
    """Each username's one-time password on the sheet: the first password after the username
    and before the next one (None when the slip has none)."""
    found = {u: html.find(f">{u}<") for u in usernames}
    starts = sorted(pos for pos in found.values() if pos >= 0)
    slips: dict[str, str | None] = {}
    for username, start in found.items():
        if start < 0:
            slips[username] = None
            continue
        end = next((pos for pos in starts if pos > start), len(html))
        match = SLIP_PASSWORD.search(html, start, end)
        slips[username] = match[0] if match else None
    return slips


def teacher_flow(
    servers: list[str], env: dict[str, str], scenario_pk: int
) -> tuple[Browser, str, str]:
    """Log in, create a class (flash once), assign a scenario (flash once), create pupil
    accounts: the sheet shows every one-time password on 12 reloads in a row and they work.
    Returns the teacher's browser, the class's path and its join code."""
    teacher = Browser(servers)
    home = log_in(teacher, TEACHER, PASSWORD)
    assert home.path == "/classes/", f"teacher login failed: {home}"  # teachers land there

    form = teacher.get("/classes/new/")
    detail = teacher.submit(form, {"name": CLASS_NAME})
    assert re.fullmatch(r"/classes/\d+/", detail.path), detail
    class_path = detail.path
    assert_flash_once(teacher, detail, "Class created. Share the join code with your students.")

    form = teacher.get(class_path + "assign/")
    detail = teacher.submit(form, {"scenario": str(scenario_pk), "due_date": ""})
    assert detail.path == class_path, detail
    assert_flash_once(teacher, detail, f"1 scenario is assigned to the class: “{SCENARIO_TITLE}”.")

    form = teacher.get(class_path + "accounts/")
    sheet = teacher.submit(form, {"names": "\n".join(PUPILS), "count": ""})
    assert sheet.path == class_path + "accounts/sheet/", sheet
    created = f"{len(PUPILS)} accounts created. Print the sheet and cut it into slips."
    assert sheet.text.count(created) == 1, f"{created!r} not shown once on {sheet}"
    pk = class_path.strip("/").split("/")[-1]
    usernames = json.loads(
        manage(env, "shell", "-v", "0", "-c", PUPIL_USERNAMES.format(teacher=TEACHER, pk=pk))
    )
    assert len(usernames) == len(PUPILS)
    slips = sheet_slips(sheet.text, usernames)
    assert all(slips.values()), f"passwords missing on the sheet from {sheet.server}: {slips}"
    assert len(set(slips.values())) == len(PUPILS)
    for name in PUPILS:
        assert f">{name}<" in sheet.text, f"{name} has no slip"
    for reload in range(1, 13):
        again = teacher.get(sheet.path)
        assert again.status == 200, again
        assert sheet_slips(again.text, usernames) == slips, (
            f"reload {reload} from {again.server}: the sheet lost its passwords"
        )
        assert "accounts created" not in again.text, f"reload {reload}: flash shown again"

    # The slips hold the real passwords: a pupil signs in and must choose their own.
    pupil = Browser(servers)
    first = usernames[0]
    password = slips[first]
    assert password is not None, f"{first} has no slip"
    landing = log_in(pupil, first, password)
    assert landing.path == "/accounts/password/", f"{first} could not sign in: {landing}"

    detail = teacher.get(class_path)
    code = re.search(r"[?&]code=([A-Z0-9]+)", detail.text)
    assert code, "no join link on the class page"
    return teacher, class_path, code[1]


def student_joins(servers: list[str], class_path: str, code: str) -> Browser:
    """A student signs up and joins the class with its code: it takes on the first try."""
    student = Browser(servers)
    sign_up_student(student, "mw-student")
    form = student.get("/join/")
    assert "You are not in any class yet." in form.text
    confirm = student.submit(form, {"code": code})
    assert confirm.status == 200, confirm
    assert CLASS_NAME in confirm.text and 'name="display_name"' in confirm.text, confirm
    joined = student.submit(confirm, {"code": code, "display_name": "Mia"})
    assert joined.path == "/join/", f"join did not take: {joined}"
    assert_flash_once(student, joined, f"You joined “{CLASS_NAME}”.")
    again = student.get("/join/")
    assert CLASS_NAME in again.text and "You are not in any class yet." not in again.text
    progress = student.get("/progress/")
    assert SCENARIO_TITLE in progress.text, "the class's assignment is not on /progress/"
    return student


RENAME_TOPIC = r"""
from awareness.models import Topic
from awareness.pages.services import topic_save

topic = Topic.objects.get(language="en", slug="live")
topic.title = "Live, renamed"
topic_save(topic=topic)
"""


def edits_show_at_once(
    servers: list[str], env: dict[str, str], teacher: Browser, class_path: str, student: Browser
) -> None:
    """A topic edit reaches the next visitor, and a new answer the teacher's next look at the
    class page, whichever process answers (both pages are cached in the shared cache)."""
    for _ in servers:  # every process has served (and cached) the topic list
        assert "Live, renamed" not in Browser(servers).get("/learn/").text
    manage(env, "shell", "-v", "0", "-c", RENAME_TOPIC)
    for _ in servers:
        assert "Live, renamed" in Browser(servers).get("/learn/").text, "a stale topic list"

    before = teacher.get(class_path)
    in_progress = 'class="o o-ip"'  # a matrix cell of an attempt in progress
    assert in_progress not in before.text and "Not started" in before.text, before
    intro = student.get(f"/scenarios/{SCENARIO_SLUG}/")
    play = student.submit(intro, {}, to=f"/scenarios/{SCENARIO_SLUG}/start/")
    feedback = student.submit(play, {"step": "d1", "choice": "a"}, to=play.path + "answer/")
    assert feedback.status == 200, feedback
    for _ in servers:
        after = teacher.get(class_path)
        assert in_progress in after.text, f"the class page missed the new answer: {after}"


def language_sticks(student: Browser, servers: list[str]) -> Browser:
    """Chinese, once chosen, is the language of every following page on every process: for a
    signed-in student (the header's switcher) and for a visitor (Django's set_language)."""
    assert '<html lang="en"' in student.get("/").text
    landing = student.get("/i18n/switch/?language=zh-hans&next=/progress/")
    assert landing.path == "/progress/", landing
    assert '<html lang="zh-hans"' in landing.text, landing
    for path in ("/", "/scenarios/", "/join/", "/progress/"):
        page = student.get(path)
        assert page.status == 200, page
        assert '<html lang="zh-hans"' in page.text, f"{page} is not in Chinese"

    visitor = Browser(servers)
    for path in ("/", "/scenarios/"):  # English copies of the public pages get cached
        assert '<html lang="en"' in visitor.get(path).text
    form = visitor.get("/accounts/login/")
    landing = visitor.submit(
        form, {"language": "zh-hans", "next": "/scenarios/"}, to="/i18n/setlang/"
    )
    assert landing.path == "/scenarios/" and '<html lang="zh-hans"' in landing.text, landing
    for path in ("/", "/scenarios/", "/learn/", "/help/"):
        page = visitor.get(path)
        assert page.status == 200, page
        assert '<html lang="zh-hans"' in page.text, f"{page} is not in Chinese"
    return visitor


def visitor_progress_is_claimed(servers: list[str]) -> Browser:
    """A visitor answers a decision, then signs up: /progress/ shows that attempt."""
    visitor = Browser(servers)
    intro = visitor.get(f"/scenarios/{SCENARIO_SLUG}/")
    assert intro.status == 200, intro
    play = visitor.submit(intro, {}, to=f"/scenarios/{SCENARIO_SLUG}/start/")
    assert re.fullmatch(rf"/scenarios/{SCENARIO_SLUG}/play/\d+/", play.path), play
    assert play.status == 200, play
    feedback = visitor.submit(play, {"step": "d1", "choice": "a"}, to=play.path + "answer/")
    assert feedback.path == play.path + "feedback/d1/" and feedback.status == 200, feedback
    sign_up_student(visitor, "mw-visitor")
    progress = visitor.get("/progress/")
    assert progress.status == 200, progress
    assert SCENARIO_TITLE in progress.text, "the visitor's attempt was not claimed"
    assert "(1 of 1)" in progress.text, "the visitor's decision is not counted"
    return visitor


def run_flows(servers: list, env: dict[str, str], scenario_pk: int) -> None:
    try:
        _run_flows(servers, env, scenario_pk)
    except AssertionError as failure:
        logs = "\n".join(server.errors() for server in servers).strip()
        if logs:
            failure.add_note(f"server errors:\n{logs}")
        raise


def _run_flows(servers: list, env: dict[str, str], scenario_pk: int) -> None:
    urls = [server.url for server in servers]
    teacher, class_path, code = teacher_flow(urls, env, scenario_pk)
    student = student_joins(urls, class_path, code)
    assert "Mia" in teacher.get(class_path).text, "the student is not in the teacher's class"
    edits_show_at_once(urls, env, teacher, class_path, student)
    visitor = language_sticks(student, urls)
    claimer = visitor_progress_is_claimed(urls)
    errors = [e for b in (teacher, student, visitor, claimer) for e in b.server_errors()]
    assert not errors, errors
    for server in servers:
        assert not server.errors(), server.errors()


# --- the set-ups -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database with the teacher and a published scenario, made once."""
    path = tmp_path_factory.mktemp("multiworker") / "template.sqlite3"
    env = production_env(SQLITE_PATH=str(path))
    manage(env, "migrate", "--noinput", "-v0")
    prepared = json.loads(manage(env, "shell", "-v", "0", "-c", PREPARE))
    return path, prepared["scenario"]


@pytest.fixture
def sqlite_site(sqlite_template, tmp_path):
    """A fresh copy of the template database; the environment that serves it."""
    template, scenario_pk = sqlite_template
    path = tmp_path / "site.sqlite3"
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return production_env(SQLITE_PATH=str(path)), scenario_pk


@in_the_run_on("sqlite")
def test_flows_across_four_single_worker_servers_on_sqlite(sqlite_site):
    env, scenario_pk = sqlite_site
    with gunicorns(env, instances=4, workers=1) as servers:
        run_flows(servers, env, scenario_pk)


@in_the_run_on("sqlite")
def test_flows_on_one_server_with_four_workers_on_sqlite(sqlite_site):
    env, scenario_pk = sqlite_site
    with gunicorns(env, instances=1, workers=4) as servers:
        run_flows(servers, env, scenario_pk)


@in_the_run_on("postgresql")
@pytest.mark.skipif(
    not (postgres_answers() and redis_answers(REDIS_URL)),
    reason="PostgreSQL on 127.0.0.1:5432 or Redis on 127.0.0.1:6379 is not answering",
)
def test_flows_across_two_servers_on_postgresql_and_redis():
    import redis

    cache = redis.Redis.from_url(REDIS_URL)
    cache.flushdb()
    try:
        with postgres_database("mw") as database_url:
            env = production_env(DATABASE_URL=database_url, REDIS_URL=REDIS_URL)
            manage(env, "migrate", "--noinput", "-v0")
            scenario_pk = json.loads(manage(env, "shell", "-v", "0", "-c", PREPARE))["scenario"]
            with gunicorns(env, instances=2, workers=2) as servers:
                run_flows(servers, env, scenario_pk)
    finally:
        cache.flushdb()
