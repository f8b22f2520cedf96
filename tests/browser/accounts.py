"""Browser helpers for accounts: register, log in, end a patient's sessions from another device."""
import itertools

PASSWORD = "a long enough password"
NEW_PASSWORD = "another long enough password"
_emails = (f"owner{n}@example.com" for n in itertools.count())


def register_as(page, live_server, name):
    email = next(_emails)
    page.goto(live_server + "/register")
    page.get_by_label("keeping my own diary").check()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(live_server + "/")
    return email


def log_in(page, live_server, email, password):
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server + "/")


def end_logins_elsewhere(browser, live_server, email):
    """The patient changes their password on another device: every other session of theirs ends."""
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, live_server, email, PASSWORD)
        page.goto(live_server + "/account")
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change password").click()
        page.get_by_text("Password changed.").wait_for()
    finally:
        context.close()
