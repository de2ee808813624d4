"""A live session is correct whichever process answers: four single-worker gunicorn servers
share one SQLite file, every request goes to the next server in turn, and a room of phones
votes at once. Every vote counts once, a second vote is a 409 on any server, every server's
state and projector show the same counts, and nothing fails in the servers' logs."""

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live_servers import (
    PUBLISH_SCENARIO,
    Browser,
    Page,
    gunicorns,
    in_the_run_on,
    live_session_opened,
    manage,
    press,
    production_env,
)

pytestmark = pytest.mark.slow

PHONES = 24
PASSWORD = "live-multiworker-password-42"
PREPARE = (
    PUBLISH_SCENARIO
    + rf"""
import json
from awareness.models import User
from awareness.accounts.services import account_create

account_create(username="live-teacher", password="{PASSWORD}", role=User.Role.TEACHER)
print(json.dumps({{"scenario": publish_scenario("live-mw", "Live multiworker").pk}}))
"""
)


def text(page: Page) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.text).split())


def state(browser: Browser, session: int) -> dict:
    page = browser.get(f"/live/{session}/state.json")
    assert page.status == 200, page
    return json.loads(page.text)


def join_and_vote(urls: list[str], code: str, session: int, number: int) -> tuple[int, int]:
    """A phone: joins by the QR code's link, votes, votes again; the two statuses."""
    phone = Browser(urls)
    joined = phone.submit(phone.get(f"/live/join/{code}/"), {"nickname": f"Phone {number}"})
    assert joined.path == f"/live/{session}/", joined
    vote = {"step": "d1", "choice": "ab"[number % 2]}
    first = phone.submit(joined, vote, to=f"/live/{session}/vote/", follow=False)
    again = phone.submit(joined, vote, to=f"/live/{session}/vote/")  # the same form, again
    return first.status, again.status


@in_the_run_on("sqlite")
def test_a_room_votes_at_once_across_four_servers(tmp_path):
    env = production_env(SQLITE_PATH=str(tmp_path / "live.sqlite3"))
    manage(env, "migrate", "--noinput", "-v0")
    scenario = json.loads(manage(env, "shell", "-v", "0", "-c", PREPARE))["scenario"]
    with gunicorns(env, instances=4, workers=1) as servers:
        urls = [server.url for server in servers]
        teacher, _screen, session, code = live_session_opened(
            urls, "live-teacher", PASSWORD, scenario
        )
        press(teacher, session, "start")

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(
                pool.map(lambda n: join_and_vote(urls, code, session, n), range(PHONES))
            )
        assert statuses == [(302, 409)] * PHONES

        for _ in urls:  # each server in turn
            assert state(teacher, session) | {"revision": 0} == {
                "revision": 0,
                "view": "step:d1:0",
                "hidden": False,
                "joined": PHONES,
                "voted": PHONES,
            }
            projector = text(teacher.get(f"/live/{session}/screen/"))
            assert f"{PHONES} of {PHONES} voted" in projector
        press(teacher, session, "reveal")
        projector = text(teacher.get(f"/live/{session}/screen/"))
        assert projector.count(f"{PHONES // 2} votes (50 %)") == 2
        press(teacher, session, "follow")
        assert state(teacher, session)["view"] == "step:d2:0"
        press(teacher, session, "end")
        assert state(teacher, session)["view"].startswith("ended:")

        assert not teacher.server_errors()
        for server in servers:
            assert not server.errors(), server.errors()
