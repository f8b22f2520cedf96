"""Support and safety in a real browser: the safety plan offline, the support card after an
offline check-in is sent, after a check-in scored 10, and after a PHQ-9 with item 9 answered."""
import pytest

from .test_checkin_flow import register
from .test_pwa import check_in, server_entries, wait_for_worker, wait_until
from .test_trends import post_json

pytestmark = pytest.mark.browser

PLAN = "Pacing at night, skipping meals"
CACHED_SUPPORT = ("caches.open('diary-personal').then(c => c.match('/support'))"
                  ".then(r => r ? r.text() : '')")


def assert_crisis_contacts(page):
    text = page.locator("main").inner_text()
    assert "988" in text and "116 123" in text


def test_safety_plan_is_there_offline_once_seen_online(phone, live_server):
    page, context = phone, phone.context
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)

    page.locator("a.support-link").click()
    page.get_by_role("link", name="Write your safety plan").click()
    page.get_by_label("Step 1: Warning signs", exact=False).fill(PLAN)
    page.get_by_role("button", name="Save my safety plan").click()
    page.wait_for_url(live_server + "/support")
    assert PLAN in page.locator(".safety-plan").inner_text()
    # The worker keeps this page (network first) as the device's personal copy.
    wait_until(page, CACHED_SUPPORT + f".then(t => t.includes({PLAN!r}))")

    context.set_offline(True)
    page.goto(live_server + "/support")
    assert PLAN in page.locator(".safety-plan").inner_text()
    assert_crisis_contacts(page)
    page.goto(live_server + "/safety-plan")  # the editor needs the network: offline, the plan to read
    assert PLAN in page.locator(".safety-plan").inner_text()
    context.set_offline(False)

    # Today refreshes the copy (once per load): a plan changed elsewhere is there offline too.
    assert post_json(page, "/api/v1/safety-plan", {"warning_signs": "Changed on the laptop"}, "PUT") == 200
    page.goto(live_server + "/")
    wait_until(page, CACHED_SUPPORT + ".then(t => t.includes('Changed on the laptop'))")
    context.set_offline(True)
    page.goto(live_server + "/support")
    assert "Changed on the laptop" in page.locator(".safety-plan").inner_text()
    assert PLAN not in page.content()


def test_a_device_that_never_saw_support_gets_the_offline_copy(phone, live_server):
    page, context = phone, phone.context
    page.goto(live_server + "/login")
    wait_for_worker(page)
    context.set_offline(True)
    for path in ("/support", "/safety-plan"):
        page.goto(live_server + path)
        assert page.locator("h1").inner_text() == "Support, right now"
        assert_crisis_contacts(page)
        assert page.locator(".safety-plan").count() == 0
    # The offline check-in page has help one tap away too.
    page.goto(live_server + "/")
    assert "You're offline" in page.content()
    page.locator("a.support-link").click()
    assert_crisis_contacts(page)


def test_offline_checkin_with_crisis_words_shows_the_card_at_once_and_when_sent(phone, live_server):
    page, context = phone, phone.context
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    wait_for_worker(page)

    context.set_offline(True)
    check_in(page, 4, "I want to end my life")
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    # The phone knows the phrases: the card shows at once, not hours later when it is sent.
    assert page.locator("main .support-card").count() == 1
    assert "988" in page.locator("main .support-card").inner_text()

    page.reload()  # still offline: the shell, with the check-in waiting and no card yet
    page.locator("#outbox-status").get_by_text("1 check-in saved on this phone").wait_for()
    assert page.locator("main .support-card").count() == 0
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "diaryOutbox.all().then(items => items.length === 0)")
    card = page.locator("main .support-card")
    card.wait_for()
    assert card.count() == 1 and "988" in card.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('support-card')")
    # Right after the outbox status, before the check-in form.
    assert page.evaluate("document.getElementById('outbox-status').nextElementSibling.classList"
                         ".contains('support-card')")
    assert [e["note"] for e in server_entries(page, live_server)] == ["I want to end my life"]

    # A second replay (nothing left to send) adds no second card.
    page.evaluate("diaryOutbox.replay()")
    assert page.locator("main .support-card").count() == 1


def test_online_checkin_scored_10_shows_the_card_on_today(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")
    check_in(page, 10, "")
    page.wait_for_url(live_server + "/")
    card = page.locator(".support-card")
    assert card.get_attribute("data-support-reason") == "score_10"
    assert "A 10 is as hard as it gets." in card.inner_text() and "988" in card.inner_text()
    assert page.locator("article.entry .score").inner_text() == "10"
    page.reload()  # shown once, not on every visit
    assert page.locator(".support-card").count() == 0


def answer(page, item, label):
    page.locator(f"#item_{item} label.answer", has_text=label).click()


LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def test_gad7_and_phq9_through_the_form(phone, live_server):
    page = phone
    register(page, live_server)
    page.wait_for_url(live_server + "/")

    page.goto(live_server + "/assessments/new?instrument=gad7")
    progress = page.locator("[data-progress-text]")
    gad7 = (2, 2, 2, 2, 1, 1, 1)  # 11: moderate
    for n, value in enumerate(gad7, start=1):
        answer(page, n, LABELS[value])
        if n == 3:
            assert progress.inner_text() == "3 of 7 answered."
            assert page.locator("[data-progress]").evaluate("el => el.value") == 3
    assert progress.inner_text() == "All 7 answered."
    page.get_by_role("button", name="See my score").click()
    page.wait_for_url("**/assessments/*")
    assert page.locator(".score-big").inner_text().split() == ["11", "out", "of", "21"]
    assert "Moderate anxiety symptoms" in page.locator(".lede").inner_text()
    assert page.locator(".support-card").count() == 0

    page.goto(live_server + "/assessments/new?instrument=phq9")
    phq9 = (1, 1, 1, 0, 0, 1, 1, 1, 1)  # 7: mild, and item 9 "several days"
    for n, value in enumerate(phq9, start=1):
        answer(page, n, LABELS[value])
    page.get_by_role("button", name="See my score").click()
    page.wait_for_url("**/assessments/*")
    assert page.locator(".score-big").inner_text().split() == ["7", "out", "of", "27"]
    assert "Mild depression symptoms" in page.locator(".lede").inner_text()
    card = page.locator(".support-card")
    assert card.count() == 1 and "988" in card.inner_text()

    page.goto(live_server + "/assessments/")
    assert page.locator(".results tbody tr").count() == 2


def test_the_phone_and_the_server_agree_on_crisis_words(phone, live_server):
    """static/js/crisis.js reads every line of the corpus (tests/data/crisis_corpus.tsv) and the
    listed phrases and near misses as diary/insights/crisis.py does, offline from the worker's copy."""
    from diary.insights.crisis import mentions_crisis, read
    from tests.insights.test_crisis import test_crisis_language_is_found as found
    from tests.insights.test_crisis import test_near_misses_are_not as misses
    from tests.insights.test_crisis_corpus import corpus

    texts = [mark.args[1] for test in (found, misses) for mark in test.pytestmark if mark.name == "parametrize"]
    texts = [text for group in texts for text in group] + [row["text"] for row in corpus()]
    assert len(texts) > 800
    page = phone
    page.goto(live_server + "/")
    wait_for_worker(page)
    page.context.set_offline(True)
    page.goto(live_server + "/offline")
    on_phone = page.evaluate("texts => Promise.all(texts.map(t => diaryOutbox.callsForSupport("
                             "{anxiety: 3, note: t, triggers: []})))", texts)
    disagree = {text: read(text) for text, said in zip(texts, on_phone) if said != mentions_crisis(text)}
    assert disagree == {}
    read_on_phone = page.evaluate("texts => Promise.all(texts.map(t => diaryCrisis.read(t)))", texts)
    assert [text for text, plain in zip(texts, read_on_phone) if plain != read(text)] == []
    assert page.evaluate("diaryOutbox.callsForSupport({anxiety: 10, note: '', triggers: []})")
    assert page.evaluate("diaryOutbox.callsForSupport({anxiety: 2, note: '', triggers: ['suicdal']})")
