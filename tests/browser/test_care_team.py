"""Sharing end to end in two browsers: a patient gives a code, a provider redeems it, the patient revokes."""
import pytest

from .test_checkin_flow import enrol_two_factor, no_horizontal_scroll, register

pytestmark = pytest.mark.browser


def test_share_then_revoke(browser, live_server):
    patient_ctx = browser.new_context(viewport={"width": 375, "height": 740})
    provider_ctx = browser.new_context(viewport={"width": 375, "height": 740})
    patient, provider = patient_ctx.new_page(), provider_ctx.new_page()
    try:
        register(patient, live_server)
        patient.wait_for_url(live_server + "/")
        patient.locator("label.scale-option", has_text="8").first.click()
        patient.get_by_label("Note").fill("Shared with my clinician")
        patient.get_by_role("button", name="Save check-in").click()
        patient.locator("article.entry").wait_for()  # saved without a reload

        patient.get_by_text("More", exact=True).click()  # the menu of the navigation bar
        patient.get_by_role("link", name="Care team").click()
        patient.get_by_label("Everything:", exact=False).check()
        patient.get_by_role("button", name="Create a share code").click()
        code = patient.locator("p.code").first.inner_text()
        assert len(code) == 19 and code[4::5] == "---"
        assert no_horizontal_scroll(patient)

        register(provider, live_server, role="provider")
        provider.wait_for_url(live_server + "/account/two-factor")  # no patient data before two-factor
        assert no_horizontal_scroll(provider)
        enrol_two_factor(provider)
        provider.wait_for_url(live_server + "/provider/")
        provider.get_by_label("Share code from your patient").fill(code.lower())
        provider.get_by_role("button", name="Add").click()
        provider.wait_for_url("**/provider/patients/*")
        patient_url = provider.url
        assert "Shared with my clinician" in provider.content()
        assert no_horizontal_scroll(provider)
        provider.goto(live_server + "/provider/")
        assert provider.locator("article.patient-row").count() == 1

        patient.reload()
        assert "viewed your diary" in patient.locator("table.access-log").inner_text()
        patient.get_by_role("link", name="Stop sharing with Robin…").click()
        assert patient.get_by_role("heading", name="Stop sharing with Robin?").is_visible()
        assert no_horizontal_scroll(patient)
        patient.get_by_role("button", name="Stop sharing with Robin").click()
        assert "They can no longer see your diary." in patient.locator("main p.flash[role=status]").inner_text()

        response = provider.goto(patient_url)
        assert response.status == 404
        provider.goto(live_server + "/provider/")
        assert provider.locator("article.patient-row").count() == 0
    finally:
        patient_ctx.close()
        provider_ctx.close()
