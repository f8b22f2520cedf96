"""Every main page at 375 × 667: axe-core finds nothing serious, nothing scrolls sideways, tap
targets are at least 44 px, and a screenshot of each is saved to test-artifacts/screenshots/."""
import datetime as dt
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_checkin_flow import enrol_two_factor, register
from .test_trends import post_json

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TARGETS = ("button, .button, nav a, select, input[type=text], input[type=email], input[type=password], "
           "input[type=date], input[type=time], textarea, .scale-option, .chip, .support-link, label.answer, .contact a, summary")


def check_page(page, name, problems):
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{name}: {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append(f"{name}: scrolls horizontally")
    small = page.evaluate(f"""Array.from(document.querySelectorAll({TARGETS!r}))
        .filter(el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
        .map(el => [el.tagName + (el.className ? '.' + el.className : ''), el.getBoundingClientRect().height])
        .filter(([, height]) => height > 0 && height < 44)""")
    if small:
        problems.append(f"{name}: tap targets under 44 px: {small[:5]}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages(browser, live_server, scheme):
    problems = []
    patient_ctx = browser.new_context(viewport={"width": 375, "height": 667}, color_scheme=scheme)
    provider_ctx = browser.new_context(viewport={"width": 375, "height": 667}, color_scheme=scheme)
    page, doctor = patient_ctx.new_page(), provider_ctx.new_page()
    try:
        page.goto(live_server + "/login")
        check_page(page, f"login-{scheme}", problems)
        page.goto(live_server + "/register")
        check_page(page, f"register-{scheme}", problems)
        register(page, live_server)
        page.wait_for_url(live_server + "/")
        today = dt.date.today()
        for n in range(20):
            post_json(page, "/api/v1/entries", {"date": (today - dt.timedelta(days=n)).isoformat(),
                                                "anxiety": 2 + n % 7, "triggers": ["work"] if n % 2 else ["sleep"],
                                                "note": "a note"})
        post_json(page, "/api/v1/sessions", {"date": (today - dt.timedelta(days=5)).isoformat(),
                                             "treatment": "iv_ketamine", "anxiety_before": 7, "anxiety_after": 3,
                                             "reflection": "a reflection", "time": "10:30", "dose_unit": "mg/kg",
                                             "dose_value": 0.5, "weight_kg": 70,
                                             "side_effects": [{"name": "nausea", "severity": "moderate", "hours": 2},
                                                              "altered_time_perception"],
                                             "bp_before_systolic": 128, "bp_before_diastolic": 82,
                                             "bp_after_systolic": 141, "bp_after_diastolic": 90})
        for path, name in [("/", "today"), ("/history", "history"), ("/sessions/new", "session-form"),
                           ("/sessions/", "sessions"), ("/trends", "trends"), ("/triggers", "triggers"),
                           ("/account", "account"), ("/report", "report")]:
            page.goto(live_server + path)
            check_page(page, f"{name}-{scheme}", problems)
        page.goto(live_server + "/sessions/new")  # errors shown: a half blood pressure reading, too many hours
        page.get_by_label("Treatment").select_option("iv_ketamine")
        page.get_by_role("checkbox", name="Nausea", exact=True).check()
        page.get_by_label("Hours the nausea lasted").fill("80")
        page.get_by_label("Before: systolic (upper)").fill("128")
        page.get_by_role("button", name="Save session").click()
        page.locator(".error-summary").wait_for()
        check_page(page, f"session-form-errors-{scheme}", problems)
        # Safety: the support page, the plan editor, a PHQ-9 taken through the form (item 9
        # answered: its result page shows the support card), the list, and Today with the card.
        page.goto(live_server + "/safety-plan")
        check_page(page, f"safety-plan-{scheme}", problems)
        page.get_by_label("Step 1: Warning signs").fill("Pacing at night\nskipping meals")
        page.get_by_label("People I can ask for help").fill("My sister, 07700 900123")
        page.get_by_role("button", name="Save my safety plan").click()
        page.wait_for_url(live_server + "/support")
        check_page(page, f"support-{scheme}", problems)
        page.goto(live_server + "/assessments/new?instrument=phq9")
        for n in range(1, 10):
            page.locator(f"#item_{n} label.answer", has_text="Nearly every day" if n < 9 else "Several days").click()
        check_page(page, f"phq9-form-{scheme}", problems)
        page.get_by_role("button", name="See my score").click()
        page.wait_for_url("**/assessments/*")
        assert page.locator(".support-card").count() == 1
        check_page(page, f"phq9-result-{scheme}", problems)
        page.goto(live_server + "/assessments/new?instrument=gad7")
        page.get_by_role("button", name="See my score").click()  # unanswered: the errors, shown
        check_page(page, f"gad7-errors-{scheme}", problems)
        page.goto(live_server + "/assessments/")
        check_page(page, f"assessments-{scheme}", problems)
        page.goto(live_server + "/")
        page.locator("label.scale-option", has_text="10").first.click()
        page.get_by_role("button", name="Save check-in").click()
        page.locator("main .support-card").wait_for()  # saved without a reload (static/js/app.js)
        page.locator("[data-save-status]", has_text="Check-in saved.").wait_for()
        assert page.locator(".support-card").count() == 1
        check_page(page, f"today-support-card-{scheme}", problems)
        page.goto(live_server + "/trends")  # now with the PHQ-9 chart and its severity bands
        check_page(page, f"trends-assessments-{scheme}", problems)
        page.goto(live_server + "/offline")
        check_page(page, f"offline-{scheme}", problems)
        page.goto(live_server + "/support/offline")
        check_page(page, f"support-offline-{scheme}", problems)

        page.goto(live_server + "/care-team")
        page.get_by_role("button", name="Create a share code").click()
        code = page.locator("p.code").first.inner_text()
        check_page(page, f"care-team-{scheme}", problems)

        register(doctor, live_server, role="provider")
        doctor.wait_for_url(live_server + "/account/two-factor")
        enrol_two_factor(doctor, lambda page, name: check_page(page, f"{name}-{scheme}", problems))
        doctor.wait_for_url(live_server + "/provider/")
        doctor.get_by_label("Share code from your patient").fill(code)
        doctor.get_by_role("button", name="Add").click()
        doctor.wait_for_url("**/provider/patients/*")
        check_page(doctor, f"provider-patient-{scheme}", problems)
        doctor.goto(live_server + "/provider/")
        check_page(doctor, f"provider-dashboard-{scheme}", problems)
        doctor.goto(live_server + "/provider/outcomes?period=all")
        check_page(doctor, f"provider-outcomes-{scheme}", problems)
    finally:
        patient_ctx.close()
        provider_ctx.close()
    assert problems == [], "\n".join(problems)
