"""Classroom load: how many students can play at the same time before pages get slow.

Simulated students, each signed in with their own cookies, walk the real flow as a browser
without JavaScript does: the scenario list, a scenario's intro, "Start" (a form post with the
page's CSRF token), then for each step the play page, an answer read from the page's own form
(a choice, or ticked phrases), the feedback page it redirects to and "Continue", until the
ending; then /progress/, and another scenario (their class's assigned ones first). They think
between clicks (uniform 0.5×–1.5× of ``--think``, 10 s by default); redirects are followed at
once, as a browser does. Each class's teacher reloads the class page every ``--teacher-every``
seconds. Static files are not fetched (hashed names, cached by browsers for a year).

The number of students rises in stages (``--stages``): each stage's new students start
spread over ``--ramp`` seconds, then the stage is measured for ``--hold`` seconds. It stops
after the first stage whose 95th percentile passes ``--max-p95`` ms or that has any error (a
status other than the page's own, a connection error, a timeout).

Measured: per request, the time the client waited (time.perf_counter around the request and
its body) and the time gunicorn spent on it (its access log's %(D)s, joined to the request by
an X-Bench-Id header). Per stage: requests/s, p50/p95/p99 of the client's time, the server's
p50/p95, errors, gunicorn workers restarted (gunicorn.conf.py's max_requests), the CPU used by
the site's processes, by the load generator (process time / wall time, of one core: near 100 %
it is the bottleneck itself) and by anything else, and how late the generator's event loop
woke (a late loop adds to every measured time). For the last stage run: the request mix, where
the server's time went per kind of request, and the p95 of each 5 s. After the run the
database is counted: every answer and start the site acknowledged must be stored.

The servers are started here, on throwaway data, with production settings (DEBUG off, as
bench/serve.sh): by default the README's SQLite and one gunicorn of 2 workers; with
``--postgres``, a throwaway PostgreSQL database, Redis (``--redis-url``, its database flushed
first) and two gunicorns of 2 workers behind one port served by HAProxy (apt-get install
haproxy). Students sign in through sessions made directly (no password is posted or hashed).

Usage:
  python bench/classroom_load.py                 # SQLite → bench/results/classroom.md
  python bench/classroom_load.py --postgres      # → bench/results/classroom-postgresql.md
Options: --stages 100,250,… --hold 60 --ramp 10 --think 10 --teacher-every 10 --target 1000
         --max-p95 250 --instances N --workers 2 --redis-url URL --out FILE --json FILE
         --samples FILE.csv --gunicorn-args "--max-requests 0" --no-collectstatic
Exit status 0 when the target stage was sustained (and the database holds what the site
acknowledged), 1 otherwise.
"""

import argparse
import asyncio
import csv
import html
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import (  # noqa: E402
    SITE_VARIABLES,
    HAProxy,
    Server,
    csrf_token,
    haproxy_path,
    manage,
    percentile,
    postgres_database,
    session_for,
)

DEFAULT_STAGES = "100,250,500,750,1000,1250,1500"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"  # no test of the suite uses it
# The request's X-Bench-Id, its status, microseconds in gunicorn, the worker's pid ("<pid>").
ACCESS_LOG_FORMAT = "%({x-bench-id}i)s %(s)s %(D)s %(p)s"
# The kinds of request, in the order a student meets them.
KINDS = (
    "scenario list", "scenario intro", "start", "play page", "answer", "feedback", "ending",
    "progress", "class page",
)  # fmt: skip

SCENARIO_LINK = re.compile(r'href="/scenarios/([a-z0-9-]+)/"')
START_FORM = re.compile(r'action="(/scenarios/[a-z0-9-]+/start/)"')
CONTINUE_LINK = re.compile(r'href="(/scenarios/[a-z0-9-]+/play/\d+/)"')
ACTION = re.compile(r'action="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]*)"')
CHOICE = re.compile(r'<input[^>]*name="choice"[^>]*value="([^"]*)"')
OPTION = re.compile(r'<input[^>]*name="options"[^>]*value="([^"]*)"')
ENDING = 'id="ending-title"'


# --- the data (run in a subprocess with the servers' environment) ------------------------------


def prepare_data(accounts: int, class_size: int, assigned: int) -> dict[str, Any]:
    """Import the shipped packs (as bench/prepare.py), then make ``accounts`` students in
    classes of ``class_size``, each class with its teacher and ``assigned`` scenarios, and
    sign everyone in through a session made here (no password to hash)."""
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from awareness.models import User
    from quizzes.classes.services import assignments_add, classroom_create
    from quizzes.models import Membership, Scenario

    for pack in sorted((ROOT / "content").glob("*.json")):
        call_command("import_content", str(pack), verbosity=0, stdout=io.StringIO())
    scenarios = list(Scenario.objects.published().filter(language="en").order_by("pk"))
    teachers, students = [], []
    with transaction.atomic():
        for number in range(math.ceil(accounts / class_size)):
            teacher = User.objects.create_user(
                username=f"load-teacher-{number}", password=None, role=User.Role.TEACHER
            )
            classroom = classroom_create(teacher=teacher, name=f"Class {number + 1}")
            chosen = [scenarios[(number * assigned + k) % len(scenarios)] for k in range(assigned)]
            assignments_add(classroom=classroom, teacher=teacher, scenarios=chosen)
            size = min(class_size, accounts - number * class_size)
            pupils = [
                User.objects.create_user(username=f"load-student-{number}-{n}", password=None)
                for n in range(size)
            ]
            Membership.objects.bulk_create(
                Membership(classroom=classroom, student=pupil) for pupil in pupils
            )
            class_url = f"/classes/{classroom.pk}/"
            teachers.append({"cookie": session_for(teacher), "class_url": class_url})
            slugs = [scenario.slug for scenario in chosen]
            students += [{"cookie": session_for(pupil), "assigned": slugs} for pupil in pupils]
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "teachers": teachers, "students": students}


def count_data() -> dict[str, int]:
    """What the run left in the database: answers, attempts, finished attempts."""
    import django

    django.setup()
    from quizzes.models import Answer, Attempt

    return {
        "answers": Answer.objects.count(),
        "attempts": Attempt.objects.count(),
        "finished": Attempt.objects.filter(finished_at__isnull=False).count(),
    }


def run_step(env: dict[str, str], *args: str) -> Any:
    """This script's ``--step`` in a subprocess with the servers' environment; its JSON."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


# --- the clients -------------------------------------------------------------------------------


class Lost(Exception):
    """A request failed (recorded as an error): the student starts again from the list."""


class Stopped(Exception):
    """The run is over."""


@dataclass
class Sample:
    """One request: its kind, the stage whose measured window it started in (None: ramp),
    the client's time, the status (0: no answer) and any error."""

    kind: str
    stage: int | None
    started: float
    ms: float = 0.0
    status: int = 0
    error: str = ""
    server_ms: float | None = None
    worker: int = 0  # the gunicorn worker's pid


def broken(sample: Sample, what: str) -> NoReturn:
    """A page answered as expected but without what a student needs on it: an error."""
    sample.error = what
    raise Lost(what)


@dataclass
class Stage:
    """The figures of one stage's measured window."""

    students: int
    teachers: int
    requests: int = 0
    per_second: float = 0.0
    p50: float = math.nan
    p95: float = math.nan
    p99: float = math.nan
    server_p50: float = math.nan
    server_p95: float = math.nan
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    restarts: int = 0  # gunicorn workers restarted during the window (max_requests)
    # CPU used, in % of one core (the machine's cores together: 100 % × cores): by the site
    # (gunicorns, HAProxy, PostgreSQL, Redis), by this script, and by anything else.
    site_cpu: float = 0.0
    generator_cpu: float = 0.0
    other_cpu: float = 0.0
    loop_lag_p95: float = 0.0  # ms
    passed: bool = False


SITE_PROGRAMS = ("postgres", "redis-server")


def machine_busy() -> int:
    """Clock ticks the machine's cores spent busy so far (/proc/stat)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values) - values[3] - values[4]  # but idle and iowait


def site_busy(roots: set[int]) -> int:
    """Clock ticks the site's processes used so far: the processes in ``roots`` (gunicorn
    masters, HAProxy) and their children, and PostgreSQL's and Redis's processes (their
    children's ticks too, so that a worker that was replaced still counts)."""
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                text = stat.read()
        except OSError:  # the process ended meanwhile
            continue
        name = text[text.find("(") + 1 : text.rfind(")")]
        fields = text[text.rfind(")") + 2 :].split()
        pid, parent = int(entry.name), int(fields[1])
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        if pid in roots or name in SITE_PROGRAMS:
            ticks += utime + stime + cutime + cstime
        elif parent in roots:
            ticks += utime + stime
    return ticks


class Load:
    """The simulated classes against one base URL, and every request they made."""

    def __init__(self, base: str, data: dict[str, Any], args: argparse.Namespace) -> None:
        self.base = base
        self.data = data
        self.args = args
        self.rng = random.Random(20261215)
        self.samples: list[Sample] = []
        self.window: int | None = None
        self.in_flight: Counter[int] = Counter()
        self.lags: list[tuple[int | None, float]] = []
        self.stopping = asyncio.Event()
        self.connector: aiohttp.TCPConnector | None = None
        self.server_pids: set[int] = set()  # gunicorn masters, HAProxy
        self.began = time.perf_counter()
        self.restarted_at: list[float] = []  # when a restarted worker answered its first request

    # -- requests

    def browser(self, session_key: str) -> aiohttp.ClientSession:
        """A browser of its own (cookie jar), sharing the load's connection pool."""
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: cookies for an IP address
        jar.update_cookies({self.data["cookie_name"]: session_key})
        return aiohttp.ClientSession(
            self.base,
            connector=self.connector,
            connector_owner=False,
            cookie_jar=jar,
            timeout=aiohttp.ClientTimeout(total=self.args.timeout),
        )

    async def fetch(
        self,
        http: aiohttp.ClientSession,
        kind: str,
        path: str,
        data: Sequence[tuple[str, str]] | None = None,
        expect: int = 200,
    ) -> tuple[Sample, str, str]:
        """GET (or POST ``data``) without following redirects: the sample, the body and the
        Location. Raises Lost after recording an error."""
        sample = Sample(kind, self.window, time.perf_counter())
        headers = {"X-Bench-Id": str(len(self.samples))}
        self.samples.append(sample)
        if sample.stage is not None:
            self.in_flight[sample.stage] += 1
        method = "GET" if data is None else "POST"
        try:
            async with http.request(
                method, path, data=data, headers=headers, allow_redirects=False
            ) as response:
                body = await response.text()
                sample.status = response.status
                location = response.headers.get("Location", "")
        except (TimeoutError, aiohttp.ClientError) as error:
            sample.error = type(error).__name__
            raise Lost from error
        finally:
            sample.ms = (time.perf_counter() - sample.started) * 1000
            if sample.stage is not None:
                self.in_flight[sample.stage] -= 1
        if sample.status != expect:
            sample.error = f"{kind} {sample.status} (not {expect})"
            raise Lost
        return sample, body, location

    async def pause(self, seconds: float) -> None:
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self.stopping.wait()
        if self.stopping.is_set():
            raise Stopped

    async def think(self) -> None:
        await self.pause(self.rng.uniform(0.5, 1.5) * self.args.think)

    # -- the people

    async def student(self, account: dict[str, Any], start_in: float) -> None:
        http = self.browser(account["cookie"])
        played: set[str] = set()
        try:
            await self.pause(start_in)
            while True:
                try:
                    await self.play_a_scenario(http, account["assigned"], played)
                except Lost:
                    await self.think()
        except Stopped:
            pass
        finally:
            await http.close()

    async def play_a_scenario(
        self, http: aiohttp.ClientSession, assigned: list[str], played: set[str]
    ) -> None:
        """List → intro → start → (play page, answer, feedback)… → ending → /progress/."""
        _sample, page, _location = await self.fetch(http, "scenario list", "/scenarios/")
        listed = list(dict.fromkeys(SCENARIO_LINK.findall(page)))
        unplayed = [slug for slug in assigned if slug in listed and slug not in played]
        slug = unplayed[0] if unplayed else self.rng.choice(listed)
        played.add(slug)
        await self.think()
        sample, page, _location = await self.fetch(http, "scenario intro", f"/scenarios/{slug}/")
        start = START_FORM.search(page)
        if start is None:
            broken(sample, "intro without its start form")
        await self.think()
        _sample, _page, play_url = await self.fetch(
            http, "start", start[1], [("csrfmiddlewaretoken", csrf_token(page))], expect=302
        )
        sample, page, _location = await self.fetch(http, "play page", play_url)
        while ENDING not in page:
            action, fields = self.answer_from(sample, page)
            await self.think()
            _sample, _page, feedback_url = await self.fetch(
                http, "answer", action, fields, expect=302
            )
            _sample, page, _location = await self.fetch(http, "feedback", feedback_url)
            link = CONTINUE_LINK.search(page)
            await self.think()
            sample, page, _location = await self.fetch(
                http, "play page", link[1] if link else play_url
            )
        sample.kind = "ending"
        await self.think()
        await self.fetch(http, "progress", "/progress/")
        await self.think()

    def answer_from(self, sample: Sample, page: str) -> tuple[str, list[tuple[str, str]]]:
        """The play page's own form, filled in: a random choice, or some ticked phrases."""
        start = page.find('class="play-form')
        form = page[page.rfind("<form", 0, start) : page.find("</form>", start)]
        action, step = ACTION.search(form), STEP.search(form)
        if start < 0 or action is None or step is None:
            broken(sample, "play page without its answer form")
        fields = [("csrfmiddlewaretoken", csrf_token(form)), ("step", html.unescape(step[1]))]
        choices, options = CHOICE.findall(form), OPTION.findall(form)
        if choices:
            fields.append(("choice", html.unescape(self.rng.choice(choices))))
        else:
            ticked = self.rng.sample(options, self.rng.randint(1, len(options)))
            fields += [("options", html.unescape(option)) for option in ticked]
        return html.unescape(action[1]), fields

    async def teacher(self, account: dict[str, Any], start_in: float) -> None:
        http = self.browser(account["cookie"])
        try:
            await self.pause(start_in)
            while True:
                began = time.monotonic()
                with suppress(Lost):
                    await self.fetch(http, "class page", account["class_url"])
                await self.pause(self.args.teacher_every - (time.monotonic() - began))
        except Stopped:
            pass
        finally:
            await http.close()

    async def watch_loop(self) -> None:
        """How late the event loop wakes from a 100 ms sleep (the generator's own delay)."""
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.1)
            self.lags.append((self.window, (time.perf_counter() - began - 0.1) * 1000))

    # -- the stages

    async def run(self, stages: list[int]) -> list[Stage]:
        self.connector = aiohttp.TCPConnector(limit=self.args.connections)
        students, teachers = self.data["students"], self.data["teachers"]
        people: list[asyncio.Task[None]] = []
        watcher = asyncio.create_task(self.watch_loop())
        results: list[Stage] = []
        started_students = started_teachers = 0
        for number, size in enumerate(stages):
            classes = math.ceil(size / self.args.class_size)
            for account in students[started_students:size]:
                later = self.rng.uniform(0, self.args.ramp)
                people.append(asyncio.create_task(self.student(account, later)))
            for account in teachers[started_teachers:classes]:
                later = self.rng.uniform(0, min(self.args.teacher_every, self.args.ramp))
                people.append(asyncio.create_task(self.teacher(account, later)))
            started_students, started_teachers = size, classes
            await asyncio.sleep(self.args.ramp)
            results.append(await self.measure(number, size, classes))
            if not results[-1].passed:
                break
        self.stopping.set()
        await asyncio.gather(*people)
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher
        await self.connector.close()
        return results

    async def measure(self, number: int, students: int, teachers: int) -> Stage:
        """Hold the stage for --hold seconds; figures of the requests started meanwhile."""
        busy, site = machine_busy(), site_busy(self.server_pids)
        cpu, began = time.process_time(), time.perf_counter()
        self.window = number
        await asyncio.sleep(self.args.hold)
        self.window = None
        wall = time.perf_counter() - began
        stage = Stage(students=students, teachers=teachers)
        core = wall * os.sysconf("SC_CLK_TCK") / 100  # ticks that make 1 % of one core
        stage.generator_cpu = 100 * (time.process_time() - cpu) / wall
        stage.site_cpu = (site_busy(self.server_pids) - site) / core
        machine = (machine_busy() - busy) / core
        stage.other_cpu = max(0.0, machine - stage.site_cpu - stage.generator_cpu)
        # Wait for the window's last requests to be answered (or to time out).
        deadline = time.monotonic() + self.args.timeout + 5
        while self.in_flight[number] and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        samples = [s for s in self.samples if s.stage == number]
        answered = [s.ms for s in samples if s.status]
        errors = [s.error for s in samples if s.error]
        stage.requests = len(samples)
        stage.per_second = len(samples) / wall
        stage.p50, stage.p95 = percentile(answered, 0.5), percentile(answered, 0.95)
        stage.p99 = percentile(answered, 0.99)
        stage.errors, stage.error_kinds = len(errors), dict(Counter(errors))
        stage.loop_lag_p95 = percentile([lag for n, lag in self.lags if n == number], 0.95)
        stage.passed = not errors and stage.p95 <= self.args.max_p95
        print(
            f"{students} students: {stage.per_second:.0f} req/s, p95 {stage.p95:.0f} ms, "
            f"{stage.errors} errors, CPU: site {stage.site_cpu:.0f} %, generator "
            f"{stage.generator_cpu:.0f} %, other {stage.other_cpu:.0f} %",
            file=sys.stderr,
        )
        return stage


# --- after the run -----------------------------------------------------------------------------


def read_server_times(load: Load, logs: Sequence[Path]) -> list[tuple[int, int]]:
    """Join each request to the time and worker gunicorn logged for it (through X-Bench-Id).
    Per gunicorn: the load's requests it answered, and how many worker processes answered
    them (its workers, plus one for each worker restarted meanwhile)."""
    instances = []
    for log in logs:
        answered, workers = 0, set()
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            number, _status, micros, pid = (line.split() + ["", "", "", ""])[:4]
            if number.isdigit() and micros.isdigit() and int(number) < len(load.samples):
                sample = load.samples[int(number)]
                sample.server_ms, sample.worker = int(micros) / 1000, int(pid.strip("<>"))
                answered += 1
                workers.add(sample.worker)
        instances.append((answered, len(workers)))
    return instances


def write_samples(load: Load, path: Path) -> None:
    """Every request as a CSV row, for a closer look (e.g. latency over time)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["second", "stage", "kind", "ms", "status", "error", "server_ms", "worker"])
        for s in load.samples:
            second = f"{s.started - load.began:.3f}"
            server = "" if s.server_ms is None else f"{s.server_ms:.1f}"
            stage = "" if s.stage is None else s.stage
            rows.writerow(
                [second, stage, s.kind, f"{s.ms:.1f}", s.status, s.error, server, s.worker]
            )


def server_figures(load: Load, stages: list[Stage], workers: int) -> None:
    """Per stage: the server's percentiles, and the workers restarted (a worker answering
    its first request) during the stage's window, after the ``workers`` that started."""
    first_requests: dict[int, Sample] = {}
    for sample in load.samples:
        first_requests.setdefault(sample.worker, sample)
    first_requests.pop(0, None)  # requests gunicorn did not log
    restarted = list(first_requests.values())[workers:]
    load.restarted_at = [sample.started for sample in restarted]
    for number, stage in enumerate(stages):
        times = [s.server_ms for s in load.samples if s.stage == number and s.server_ms is not None]
        stage.server_p50, stage.server_p95 = percentile(times, 0.5), percentile(times, 0.95)
        stage.restarts = sum(1 for sample in restarted if sample.stage == number)


def checks(load: Load, stored: dict[str, int], server_errors: list[str]) -> list[str]:
    """The database holds every answer and start the site acknowledged (and no more than
    those, plus the ones whose acknowledgement was lost to an error); a clean error log."""
    problems = []
    for kind, table in (("answer", "answers"), ("start", "attempts")):
        sent = [s for s in load.samples if s.kind == kind]
        acknowledged = sum(1 for s in sent if s.status == 302)
        unsure = sum(1 for s in sent if s.status != 302)
        if not acknowledged <= stored[table] <= acknowledged + unsure:
            problems.append(
                f"{stored[table]} {table} stored, {acknowledged} acknowledged ({unsure} unsure)"
            )
    problems += [f"server log: {line}" for line in server_errors[:10]]
    return problems


def fmt(value: float, digits: int = 0) -> str:
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def kinds_table(load: Load, stage: int) -> list[str]:
    """The request mix and where the time went, in the measured window of ``stage``."""
    samples = [s for s in load.samples if s.stage == stage and s.status]
    server_total = sum(s.server_ms or 0 for s in samples) or 1.0
    lines = [
        "| request | share of requests | n | p50 ms | p95 ms | server p50 ms | server p95 ms "
        "| share of server time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in KINDS:
        mine = [s for s in samples if s.kind == kind]
        if not mine:
            continue
        client = [s.ms for s in mine]
        server = [s.server_ms for s in mine if s.server_ms is not None]
        lines.append(
            f"| {kind} | {100 * len(mine) / len(samples):.1f} % | {len(mine)} "
            f"| {fmt(percentile(client, 0.5))} | {fmt(percentile(client, 0.95))} "
            f"| {fmt(percentile(server, 0.5), 1)} | {fmt(percentile(server, 0.95), 1)} "
            f"| {100 * sum(server) / server_total:.1f} % |"
        )
    return lines


def timeline(load: Load, stage: int, seconds: int = 5) -> str:
    """The p95 of each ``seconds`` of the stage's window, * where a restarted worker began."""
    samples = [s for s in load.samples if s.stage == stage and s.status]
    if not samples:
        return ""
    began = min(s.started for s in samples)
    slices: dict[int, list[float]] = {}
    for sample in samples:
        slices.setdefault(int((sample.started - began) // seconds), []).append(sample.ms)
    restarts = {int((t - began) // seconds) for t in load.restarted_at}
    return ", ".join(
        f"{percentile(times, 0.95):.0f}{'*' if n in restarts else ''}"
        for n, times in sorted(slices.items())
    )


def report(
    args: argparse.Namespace,
    setup: str,
    load: Load,
    stages: list[Stage],
    stored: dict[str, int],
    problems: list[str],
    instances: list[tuple[int, int]],
) -> str:
    sustained = max((s.students for s in stages if s.passed), default=0)
    reached = sustained >= args.target
    low, high = 0.5 * args.think, 1.5 * args.think
    lines = [
        f"# Classroom load test: {setup}",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores, the load generator on the "
        f"same machine; think time {low:g}–{high:g} s (uniform) between a student's clicks; "
        f"{args.class_size} students a class, each class's teacher reloads the class page every "
        f"{args.teacher_every:g} s; each stage's new students start over {args.ramp:g} s, then "
        f"{args.hold:g} s are measured. A stage is sustained when its p95 is at most "
        f"{args.max_p95:g} ms with no error.",
        "",
        f"**Highest stage sustained: {sustained} students** (target {args.target}: "
        + ("reached" if reached else "not reached")
        + ").",
        "",
        "| students | teachers | requests | req/s | p50 ms | p95 ms | p99 ms | server p50 ms "
        "| server p95 ms | errors | worker restarts | site CPU | generator CPU | other CPU "
        "| loop lag p95 ms | |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in stages:
        lines.append(
            f"| {s.students} | {s.teachers} | {s.requests} | {s.per_second:.1f} | {fmt(s.p50)} "
            f"| {fmt(s.p95)} | {fmt(s.p99)} | {fmt(s.server_p50, 1)} | {fmt(s.server_p95, 1)} "
            f"| {s.errors} | {s.restarts} | {s.site_cpu:.0f} % | {s.generator_cpu:.0f} % "
            f"| {s.other_cpu:.0f} % "
            f"| {fmt(s.loop_lag_p95, 1)} | {'ok' if s.passed else 'FAILED'} |"
        )
    for s in stages:
        if s.error_kinds:
            kinds = ", ".join(f"{n}× {error}" for error, n in sorted(s.error_kinds.items()))
            lines.append(f"\nErrors with {s.students} students: {kinds}.")
    if stages:
        lines += [
            "",
            f"## Request mix and where the time went ({stages[-1].students} students)",
            "",
            *kinds_table(load, len(stages) - 1),
            "",
            f"p95 (ms) of each 5 s of that window, * where a restarted worker began serving: "
            f"{timeline(load, len(stages) - 1)}.",
        ]
    counts = Counter(s.kind for s in load.samples if s.status)
    lines += [
        "",
        "Client times (p50, p95…) are the students' own, waiting for a free worker included; "
        "server times are gunicorn's (its access log's %(D)s), the rest is queueing. CPU in % "
        f"of one core ({os.cpu_count()} cores: {100 * (os.cpu_count() or 1)} %): the site "
        "(gunicorn, HAProxy, PostgreSQL, Redis), this load generator (near 100 % it would be "
        "the bottleneck; its event loop's lateness is the loop lag), anything else on the "
        "machine. Worker restarts: gunicorn.conf.py replaces a worker after about 2,000 requests "
        "(max_requests); it is forked from the master, which has the site loaded "
        "(preload_app), and serves at once.",
        "",
        "## Checks",
        "",
        f"- Over the whole run: {sum(counts.values())} requests answered; "
        f"{counts['ending']} endings reached, {counts['progress']} /progress/ loads, "
        f"{counts['class page']} class page loads.",
        "- Per gunicorn, requests answered and the worker processes that answered them (its "
        f"{args.workers}, and one more for each worker restarted meanwhile; gunicorn.conf.py "
        "restarts a worker after about 2,000 requests): "
        + ", ".join(f"{answered} by {workers}" for answered, workers in instances)
        + ".",
        f"- In the database: {stored['answers']} answers, {stored['attempts']} attempts "
        f"({stored['finished']} finished), as the site acknowledged: "
        + ("yes." if not problems else "NO."),
    ]
    lines += [f"- {problem}" for problem in problems]
    return "\n".join(lines) + "\n"


# --- the run -----------------------------------------------------------------------------------


def redis_flushed(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).flushdb()
    except redis.RedisError as error:
        message = f"Redis does not answer at {url} ({error}); --redis-url '' runs without"
        raise SystemExit(message) from error


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--postgres", action="store_true", help="PostgreSQL + Redis, 2 gunicorns behind HAProxy")
    add("--stages", default=DEFAULT_STAGES, help="concurrent students per stage")
    add("--hold", type=float, default=60, help="seconds measured per stage")
    add("--ramp", type=float, default=10, help="seconds over which a stage's students start")
    add("--think", type=float, default=10, help="mean think time between clicks (seconds)")
    add("--teacher-every", type=float, default=10, help="seconds between class page reloads")
    add("--target", type=int, default=1000, help="students to sustain for exit status 0")
    add("--max-p95", type=float, default=250, help="ms; a stage above it is not sustained")
    add("--class-size", type=int, default=40)
    add("--assigned", type=int, default=4, help="scenarios assigned to each class")
    add("--accounts", type=int, default=0, help="students to create (default: the last stage)")
    add("--instances", type=int, default=0, help="gunicorns (default 2 with --postgres, else 1)")
    add("--workers", type=int, default=2, help="workers per gunicorn")
    add("--redis-url", default=None, help=f"with --postgres (default {DEFAULT_REDIS_URL})")
    add("--connections", type=int, default=1000, help="the client's connection pool")
    add("--timeout", type=float, default=30, help="seconds before a request is an error")
    add("--out", default="", help="the markdown report (default bench/results/classroom*.md)")
    add("--json", default="", help="also write the figures as JSON here")
    add("--samples", default="", help="also write every request as CSV here")
    add("--gunicorn-args", default="", help="more gunicorn options (a diagnosis, not the setup)")
    add("--no-collectstatic", dest="collectstatic", action="store_false")
    add("--step", choices=["prepare", "count"], help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    stages = [int(n) for n in args.stages.split(",") if n.strip()]
    accounts = args.accounts or max(stages)
    if args.step == "prepare":
        print(json.dumps(prepare_data(accounts, args.class_size, args.assigned)))
        return 0
    if args.step == "count":
        print(json.dumps(count_data()))
        return 0
    instances = args.instances or (2 if args.postgres else 1)
    redis_url = args.redis_url if args.redis_url is not None else (
        DEFAULT_REDIS_URL if args.postgres else ""
    )  # fmt: skip
    if instances > 1 and haproxy_path() is None:
        raise SystemExit("haproxy is missing: apt-get install haproxy")
    database = "PostgreSQL" if args.postgres else "SQLite"
    setup = (
        f"{database}{' + Redis' if redis_url else ''}, {instances} gunicorn"
        f"{' instances behind HAProxy' if instances > 1 else ''} × {args.workers} workers"
        + (f" (gunicorn {args.gunicorn_args})" if args.gunicorn_args else "")
    )
    out = Path(args.out or ROOT / "bench/results" / f"classroom{'-postgresql' * args.postgres}.md")

    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="awareness.settings",
        SECRET_KEY="classroom-load-" + os.urandom(24).hex(),
        DEBUG="0",
        HTTPS="off",
        ALLOWED_HOSTS="127.0.0.1",
        ACCESS_LOG="on",
        LOG_LEVEL="warning",
    )
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="classroom-")))
        if args.postgres:
            env["DATABASE_URL"] = stack.enter_context(postgres_database("classroom_load"))
        else:
            env["SQLITE_PATH"] = str(work / "classroom.sqlite3")
        if redis_url:
            redis_flushed(redis_url)
            env["REDIS_URL"] = redis_url
        manage(env, "migrate", "--noinput", "-v0")
        if args.collectstatic:
            manage(env, "collectstatic", "--noinput", "-v0")
        size = ("--accounts", str(accounts), "--class-size", str(args.class_size))
        data = run_step(env, "--step", "prepare", *size, "--assigned", str(args.assigned))
        servers, logs = [], []
        for number in range(instances):
            logs.append(work / f"access-{number}.log")
            log_args = ["--access-logfile", str(logs[-1]), "--access-logformat", ACCESS_LOG_FORMAT]
            servers.append(Server(env, args.workers, log_args + args.gunicorn_args.split()))
            stack.callback(servers[-1].stop)
        for server in servers:
            server.wait_ready()
        base, pids = servers[0].url, {server.process.pid for server in servers}
        if instances > 1:
            proxy = HAProxy(servers, work)
            stack.callback(proxy.stop)
            proxy.wait_ready()
            base = proxy.url
            pids.add(proxy.process.pid)
        load = Load(base, data, args)
        load.server_pids = pids
        results = asyncio.run(load.run(stages))
        for server in servers:
            server.stop()
        instances_seen = read_server_times(load, logs)
        if args.samples:
            write_samples(load, Path(args.samples))
        server_figures(load, results, instances * args.workers)
        stored = run_step(env, "--step", "count")
        problems = checks(load, stored, [line for s in servers for line in s.errors()])
        if redis_url:
            redis_flushed(redis_url)

    text = report(args, setup, load, results, stored, problems, instances_seen)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    sustained = max((s.students for s in results if s.passed), default=0)
    if args.json:
        figures = {
            "setup": setup,
            "sustained": sustained,
            "stages": [asdict(stage) for stage in results],
            "requests": dict(Counter(s.kind for s in load.samples if s.status)),
            "stored": stored,
            "answered_by_instance": [answered for answered, _workers in instances_seen],
            "workers_by_instance": [workers for _answered, workers in instances_seen],
            "problems": problems,
        }
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0 if sustained >= args.target and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
