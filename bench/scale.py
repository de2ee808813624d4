"""Do the teacher's results pages stay as fast with 1,000,000 answers as with a thousand?

Builds a realistic class (a teacher, 40 students, 20 assigned scenarios played through the
real services), copies the database, fills the copy with other schools' classes, students,
attempts and answers up to --answers answers and runs ANALYZE on both. Then times the class's
pages on the two copies with Django's test client, in alternating rounds so that load from
elsewhere on the machine hits both sizes alike, and prints the plan of every query the pages
run against the answer and attempt tables, flagging any that reads a whole one.

Usage: python bench/scale.py [--answers N] [--requests N] [--database-url URL] [--keep]
Without --database-url throwaway SQLite files are used; with postgres://…/NAME, databases
NAME and NAME_large are created on that server and dropped at the end (the server's own
"postgres" database is only connected to for CREATE and DROP DATABASE). Writes the table to
bench/results/scale.md. Exit status 0 when no page is more than 1.5 times slower at the large
size (differences under 2 ms pass) and no query scans a whole answer or attempt table.
"""

import argparse
import gc
import io
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_RATIO = 1.5
ROUND = 3  # requests per page and size in each round (short rounds: load bursts hit both)
NOISE_MS = 2.0  # smaller differences pass: timings on a shared machine wobble by this much
BIG_TABLES = ("quizzes_answer", "quizzes_attempt")
SERVER_DATABASES = {"", "postgres", "template0", "template1"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers at the end")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://user@host:port/NAME: NAME is created, used and dropped",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases (to investigate) and say where"
    )
    return parser.parse_args()


ARGS = parse_args()
WORK = Path(tempfile.mkdtemp(prefix="scale-bench-"))

# Never inherit the caller's database or shared cache: this run writes a million rows and
# clears the cache before every uncached request.
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ["SQLITE_PATH"] = str(WORK / "small.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "awareness.settings"
os.environ["DEBUG"] = "0"  # production settings: no query log, no template debug
os.environ["SECRET_KEY"] = "scale-bench-" + os.urandom(24).hex()
os.environ["HTTPS"] = "off"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["LOG_LEVEL"] = "ERROR"


def server_url(url: str) -> tuple[str, str]:
    """The throwaway database's name, and the URL of the server's maintenance database (used
    only for CREATE and DROP DATABASE, never written into)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in SERVER_DATABASES or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"--database-url must name a throwaway database (not {name or 'none'!r})")
    return name, parts._replace(path="/postgres").geturl()


def server(sql: str) -> None:
    import psycopg

    _name, maintenance = server_url(ARGS.database_url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql)


def drop_databases() -> None:
    name, _maintenance = server_url(ARGS.database_url)
    for database in (name, f"{name}_large"):
        server(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if ARGS.database_url:
    drop_databases()
    server(f'CREATE DATABASE "{server_url(ARGS.database_url)[0]}"')
    os.environ["DATABASE_URL"] = ARGS.database_url

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from awareness.accounts.services import account_create  # noqa: E402
from awareness.models import User  # noqa: E402
from bench.playing import play_some  # noqa: E402
from bench.scale_data import analyze, fill, sizes  # noqa: E402
from quizzes.classes.services import classroom_create  # noqa: E402
from quizzes.models import Assignment, Attempt, Classroom, Membership, Scenario  # noqa: E402

# The measured class's throwaway accounts get a fast hash.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "scale-password-not-secret-1"  # noqa: S105


@dataclass
class Target:
    teacher: User
    classroom: Classroom
    student: User  # the class's student with the most attempts


@dataclass
class Page:
    name: str
    url: str
    user: User
    uncached: bool = False


# --- the measured class ----------------------------------------------------------------


def build_class() -> Target:
    for pack in sorted((settings.BASE_DIR / "content").glob("*.json")):
        call_command("import_content", str(pack), verbosity=0, stdout=io.StringIO())
    scenarios = list(Scenario.objects.published().filter(language="en").order_by("pk")[:20])
    teacher = account_create(username="scale-teacher", password=PASSWORD, role="teacher")
    classroom = classroom_create(teacher=teacher, name="Scale class")
    Assignment.objects.bulk_create(Assignment(classroom=classroom, scenario=s) for s in scenarios)
    pupils = []
    for i in range(40):
        pupil = account_create(username=f"scale-pupil-{i}", password=PASSWORD)
        Membership.objects.create(classroom=classroom, student=pupil)
        pupils.append(pupil)
        for j, scenario in enumerate(scenarios):
            if (i + j) % 4:
                play_some(scenario, pupil, depth=(i + j) % 5 + 1)
            if (i + j) % 9 == 0:  # a retry now and then
                play_some(scenario, pupil, depth=5)
    busiest = max(pupils, key=lambda p: (Attempt.objects.filter(user=p).count(), -p.pk))
    return Target(teacher=teacher, classroom=classroom, student=busiest)


def pages(target: Target) -> list[Page]:
    pk = target.classroom.pk
    results = reverse("classes:detail", args=[pk])
    return [
        Page("class results (uncached)", results, target.teacher, uncached=True),
        Page("class results (as served)", results, target.teacher),
        Page(
            "one student's answers",
            reverse("classes:student", args=[pk, target.student.pk]),
            target.teacher,
        ),
        Page("results CSV", reverse("classes:export-csv", args=[pk]), target.teacher),
        Page("answers CSV", reverse("classes:export-answers-csv", args=[pk]), target.teacher),
        Page("student's /progress/", reverse("play:progress"), target.student),
    ]


# --- timing and plans ------------------------------------------------------------------


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, page: Page) -> tuple[float, float]:
    """One request: wall-clock and CPU milliseconds (the CPU time of this process includes
    SQLite's work, which runs in-process, but not the load of other processes)."""
    if page.uncached:
        cache.clear()  # outside the timed part
    start, start_cpu = time.perf_counter(), time.process_time()
    response = client.get(page.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    assert response.status_code == 200, f"{page.url} answered {response.status_code}"
    return wall * 1000, cpu * 1000


def use(database: str) -> None:
    """Point the default connection at one of the two databases (the class is the same in
    both: same ids, same sessions)."""
    connection.close()
    connection.settings_dict["NAME"] = database
    cache.clear()


def copy_database() -> str:
    """A copy of the current (small) database, to be filled; returns its name."""
    small = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        large = str(WORK / "large.sqlite3")
        with closing(sqlite3.connect(small)) as source, closing(sqlite3.connect(large)) as copy:
            source.backup(copy)
        return large
    large = f"{small}_large"
    server(f'CREATE DATABASE "{large}" TEMPLATE "{small}"')
    return large


Timings = dict[str, dict[str, tuple[float, float]]]


def measure(pages: list[Page], clients: dict[int, Client], databases: dict[str, str]) -> Timings:
    """Median wall-clock and CPU ms per size and page. The sizes take turns, ROUND requests
    per page at a time, so a burst of load from elsewhere on the machine hits both alike."""
    samples: dict[str, dict[str, tuple[list[float], list[float]]]] = {
        size: {p.name: ([], []) for p in pages} for size in databases
    }
    rounds = -(-ARGS.requests // ROUND)
    for number in range(rounds):
        order = list(databases.items())
        for size, database in order if number % 2 == 0 else reversed(order):
            use(database)
            for page in pages:
                client = clients[page.user.pk]
                get(client, page)  # warm the fresh connection's page cache (and the cache)
                for _ in range(ROUND):
                    wall, cpu = get(client, page)
                    samples[size][page.name][0].append(wall)
                    samples[size][page.name][1].append(cpu)
        print(f"  round {number + 1}/{rounds} done", flush=True)
    return {
        size: {
            name: (statistics.median(wall), statistics.median(cpu))
            for name, (wall, cpu) in by_page.items()
        }
        for size, by_page in samples.items()
    }


def _aliases(sql: str) -> set[str]:
    """The names a query gives the answer and attempt tables (Django's subqueries alias them
    U0, U1…; the results stamp calls the attempts "t")."""
    names = set()
    tables = "|".join(BIG_TABLES)
    pattern = rf'(?:FROM|JOIN)\s+"?({tables})"?(?:\s+(?:AS\s+)?"?(\w+)"?)?'
    for table, alias in re.findall(pattern, sql, flags=re.IGNORECASE):
        names.add(table)
        if alias and alias.upper() not in {"WHERE", "INNER", "LEFT", "JOIN", "ON", "ORDER"}:
            names.add(alias)
    return names


def plan_lines(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql)
        return [row[0] for row in cursor.fetchall()]


def full_scans(sql: str, lines: list[str]) -> list[str]:
    """Plan lines that read a whole answer or attempt table (or a whole index of one): SQLite
    "SCAN <table>" with or without an index, PostgreSQL "Seq Scan on <table>". A "SEARCH"
    (an index lookup on a constraint) is what we want."""
    names = _aliases(sql)
    found = []
    for line in lines:
        text = line.strip().lstrip("-> ").strip()
        sqlite = re.match(r"SCAN (\w+)", text)
        postgres = re.match(r"(?:Parallel )?Seq Scan on (\w+)", text)
        if (sqlite and sqlite.group(1) in names) or (postgres and postgres.group(1) in BIG_TABLES):
            found.append(text)
    return found


def explain(all_pages: list[Page]) -> list[str]:
    """Print every query of every page with its plan; return the full scans found."""
    problems = []
    seen = set()
    for page in all_pages:
        client = client_for(page.user)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            get(client, page)
        print(f"\n### {page.name}: {len(captured)} queries")
        for number, query in enumerate(captured.captured_queries, start=1):
            sql = query["sql"]
            if not re.search("|".join(BIG_TABLES), sql) or sql in seen:
                continue
            seen.add(sql)
            lines = plan_lines(sql)
            scans = full_scans(sql, lines)
            short = sql if len(sql) < 300 else sql[:300] + " …"
            print(f"{number}. {short}")
            for line in lines:
                print(f"     {line}")
            for scan in scans:
                print(f"     ^^^ FULL SCAN: {scan}")
                problems.append(f"{page.name}, query {number}: {scan}")
    return problems


# --- the report ------------------------------------------------------------------------


def verdict(small: float, large: float) -> bool:
    return large <= small * MAX_RATIO or large - small < NOISE_MS


def report(timings: Timings, small_size: dict, large_size: dict, scans: list[str]) -> str:
    small, large = timings["small"], timings["large"]
    if connection.vendor == "sqlite":
        engine_name = f"SQLite {sqlite3.sqlite_version}"
    else:
        engine_name = f"PostgreSQL {connection.cursor().connection.info.server_version}"
    lines = [
        f"# Scale benchmark {timezone.now():%Y-%m-%dT%H:%MZ}, {engine_name}, median of "
        f"{ARGS.requests} requests per page and size (Django test client, DEBUG off; the two "
        f"sizes measured in alternating rounds of {ROUND})",
        "",
        f"Small: {small_size['answers']:,} answers, {small_size['attempts']:,} attempts. "
        f"Large: {large_size['answers']:,} answers, {large_size['attempts']:,} attempts, "
        f"{large_size['users']:,} users, {large_size['classes']:,} classes (after ANALYZE). "
        "The measured class: 40 students × 20 assigned scenarios.",
        "",
        "| page | small (ms) | large (ms) | ratio | CPU small (ms) | CPU large (ms) | CPU ratio "
        "| verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (before, cpu_before) in small.items():
        after, cpu_after = large[name]
        ok = "ok" if verdict(before, after) else f"SLOWER (> {MAX_RATIO}× and > {NOISE_MS} ms)"
        lines.append(
            f"| {name} | {before:.2f} | {after:.2f} | {after / before:.2f} | {cpu_before:.2f} "
            f"| {cpu_after:.2f} | {cpu_after / cpu_before:.2f} | {ok} |"
        )
    lines += ["", "Full scans of quizzes_answer / quizzes_attempt at the large size:"]
    lines += [f"- {scan}" for scan in scans] or ["- none"]
    return "\n".join(lines) + "\n"


def main() -> int:
    rng = random.Random(ARGS.seed)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)  # as bench/run.sh does
    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    target = build_class()
    all_pages = pages(target)
    clients = {page.user.pk: client_for(page.user) for page in all_pages}  # sessions in both
    analyze()
    small_size = sizes()
    print(f"Small: {small_size} (built in {time.perf_counter() - started:.0f} s)", flush=True)

    databases = {"small": connection.settings_dict["NAME"], "large": copy_database()}
    use(databases["large"])
    started = time.perf_counter()
    fill(ARGS.answers, rng)
    analyze()
    large_size = sizes()
    print(f"Large: {large_size} (filled in {time.perf_counter() - started:.0f} s)", flush=True)

    # Building and filling leave garbage and long-lived objects that the cyclic collector
    # would keep walking during the timed requests (it made whichever size came first look
    # up to 1.5x slower): collect once, and freeze what survives.
    gc.collect()
    gc.freeze()
    timings = measure(all_pages, clients, databases)
    use(databases["large"])
    scans = explain(all_pages)
    text = report(timings, small_size, large_size, scans)
    print("\n" + text)
    out = ROOT / "bench" / "results" / "scale.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")
    if ARGS.keep:
        print(f"Kept: {databases}")
    small, large = timings["small"], timings["large"]
    slower = [name for name in small if not verdict(small[name][0], large[name][0])]
    return 1 if slower or scans else 0


if __name__ == "__main__":
    status = 2
    try:
        status = main()
    finally:
        connections.close_all()
        if ARGS.database_url and not ARGS.keep:
            drop_databases()
        if not ARGS.keep:
            shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(status)
