import pytest

from awareness.models import Topic
from awareness.pages.services import topic_save
from tests.factories import make_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY_EN = """## How it works

A stranger offers **easy money** for liking videos. After a few small payouts you are asked to
top up your own money to "unlock" bigger tasks.

1. A friendly message with a job offer
2. Small real payouts to win your trust
3. Deposits that you never get back

Read more on the [police website](https://example.org/advice).
"""

BODY_ZH = """## 骗局是怎样进行的

陌生人说给视频点赞就能**轻松赚钱**。先给你几笔小额返利，再让你自己充值"解锁"更大的任务。

1. 热情的兼职招聘消息
2. 小额返利骗取信任
3. 充值后钱再也拿不回来
"""


def seed_pages() -> dict[str, Topic]:
    """Topics in both languages (one only in English, one 15+) with published scenarios."""
    jobs_en = topic_save(
        topic=Topic(
            language="en",
            slug="fake-part-time-jobs",
            title="Fake part-time jobs",
            summary="Easy money for likes turns into paying to unlock earnings.",
            body_markdown=BODY_EN,
            red_flags=["Paying to get paid", "Work that is only likes or ratings"],
            what_to_do=["Never deposit money", "Keep the chat and report it"],
            position=1,
        )
    )
    jobs_zh = topic_save(
        topic=Topic(
            language="zh-hans",
            slug="fake-part-time-jobs",
            title="刷单返利兼职",
            summary="点赞赚钱，最后变成充值解锁佣金。",
            body_markdown=BODY_ZH,
            red_flags=["先交钱才能赚钱", "工作只是点赞或刷评价"],
            what_to_do=["绝不充值", "保留聊天记录并报警"],
            position=1,
        )
    )
    for language in ("en", "zh-hans"):
        topic_save(
            topic=Topic(
                language=language,
                slug="sextortion",
                title="Sextortion" if language == "en" else "性勒索",
                summary="Threats to share images unless you pay."
                if language == "en"
                else "有人威胁公开你的照片，逼你付钱。",
                body_markdown="You are not in trouble." if language == "en" else "你没有做错事。",
                min_age=15,
                position=2,
            )
        )
    # Only in English: Chinese visitors see it as the fallback.
    topic_save(
        topic=Topic(
            language="en",
            slug="nft-scams",
            title="NFT and metaverse scams",
            summary="Surprise mints that drain your wallet.",
            body_markdown="Check before you connect a wallet.",
            position=3,
        )
    )
    make_scenario("likes-for-money", language="en", topic=jobs_en, title="Likes for money")
    make_scenario("dianzan-zhuanqian", language="zh-hans", topic=jobs_zh, title="点赞赚钱")
    return {"en": jobs_en, "zh-hans": jobs_zh}


def show_in(page, language: str) -> None:
    if language != "en":
        page.get_by_role("button", name="简体中文").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize(
    "path", ["/", "/learn/", "/learn/fake-part-time-jobs/", "/learn/sextortion/", "/help/"]
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_have_no_axe_violations(page, assert_accessible, path, language):
    seed_pages()
    page.goto(path)
    show_in(page, language)
    assert page.locator("h1").count() == 1
    assert_accessible(page, f"{path} [{language}]")


def test_chinese_topic_list_falls_back_to_english_in_the_browser(page, assert_accessible):
    seed_pages()
    page.goto("/learn/")
    show_in(page, "zh-hans")
    cards = page.locator("main article.card h2")
    assert cards.all_inner_texts() == ["刷单返利兼职", "性勒索", "NFT and metaverse scams"]
    assert page.locator('article.card[lang="en"]').count() == 1
    page.get_by_role("link", name="NFT and metaverse scams").click()
    page.wait_for_url("**/learn/nft-scams/")
    assert page.locator('article.topic[lang="en"] h1').inner_text() == "NFT and metaverse scams"
    assert_accessible(page, "English topic shown to a Chinese reader")


def test_home_page_is_light(page):
    seed_pages()
    page.goto("/")
    # Everything the first visit transferred: the HTML, CSS and icon (compressed where served so).
    transferred = page.evaluate(
        """() => performance.getEntriesByType('navigation')
              .concat(performance.getEntriesByType('resource'))
              .reduce((sum, entry) => sum + entry.transferSize, 0)"""
    )
    assert 0 < transferred < 100_000, transferred


def test_phone_visitor_reads_a_topic_in_chinese_and_plays_its_scenario_to_an_ending(
    phone_page, assert_accessible
):
    seed_pages()
    page = phone_page  # 390 x 844, touch, Accept-Language zh-CN

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_role("link", name="刷单返利兼职").click()

    page.wait_for_url("**/learn/fake-part-time-jobs/")
    assert page.locator("h1").inner_text() == "刷单返利兼职"
    assert page.get_by_role("heading", name="骗局是怎样进行的").is_visible()
    assert page.get_by_text("先交钱才能赚钱").is_visible()
    assert page.get_by_text("点赞赚钱", exact=True).is_visible()
    assert "Likes for money" not in page.content()
    # The page fits the phone: nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "Chinese topic on a phone")

    start = page.locator("section[aria-labelledby=scenarios-title] a.btn-primary")
    assert start.count() == 1
    start.tap()

    # The scenario intro page, in Chinese.
    page.wait_for_url("**/scenarios/dianzan-zhuanqian/")
    assert page.locator("h1").inner_text() == "点赞赚钱"
    assert page.locator('form[action$="/scenarios/dianzan-zhuanqian/start/"] button').is_visible()
    assert_accessible(page, "scenario intro on a phone")

    # Play it on the phone to an ending, with the Chinese interface at every state.
    page.locator('form[action$="/start/"] button').tap()
    page.locator("#choice-b").tap()
    page.locator("form.play-form button[type=submit]").tap()
    page.wait_for_url("**/feedback/d1/")
    assert page.locator("#feedback-title").inner_text().strip() != ""
    assert page.locator("mark.flag").count() >= 1
    assert_accessible(page, "decision feedback on a phone")
    page.locator("a.btn-primary[href*='/play/']").tap()
    page.locator("#option-o1").tap()
    page.locator("form.play-form button[type=submit]").tap()
    page.wait_for_url("**/feedback/s1/")
    page.locator("a.btn-primary[href*='/play/']").tap()
    page.locator("#choice-stop").tap()
    page.locator("form.play-form button[type=submit]").tap()
    page.locator("a.btn-primary[href*='/play/']").tap()
    page.locator(".ending.ending-partly-harmed").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "ending on a phone")
