"""Live class mode under a real load: classes of phones vote on each decision of a scenario
while their teachers run the sessions, against gunicorn with production settings.

Every class has a projector, a teacher and its phones (guests, each with its own cookies). The
teacher starts the session; on each decision the phones see the step, think for a moment,
reload their page and vote; the teacher waits until the projector shows every vote, reveals,
follows the majority's branch, and ends the session after the last decision. Pages follow the
session as live.js does: by polling ``state.json`` every 700 ms (plain WSGI workers, no Redis),
or by the server-sent events stream (``--push``: uvicorn workers, ``ASGI=on``, ``REDIS_URL``).
Mid-session one worker is killed (SIGKILL); phones whose request it cut try again, as a
student taps again, and streams it held open again.

It reports, per run: how long a vote took to reach the projector (from the tap to the
projector's count including it) and a teacher's press to reach the phones, the requests made,
and checks: every vote counted once in the database (none lost, none twice), every vote's
answer 302, or 409 "already voted" only after a retry of a request cut by the killed worker,
nothing in the servers' error log but the kill itself.

Usage:
  python bench/live_load.py                       # polling, SQLite (a throwaway file)
  REDIS_URL=redis://127.0.0.1:6379/5 python bench/live_load.py --push
  python bench/live_load.py --postgres [--push]   # a throwaway PostgreSQL database
Options: --classes 3 --phones 40 --decisions 5 --workers 4 --no-kill --out FILE.md
         --no-collectstatic
Exit status 0 when every check holds and the p95 of vote to projector is at most 1 s.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import (  # noqa: E402
    Server,
    csrf_token,
    manage,
    percentile,
    postgres_database,
)

POLL_SECONDS = 0.7  # as static/js/live.js
TARGET_P95 = 1.0

# manage.py shell -c: teachers signed in through sessions made here (no password to hash), a
# published scenario of DECISIONS decisions in a row (either choice leads on), one live
# session per class. Prints what the clients need.
PREPARE = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from awareness.models import Topic, User
from live.services import live_create
from quizzes.classes.services import classroom_create
from quizzes.models import Scenario
from quizzes.scenarios.publishing import scenario_publish, scenario_replace_steps

decisions, classes = DECISIONS, CLASSES
topic = Topic.objects.create(language="en", slug="live", title="Live", summary="s",
    body_markdown="b")
scenario = Scenario.objects.create(language="en", slug="live-load", title="Live load",
    summary="s", topic=topic, channel="chat", difficulty="easy", start_key="d1")
keys = [f"d{n}" for n in range(1, decisions + 1)] + ["end"]
steps = [{"key": key, "kind": "decision", "prompt": f"Decision {n}?", "choices": [
    {"key": "a", "text": "Check first", "safe": True, "feedback": "f", "next": keys[n]},
    {"key": "b", "text": "Go ahead", "safe": False, "feedback": "f", "next": keys[n]}]}
    for n, key in enumerate(keys[:-1], start=1)]
steps.append({"key": "end", "kind": "ending", "outcome": "safe", "text": "The end."})
scenario_replace_steps(scenario=scenario, steps=steps)
scenario_publish(scenario=scenario)
scenario.refresh_from_db()
rows = []
for number in range(classes):
    teacher = User.objects.create_user(username=f"live-teacher-{number}", password=None,
        role=User.Role.TEACHER)
    classroom = classroom_create(teacher=teacher, name=f"Class {number}")
    session = live_create(teacher=teacher, scenario=scenario, classroom=classroom)
    store = SessionStore()
    store[SESSION_KEY] = str(teacher.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
    store.create()
    rows.append({"session": session.pk, "code": session.join_code, "cookie": store.session_key})
print(json.dumps(rows))
"""
COUNT = r"""
import json
from django.db.models import Count
from live.models import LiveSession, LiveVote
votes = LiveVote.objects.values("session_id", "step_key").annotate(n=Count("id"))
print(json.dumps({"votes": [[v["session_id"], v["step_key"], v["n"]] for v in votes],
    "states": dict(LiveSession.objects.values_list("pk", "state"))}))
"""


# --- the clients ------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the whole run measured."""

    vote_to_projector: list[float] = field(default_factory=list)
    press_to_phones: list[float] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    retries: int = 0
    problems: list[str] = field(default_factory=list)


class Client:
    """One browser: its own cookies; a request cut by a dying worker is sent again."""

    def __init__(self, base: str, figures: Figures, cookie: str = "") -> None:
        self.base = base
        self.figures = figures
        jar = aiohttp.CookieJar(unsafe=True)
        if cookie:
            jar.update_cookies({"sessionid": cookie})
        self.http = aiohttp.ClientSession(
            base, cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)
        )

    async def request(
        self, kind: str, method: str, path: str, data: dict | None = None, *, follow: bool = True
    ) -> tuple[int, str, int]:
        """(status, body, tries): tries > 1 when a cut request was sent again."""
        for tries in range(1, 8):
            try:
                async with self.http.request(
                    method, path, data=data, allow_redirects=follow
                ) as response:
                    body = await response.text()
                    self.figures.requests[kind] += 1
                    self.figures.statuses[response.status] += 1
                    return response.status, body, tries
            except (TimeoutError, aiohttp.ClientError):
                self.figures.retries += 1
                await asyncio.sleep(0.2 * tries)
        raise RuntimeError(f"{method} {path}: no answer after 7 tries")

    async def close(self) -> None:
        await self.http.close()


class Follower:
    """What live.js does on a page: follows the session's state (polling or the stream) and
    notes when each state arrived."""

    def __init__(self, client: Client, session: int, push: bool) -> None:
        self.client = client
        self.session = session
        self.push = push
        self.revision = -1
        self.seen: list[tuple[float, dict]] = []
        self.changed = asyncio.Condition()

    async def _arrived(self, data: dict) -> None:
        if data["revision"] <= self.revision:
            return
        self.revision = data["revision"]
        self.seen.append((time.monotonic(), data))
        async with self.changed:
            self.changed.notify_all()

    @property
    def latest(self) -> dict:
        return self.seen[-1][1] if self.seen else {"view": "", "voted": 0}

    async def wait(self, test, timeout: float = 60.0) -> dict:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: test(self.latest)), timeout)
        return self.latest

    async def run(self) -> None:
        while not self.latest["view"].startswith("ended:"):
            if self.push:
                await self._listen()
            else:
                await self._poll()

    async def _poll(self) -> None:
        path = f"/live/{self.session}/state.json?since={self.revision}"
        status, body, _tries = await self.client.request("state.json", "GET", path)
        if status == 200:
            await self._arrived(json.loads(body))
        await asyncio.sleep(POLL_SECONDS)

    async def _listen(self) -> None:
        path = f"/live/{self.session}/events/"
        try:
            async with self.client.http.get(
                path, timeout=aiohttp.ClientTimeout(total=None, sock_read=60)
            ) as response:
                self.client.figures.requests["events"] += 1
                self.client.figures.statuses[response.status] += 1
                if response.status == 204:
                    await self._arrived({**self.latest, "view": "ended:", "revision": 1e9})
                    return
                async for line in response.content:
                    if line.startswith(b"data: "):
                        await self._arrived(json.loads(line[6:]))
        except (TimeoutError, aiohttp.ClientError):
            self.client.figures.retries += 1
        await asyncio.sleep(1.0)  # the stream's "retry:"


@dataclass
class Vote:
    step: str
    sent: float
    done: float
    status: int
    tries: int


async def phone(
    base: str, row: dict, number: int, push: bool, figures: Figures, rng: random.Random
) -> tuple[Follower, list[Vote]]:
    """A student's phone: joins with a nickname, then on each decision reloads the page,
    thinks, and votes; until the session ends."""
    client = Client(base, figures)
    votes: list[Vote] = []
    session = row["session"]
    follower = Follower(client, session, push)
    try:
        _status, page, _tries = await client.request("join", "GET", f"/live/join/{row['code']}/")
        token = csrf_token(page)
        data = {"csrfmiddlewaretoken": token, "nickname": f"Phone {number}"}
        await client.request("join", "POST", f"/live/join/{row['code']}/", data)
        following = asyncio.create_task(follower.run())
        shown = ""
        while True:
            state = await follower.wait(lambda s, shown=shown: s["view"] != shown, timeout=120)
            shown = state["view"]
            if shown.startswith("ended:"):
                break
            _status, page, _tries = await client.request("phone page", "GET", f"/live/{session}/")
            step = shown.split(":")[1]
            if not shown.startswith("step:") or step == "end":
                continue
            await asyncio.sleep(rng.uniform(0.5, 4.0))  # reading, thinking
            token = csrf_token(page)
            sent = time.monotonic()
            status, _body, tries = await client.request(
                "vote",
                "POST",
                f"/live/{session}/vote/",
                {"csrfmiddlewaretoken": token, "step": step, "choice": rng.choice("ab")},
                follow=False,
            )
            votes.append(Vote(step, sent, time.monotonic(), status, tries))
        await following
    finally:
        await client.close()
    return follower, votes


async def press(client: Client, session: int, action: str) -> float:
    _status, page, _tries = await client.request("control page", "GET", f"/live/{session}/control/")
    pressed = time.monotonic()
    status, _body, tries = await client.request(
        "press",
        "POST",
        f"/live/{session}/control/",
        {"csrfmiddlewaretoken": csrf_token(page), "action": action},
    )
    # A 409 is right for a press sent again after the killed worker had done it: the control
    # page then shows the state as it is, as it would to the teacher.
    if status != 200 and not (status == 409 and tries > 1):
        raise RuntimeError(f"{action}: {status}")
    return pressed


async def teacher(
    base: str, row: dict, phones: int, decisions: int, push: bool, figures: Figures,
    decision_reached: list[asyncio.Event],
) -> tuple[Follower, list[tuple[float, str]]]:  # fmt: skip
    """The teacher and the projector: start, and on each decision wait for every vote on the
    projector, reveal, follow the majority; end. Returns the projector and the presses."""
    client = Client(base, figures, cookie=row["cookie"])
    projector = Follower(client, row["session"], push)
    following = asyncio.create_task(projector.run())
    presses: list[tuple[float, str]] = []
    session = row["session"]
    try:
        await projector.wait(lambda s: s["view"] == "lobby::0" and s["joined"] == phones)
        for number in range(1, decisions + 1):
            view = f"step:d{number}:0"
            presses.append(
                (await press(client, session, "start" if number == 1 else "follow"), view)
            )
            decision_reached[number - 1].set()
            try:
                await projector.wait(
                    lambda s, view=view: s["view"] == view and s["voted"] == phones
                )
            except TimeoutError:
                figures.problems.append(f"session {session}: {view} never showed {phones} votes")
            await asyncio.sleep(0.5)
            presses.append((await press(client, session, "reveal"), f"revealed:d{number}:0"))
            await asyncio.sleep(1.5)  # the class looks at the split
        presses.append((await press(client, session, "follow"), "step:end:0"))
        await asyncio.sleep(1.0)
        presses.append((await press(client, session, "end"), "ended:end:0"))
        await following
    finally:
        await client.close()
    return projector, presses


def vote_delays(projector: Follower, votes: list[Vote]) -> list[float]:
    """For each vote: from the tap to the first state the projector got whose count includes
    it (the k-th vote answered is in any count of k or more on its step)."""
    delays = []
    by_step: dict[str, list[Vote]] = {}
    for vote in votes:
        if vote.status == 302:
            by_step.setdefault(vote.step, []).append(vote)
    for step, counted in by_step.items():
        counted.sort(key=lambda vote: vote.done)
        for k, vote in enumerate(counted, start=1):
            seen = next(
                (
                    arrived
                    for arrived, data in projector.seen
                    if arrived >= vote.sent
                    and data["view"] == f"step:{step}:0"
                    and data["voted"] >= k
                ),
                None,
            )
            if seen is not None:
                delays.append(seen - vote.sent)
    return delays


def press_delays(presses: list[tuple[float, str]], phones: list[Follower]) -> list[float]:
    delays = []
    for pressed, view in presses:
        for follower in phones:
            seen = next((t for t, data in follower.seen if data["view"] == view), None)
            if seen is not None:
                delays.append(seen - pressed)
    return delays


async def run_classes(base: str, rows: list[dict], args, server: Server, figures: Figures) -> list:
    rng = random.Random(20261202)
    decision_reached = [asyncio.Event() for _ in range(args.decisions)]
    killed: list[int] = []

    async def killer() -> None:
        # In the middle of the session: once the third decision is shown, a second in.
        await decision_reached[min(2, args.decisions - 1)].wait()
        await asyncio.sleep(1.0)
        killed.append(server.kill_a_worker())

    teachers = [
        asyncio.create_task(
            teacher(base, row, args.phones, args.decisions, args.push, figures, decision_reached)
        )
        for row in rows
    ]
    phone_tasks = [
        [
            asyncio.create_task(phone(base, row, number, args.push, figures, rng))
            for number in range(args.phones)
        ]
        for row in rows
    ]
    kill_task = asyncio.create_task(killer()) if args.kill else None
    results = []
    for row, teacher_task, tasks in zip(rows, teachers, phone_tasks, strict=True):
        projector, presses = await teacher_task
        outcomes = await asyncio.gather(*tasks)
        votes = [vote for _follower, votes in outcomes for vote in votes]
        results.append((row, projector, presses, votes, [f for f, _votes in outcomes]))
    if kill_task is not None:
        kill_task.cancel()
        with suppress(asyncio.CancelledError):
            await kill_task
    return [results, killed]


def check(
    results: list, stored: dict, args, figures: Figures, server_errors: list[str]
) -> list[str]:
    problems = list(figures.problems)
    counts = {(session, step): n for session, step, n in stored["votes"]}
    for row, _projector, _presses, votes, _phones in results:
        session = row["session"]
        for number in range(1, args.decisions + 1):
            step = f"d{number}"
            n = counts.get((session, step), 0)
            if n != args.phones:
                problems.append(f"session {session}, {step}: {n} votes stored, not {args.phones}")
            answers = Counter(
                "counted" if v.status == 302 else "again" if v.status == 409 and v.tries > 1
                else f"status {v.status}" for v in votes if v.step == step
            )  # fmt: skip
            if set(answers) - {"counted", "again"}:
                problems.append(f"session {session}, {step}: answers {dict(answers)}")
        if stored["states"].get(str(session)) != "ended":
            problems.append(f"session {session} did not end")
    if any(status >= 500 for status in figures.statuses):
        problems.append(f"server errors: {dict(figures.statuses)}")
    problems.extend(f"log: {line}" for line in server_errors[:10])
    return problems


def report(args, figures: Figures, killed: list[int], problems: list[str], seconds: float) -> str:
    mode = "server-sent events (ASGI, Redis)" if args.push else "polling every 0.7 s (WSGI)"
    database = "PostgreSQL" if args.postgres else "SQLite"
    v, p = figures.vote_to_projector, figures.press_to_phones
    lines = [
        f"## Live class mode: {args.classes} classes × {args.phones} phones × "
        f"{args.decisions} decisions",
        "",
        f"{mode}; {database}; gunicorn, {args.workers} workers"
        + (f"; worker {killed[0]} killed mid-session" if killed else "")
        + f"; {seconds:.0f} s; {time.strftime('%Y-%m-%d')}",
        "",
        "| measure | n | p50 | p95 | max |",
        "|---|---|---|---|---|",
    ]
    for name, values in (("vote → projector count (s)", v), ("teacher's press → phones (s)", p)):
        lines.append(
            f"| {name} | {len(values)} | {percentile(values, 0.5):.3f} | "
            f"{percentile(values, 0.95):.3f} | {max(values, default=float('nan')):.3f} |"
        )
    lines += [
        "",
        "Requests: "
        + ", ".join(f"{kind} {n}" for kind, n in sorted(figures.requests.items()))
        + f"; statuses {dict(sorted(figures.statuses.items()))}; "
        f"requests sent again after a cut connection: {figures.retries}",
        "",
        "Checks: "
        + (
            "all hold (every vote stored once, no 5xx, a clean error log)."
            if not problems
            else "FAILED"
        ),  # fmt: skip
    ]
    lines += [f"- {problem}" for problem in problems]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--decisions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--push", action="store_true", help="ASGI and Redis (REDIS_URL)")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--no-kill", dest="kill", action="store_false")
    parser.add_argument("--out", default="")
    parser.add_argument(
        "--no-collectstatic", dest="collectstatic", action="store_false",
        help="the hashed static files are already collected (the test suite does it)",
    )  # fmt: skip
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "")
    if args.push and not redis_url:
        parser.error("--push needs REDIS_URL (e.g. redis://127.0.0.1:6379/5)")

    work = tempfile.TemporaryDirectory()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "ASGI"}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="awareness.settings",
        SECRET_KEY="live-load-" + os.urandom(24).hex(),
        DEBUG="0",
        HTTPS="off",
        ALLOWED_HOSTS="127.0.0.1",
        ACCESS_LOG="off",
        LOG_LEVEL="warning",
        SQLITE_PATH=f"{work.name}/live.sqlite3",
    )
    if args.push:
        env.update(ASGI="on", REDIS_URL=redis_url)
    databases = ExitStack()
    if args.postgres:
        env["DATABASE_URL"] = databases.enter_context(postgres_database("live_load"))
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        if not args.push:
            manage(env, "createcachetable")
        if args.collectstatic:
            manage(env, "collectstatic", "--noinput", "-v0")
        prepare = PREPARE.replace("DECISIONS", str(args.decisions))
        rows = json.loads(
            manage(env, "shell", "-v", "0", "-c", prepare.replace("CLASSES", str(args.classes)))
        )
        server = Server(env, args.workers)
        server.wait_ready()
        figures = Figures()
        started = time.monotonic()
        results, killed = asyncio.run(run_classes(server.url, rows, args, server, figures))
        seconds = time.monotonic() - started
        server.stop()
        stored = json.loads(manage(env, "shell", "-v", "0", "-c", COUNT))
        for _row, projector, presses, votes, phones in results:
            figures.vote_to_projector += vote_delays(projector, votes)
            figures.press_to_phones += press_delays(presses, phones)
        problems = check(results, stored, args, figures, server.errors(killed))
    finally:
        if server is not None:
            server.stop()
        databases.close()
        work.cleanup()
    text = report(args, figures, killed, problems, seconds)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "a", encoding="utf-8") as out:
            out.write(text + "\n")
    p95 = percentile(figures.vote_to_projector, 0.95)
    return 0 if not problems and p95 <= TARGET_P95 else 1


if __name__ == "__main__":
    sys.exit(main())
