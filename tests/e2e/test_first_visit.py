"""A person registers, logs in and reaches their role's home page, in a real browser."""

import re

from playwright.sync_api import expect

from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import confirm_address, mailed_link, shot


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_job_seeker_registers_logs_out_and_in_again(page):
    page.goto("/")
    page.get_by_role("link", name="I am looking for work").click()
    page.get_by_label("First name").fill("Nigar")
    page.get_by_label("Last name").fill("Quliyeva")
    page.get_by_label("Region").select_option("ganja-dashkasan")
    page.get_by_label("E-mail", exact=True).fill("nigar.quliyeva@example.org")
    page.get_by_label("Password", exact=True).fill("Gəncə bağları 2026")
    page.get_by_label("Repeat the password").fill("Gəncə bağları 2026")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    confirm_address(page, "nigar.quliyeva@example.org")
    expect(page).to_have_url(re.compile(r"/seeker/profile$"))  # step 1 of the profile
    page.get_by_label("The work I am looking for").fill("Aşpaz")
    page.get_by_label("Azerbaijani").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(re.compile(r"/seeker/cv$"))  # step 2
    expect(page.get_by_role("link", name="About you (done)")).to_be_visible()
    page.get_by_role("link", name="My page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nigar")
    shot(page, "seeker-home")

    page.get_by_role("button", name="Log out").click()
    log_in(page, "nigar.quliyeva@example.org", "Gəncə bağları 2026")
    expect(page).to_have_url(re.compile(r"/home$|/seeker/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nigar")


def test_a_registration_mistake_is_explained_and_kept_on_the_form(page):
    page.goto("/register/employer")
    page.get_by_label("Organisation name").fill("Kür Balıqçılıq")
    page.get_by_label("Tax number").fill("12345")
    page.get_by_label("E-mail", exact=True).fill("hr@kur.az")
    page.get_by_label("Password", exact=True).fill("Kür çayı 2026 balıq")
    page.get_by_label("Repeat the password").fill("Kür çayı 2026 balıq")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register the organisation").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()  # read out first, before the form
    expect(page.locator("#tax_id-error")).to_have_text("The tax number (VÖEN) has 10 digits.")
    summary.get_by_role("link", name="The tax number (VÖEN) has 10 digits.").click()
    expect(page).to_have_url(re.compile(r"#tax_id$"))
    expect(page.get_by_label("Organisation name")).to_have_value("Kür Balıqçılıq")


def test_a_forgotten_password_is_set_again_from_the_mailed_link(page):
    email = f"seeker010@{DEMO_DOMAIN}"
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("If an account has this address")).to_be_visible()
    link = mailed_link(email, "/password/reset/")
    page.goto(link)
    page.get_by_label("New password").fill("Şuşa dağları 1752")
    page.get_by_label("Repeat the password").fill("Şuşa dağları 1752")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_text("Your new password is set.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.goto(link)  # used once: dead
    expect(page.get_by_text("was used already or has expired")).to_be_visible()
    log_in(page, email, "Şuşa dağları 1752")
    expect(page).to_have_url(re.compile(r"/home$|/seeker/$"))


def test_each_role_reaches_its_home_page(page):
    homes = {
        f"employer01@{DEMO_DOMAIN}": ("/employer/", "Our vacancies"),
        f"counsellor@{DEMO_DOMAIN}": ("/counsellor/", "My caseload"),
        f"admin@{DEMO_DOMAIN}": ("/admin/", "User accounts"),
    }
    for email, (path, heading) in homes.items():
        log_in(page, email, DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        shot(page, path.strip("/") + "-home")
        page.get_by_role("button", name="Log out").click()


def test_arabic_pages_are_right_to_left(page):
    page.goto("/")
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    shot(page, "home-ar")


def test_an_admin_runs_the_reconcile_and_watches_the_indexes_fill(page):
    log_in(page, f"admin@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Background jobs and match indexes").click()
    expect(page.get_by_role("heading", name="Background jobs", exact=True)).to_be_visible()
    indexes = page.get_by_role("table").first
    expect(indexes.get_by_role("row", name=re.compile("^Vacancies flat 0 0"))).to_be_visible()

    schedule = page.get_by_role("row", name=re.compile("^reconcile"))
    schedule.get_by_role("button", name="Run now").click()  # in the tests, jobs run at once
    expect(page.get_by_text("The job is queued.")).to_be_visible()
    expect(indexes.get_by_role("row", name=re.compile("^Vacancies flat 30 30 0 "))).to_be_visible()
    # every seeker (the demo's and those registered by the tests above): held = stored
    seekers = re.compile(r"^Job seekers flat ([1-9]\d+) \1 0 ")
    expect(indexes.get_by_role("row", name=seekers)).to_be_visible()
    shot(page, "admin-jobs")
    page.get_by_role("button", name="Log out").click()

    # Now indexed: a job seeker sees the vacancies that fit, each with its why.
    log_in(page, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/seeker/")
    page.get_by_role("link", name="Vacancies for me").click()
    matches = page.locator("ol.matches > li")
    expect(matches.first).to_be_visible()
    expect(matches.first.locator(".reason").first).to_be_visible()
    expect(matches.first.get_by_text(re.compile(r"\d+% fit"))).to_be_visible()
    shot(page, "seeker-matches")
    page.get_by_role("button", name="Log out").click()


def test_a_job_seeker_uploads_a_cv_and_confirms_what_was_found(page, tmp_path):
    from tests.documents import scanned_pdf, text_pdf

    log_in(page, f"seeker002@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/seeker/")
    page.get_by_role("link", name=re.compile("(Upload|Update) my CV")).click()
    expect(page.get_by_role("heading", name="My CV", exact=True)).to_be_visible()

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf())
    page.get_by_label("CV file").set_input_files(str(scan))
    page.get_by_role("button", name="Read my CV").click()
    expect(page.get_by_text("looks like a scan")).to_be_visible()

    cv = tmp_path / "cv.pdf"
    cv.write_bytes(text_pdf(["Cook", "I use cooking techniques and order supplies for a kitchen."]))
    page.get_by_label("CV file").set_input_files(str(cv))
    page.get_by_role("button", name="Read my CV").click()
    expect(page).to_have_url(re.compile(r"/seeker/skills$"))
    expect(page.get_by_text(re.compile(r"We read \d+ words from your CV"))).to_be_visible()
    expect(page.get_by_text("use cooking techniques").first).to_be_visible()
    shot(page, "seeker-cv-skills")
    page.get_by_role("button", name="Log out").click()
