"""Phone first, everywhere: every main page at 375 × 667 and 320 × 568, light and dark, over the
demo diary (120 days of check-ins, sessions, questionnaires, a provider who sees it all); and at
375 × 667 with the browser's text size at 200 % (its default font size set to 32 px).

On each page: nothing is wider than the screen (the page and every table), tap targets are at least
44 px in their smaller dimension, axe-core finds nothing serious, nothing in the header or the
navigation overlaps or is cut off; on Today, a check-in (score, a trigger, Save) needs no scrolling
(at 200 %, the scores start on the first screen, uncovered, and Save is reached by scrolling). A screenshot of each page goes to
test-artifacts/screenshots/phone/<width>x<height>-<scheme>/ (git-ignored).
"""
import re
from pathlib import Path

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import gunicorn_server

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "phone"
# (width, height, the browser's default font size): 16 px is 100 %, 32 px is 200 %.
SIZES = [(375, 667, 16), (320, 568, 16), (375, 667, 32)]
PATIENT_PAGES = [("/", "today"), ("/history", "history"), ("/triggers", "triggers"), ("/sessions/", "sessions"),
                 ("/sessions/new", "session-form"), ("/trends?range=90d", "trends"), ("/care-team", "care-team"),
                 ("/report", "report"), ("/account", "account"), ("/support", "support"),
                 ("/safety-plan", "safety-plan"), ("/assessments/new?instrument=gad7", "gad7-form"),
                 ("/assessments/", "assessments")]

# What a finger has to hit. Tick boxes and radio buttons count as their label (the whole label is
# the target; the box itself is drawn small inside it), as do the inputs hidden under the 0-10
# scale and the trigger chips.
TAP_TARGETS = """(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && el.closest('[hidden], .visually-hidden') === null
      && !(r.right < 0 || r.left > width);  // the skip link waits off screen until it has focus
  };
  // Two exemptions. WCAG 2.5.8 "inline": a link inside a sentence, whose size the line of text
  // sets (a link alone in its paragraph or list item is a target like any other). And the points
  // of a chart (an SVG drawn to the screen's width): each chart has a table with the same data.
  const inSentence = a => getComputedStyle(a).display === 'inline'
    && a.parentElement.textContent.trim().length > a.textContent.trim().length;
  const inChart = el => el.closest('svg') !== null;
  for (const el of document.querySelectorAll('a[href], button, select, textarea, summary, input:not([type=hidden])')) {
    let target = el;
    if (el.matches('input[type=checkbox], input[type=radio]')) target = el.closest('label') || el;
    if (!visible(target) || inChart(el) || (el.matches('a') && inSentence(el))) continue;
    const r = target.getBoundingClientRect();
    if (Math.min(r.width, r.height) < 43.5) {
      const text = (target.innerText || target.value || target.getAttribute('aria-label') || target.name || '').trim().slice(0, 30);
      out.push(`${target.tagName.toLowerCase()}${target.className ? '.' + target.className : ''} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return out;
})()"""

# Anything poking out of the screen on the right, and tables wider than their own box.
OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  for (const table of document.querySelectorAll('table')) {
    const r = table.getBoundingClientRect();
    if (r.width === 0) continue;  // in a closed <details>
    if (table.scrollWidth > table.clientWidth + 1 || r.right > width + 0.5)
      out.push(`table ${table.className || table.caption?.textContent.trim().slice(0, 30) || ''}: ` +
               `${table.scrollWidth} px in ${Math.round(r.width)} px, right edge ${Math.round(r.right)}`);
  }
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5 && el.closest('.visually-hidden, svg') === null)
      out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className : ''} right edge ${Math.round(r.right)}`);
  }
  return out.slice(0, 8);
})()"""


# The header's and the navigation's boxes: none may overlap another, and no label may be squeezed
# (text wider or taller than its box). The navigation must stay on the screen.
SHELL = """(() => {
  const out = [];
  const boxes = [...document.querySelectorAll('.app-header .brand, .app-header .support-link, .app-header .logout button,'
    + ' .main-nav > ul > li > a, .main-nav > ul > li > details > summary')]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  const name = el => `"${el.textContent.trim().slice(0, 20)}"`;
  for (const el of boxes) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      out.push(`${name(el)} is squeezed: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    const r = el.getBoundingClientRect();
    if (r.left < -0.5 || r.right > innerWidth + 0.5 || (el.closest('.main-nav') && (r.top < 0 || r.bottom > innerHeight + 0.5)))
      out.push(`${name(el)} is off the screen: ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].getBoundingClientRect(), b = boxes[j].getBoundingClientRect();
    if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
      out.push(`${name(boxes[i])} overlaps ${name(boxes[j])}`);
  }
  return out;
})()"""


def text_size(context, font_px):
    """A new page of ``context`` whose browser text size is ``font_px`` (Chromium's default font
    size setting, as a person sets it in Settings > Appearance; 16 is the browser's own)."""
    page = context.new_page()
    if font_px != 16:
        page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": font_px, "fixed": font_px * 13 // 16}})
    return page


@pytest.fixture(scope="module")
def demo(tmp_path_factory, browser):
    """A live server over the demo diary, and the saved logins of its patient and provider."""
    with gunicorn_server(tmp_path_factory.mktemp("demo"), seed_demo=True) as (url, seeded):
        key = re.search(r"key: ([A-Z2-7 ]+)\n", seeded).group(1).replace(" ", "")
        states = {}
        for role, email, password in [("patient", "demo.patient@example.com", "demo-patient-2026"),
                                      ("provider", "demo.provider@example.com", "demo-provider-2026")]:
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "/login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            if role == "provider":
                page.get_by_label("Code from your app").fill(pyotp.TOTP(key).now())
                page.get_by_role("button", name="Log in", exact=True).click()
                page.wait_for_url(url + "/provider/")
            else:
                page.wait_for_url(url + "/")
            states[role] = context.storage_state()
            context.close()
        yield url, states


def check(page, folder, name, problems):
    page.wait_for_load_state("load")
    # Where am I: the page's own item (or the section it belongs to) is marked in the navigation.
    if page.locator("nav[aria-label=Main]").count() and name not in ("support", "safety-plan"):
        # Among the items this layout shows (with large text, History and Sessions move under More):
        # [aria-current value, href, and whether More, when it holds the item, is marked too].
        marked = page.evaluate("""[...document.querySelectorAll('nav[aria-label=Main] [aria-current]')]
          .filter(el => getComputedStyle(el.closest('li')).display !== 'none')
          .map(el => [el.getAttribute('aria-current'), el.getAttribute('href'),
                      !el.closest('details') || getComputedStyle(el.closest('details').querySelector('summary')).fontWeight >= 700])""")
        if len(marked) != 1:
            problems.append(f"{name}: {len(marked)} navigation items marked current")
        elif marked[0][0] == "page" and not page.url.split("?")[0].endswith(marked[0][1]):
            problems.append(f"{name}: the navigation marks {marked[0][1]} as this page")
        elif not marked[0][2]:
            problems.append(f"{name}: {marked[0][1]} is current, but More, which holds it, is not marked")
    for problem in page.evaluate(OVERFLOW) + page.evaluate(SHELL):
        problems.append(f"{name}: {problem}")
    small = page.evaluate(TAP_TARGETS)
    if small:
        problems.append(f"{name}: tap targets under 44 px: {small[:6]}")
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{name}: axe {violation['id']} ({violation['impact']}) {violation['help']} at {targets}")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}-text{size[2] * 100 // 16}")
def test_every_page_fits_a_phone(browser, demo, size, scheme):
    url, states = demo
    width, height, font_px = size
    folder = SCREENSHOTS / f"{width}x{height}-text{font_px * 100 // 16}-{scheme}"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    options = dict(viewport={"width": width, "height": height}, color_scheme=scheme, is_mobile=True,
                   has_touch=True, timezone_id="America/Chicago")
    contexts = [browser.new_context(**options), browser.new_context(storage_state=states["patient"], **options),
                browser.new_context(storage_state=states["provider"], **options)]
    try:
        guest, patient, provider = (text_size(context, font_px) for context in contexts)
        for path, name in [("/login", "login"), ("/register", "register")]:
            guest.goto(url + path)
            check(guest, folder, name, problems)

        for path, name in PATIENT_PAGES:
            patient.goto(url + path)
            check(patient, folder, name, problems)
            if name == "trends" and font_px == 16:
                # The five periods: one row, each a 44 px target (with large text they may wrap).
                boxes = [link.bounding_box() for link in patient.locator("nav.segmented a").all()]
                if len(boxes) != 5 or len({round(b["y"]) for b in boxes}) != 1 or min(b["width"] for b in boxes) < 44:
                    problems.append(f"trends: the periods are not one row of 44 px targets: {boxes}")
            if name == "today" and font_px > 16:
                # Large text: the scores start on the first screen, not under Save; Save is a scroll away.
                first = patient.locator("label.scale-option").first
                box = first.bounding_box()
                reached = first.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))",
                                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
                bar_top = patient.locator("nav.main-nav").bounding_box()["y"]
                if box["y"] + box["height"] > min(height, bar_top) or not reached:
                    problems.append(f"today: the first score is not on the first screen ({box}), or is covered")
                save = patient.get_by_role("button", name="Save check-in")
                save.scroll_into_view_if_needed()
                box = save.bounding_box()
                if not save.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))",
                                     [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]):
                    problems.append("today: Save is covered once scrolled to")
                patient.evaluate("window.scrollTo(0, 0)")
            elif name == "today":
                # A check-in without scrolling: a score, a trigger, and Save all on the first screen.
                # Each one is on the first screen and is what a tap at its centre reaches (not
                # hidden under the navigation bar or under Save).
                for name, control in [("the score 5", patient.locator("label.scale-option", has_text="5")),
                                      ("the first trigger", patient.locator("label.chip").first),
                                      ("Save", patient.get_by_role("button", name="Save check-in"))]:
                    box = control.bounding_box()
                    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                    reached = control.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", [x, y])
                    if box["y"] + box["height"] > height or not reached:
                        problems.append(f"today: {name} is not on the first screen ({box}), or is covered")

        provider.goto(url + "/provider/")
        check(provider, folder, "provider-dashboard", problems)
        provider.locator("a[href*='/provider/patients/']").first.click()
        provider.wait_for_url("**/provider/patients/*")
        check(provider, folder, "provider-patient", problems)
        provider.goto(url + "/provider/outcomes?period=all")
        check(provider, folder, "provider-outcomes", problems)
    finally:
        for context in contexts:
            context.close()
    assert problems == [], "\n".join(problems)
