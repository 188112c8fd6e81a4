"""A person registers, logs in and reaches their role's home page, in a real browser."""

import re

from playwright.sync_api import expect

from jobmatch.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import shot


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_job_seeker_registers_logs_out_and_in_again(page):
    page.goto("/")
    page.get_by_role("link", name="I am looking for work").click()
    page.get_by_label("First name").fill("Nigar")
    page.get_by_label("Last name").fill("Quliyeva")
    page.get_by_label("Region").select_option("ganja-dashkasan")
    page.get_by_label("E-mail").fill("nigar.quliyeva@example.org")
    page.get_by_label("Password", exact=True).fill("Gəncə bağları 2026")
    page.get_by_label("Repeat the password").fill("Gəncə bağları 2026")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/seeker/$"))
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
    page.get_by_label("E-mail").fill("hr@kur.az")
    page.get_by_label("Password", exact=True).fill("Kür çayı 2026 balıq")
    page.get_by_label("Repeat the password").fill("Kür çayı 2026 balıq")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.get_by_text("The tax number (VÖEN) has 10 digits.")).to_be_visible()
    expect(page.get_by_label("Organisation name")).to_have_value("Kür Balıqçılıq")


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
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    shot(page, "home-ar")
