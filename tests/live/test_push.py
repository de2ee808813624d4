"""Server-sent events under ASGI with Redis: two uvicorn-worker gunicorn servers share one
SQLite file and one Redis; a stream held by one server hears the votes and the teacher's
presses answered by the other, within a second, newest revision last, and ends with the
session. The pages offer the stream there, and only there."""

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.live_servers import (
    PUBLISH_SCENARIO,
    Browser,
    gunicorns,
    in_the_run_on,
    live_session_opened,
    manage,
    press,
    production_env,
    redis_answers,
)

pytestmark = pytest.mark.slow

PASSWORD = "live-push-password-42"
PHONES = 12
PREPARE = (
    PUBLISH_SCENARIO
    + rf"""
import json
from awareness.models import User
from awareness.accounts.services import account_create

account_create(username="push-teacher", password="{PASSWORD}", role=User.Role.TEACHER)
print(json.dumps({{"scenario": publish_scenario("live-push", "Live push").pk}}))
"""
)


class Stream(threading.Thread):
    """An EventSource without a browser: reads ``url``'s events with the browser's cookies and
    keeps each with the time it arrived."""

    def __init__(self, url: str, browser: Browser) -> None:
        super().__init__(daemon=True)
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=30)
        cookies = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
        self.connection.request("GET", parts.path, headers={"Cookie": cookies})
        self.response = self.connection.getresponse()
        self.events: list[tuple[float, dict]] = []
        self.ended = threading.Event()

    def run(self) -> None:
        try:
            while line := self.response.readline():
                if line.startswith(b"data: "):
                    self.events.append((time.monotonic(), json.loads(line[6:])))
        finally:
            self.ended.set()

    def wait_for(self, test, timeout: float = 5.0) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrived, data in self.events:
                if test(data):
                    return arrived, data
            time.sleep(0.01)
        raise AssertionError(f"no such event in {timeout} s: {self.events[-3:]}")


def join_and_vote(urls: list[str], code: str, session: int, number: int) -> float:
    phone = Browser(urls)
    joined = phone.submit(phone.get(f"/live/join/{code}/"), {"nickname": f"Phone {number}"})
    voted_at = time.monotonic()
    page = phone.submit(joined, {"step": "d1", "choice": "a"}, to=f"/live/{session}/vote/")
    assert page.status == 200, page
    return voted_at


@in_the_run_on("sqlite")
def test_votes_and_presses_reach_a_stream_held_by_another_server(tmp_path, browser):
    redis_url = "redis://127.0.0.1:6379/7"
    if not redis_answers(redis_url):
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    env = production_env(SQLITE_PATH=str(tmp_path / "push.sqlite3"), REDIS_URL=redis_url, ASGI="on")
    manage(env, "migrate", "--noinput", "-v0")
    scenario = json.loads(manage(env, "shell", "-v", "0", "-c", PREPARE))["scenario"]
    with gunicorns(env, instances=2, workers=1) as servers:
        urls = [server.url for server in servers]
        teacher, screen, session, code = live_session_opened(
            urls, "push-teacher", PASSWORD, scenario
        )
        assert f'data-live-events="/live/{session}/events/"' in screen.text

        # The projector in a real browser, on the first server: it follows the stream.
        context = browser.new_context(base_url=urls[0])
        context.add_cookies(
            [{"name": "sessionid", "value": teacher.cookie("sessionid"), "url": urls[0]}]
        )
        projector = context.new_page()
        asked = []
        projector.on("request", lambda request: asked.append(request.url))
        projector.goto(f"/live/{session}/screen/")

        stream = Stream(f"{urls[0]}/live/{session}/events/", teacher)
        assert stream.response.status == 200
        assert stream.response.getheader("Content-Type") == "text/event-stream"
        stream.start()
        stream.wait_for(lambda data: data["view"] == "lobby::0")

        pressed_at = time.monotonic()
        press(teacher, session, "start")  # the control page, on either server
        arrived, _ = stream.wait_for(lambda data: data["view"] == "step:d1:0")
        assert arrived - pressed_at < 1.0

        with ThreadPoolExecutor(max_workers=6) as pool:
            voted = sorted(pool.map(lambda n: join_and_vote(urls, code, session, n), range(PHONES)))
        arrived, data = stream.wait_for(lambda data: data["voted"] == PHONES)
        assert data["joined"] == PHONES
        assert arrived - voted[-1] < 1.0
        voted_count = projector.locator("[data-live-count=voted]").first
        expect(voted_count).to_have_text(str(PHONES), timeout=3000)
        assert any(url.endswith(f"/live/{session}/events/") for url in asked)
        assert not [url for url in asked if "state.json" in url]  # pushed, never polled
        context.close()
        revisions = [data["revision"] for _, data in stream.events]
        assert revisions == sorted(set(revisions))  # each change once, in order

        press(teacher, session, "end")
        stream.wait_for(lambda data: data["view"].startswith("ended:"))
        assert stream.ended.wait(5), "the stream goes on after the session ended"

        # Once ended, the stream answers 204: a browser's EventSource stops asking.
        again = Stream(f"{urls[1]}/live/{session}/events/", teacher)
        assert again.response.status == 204

        assert not teacher.server_errors()
        for server in servers:
            assert not server.errors(), server.errors()
