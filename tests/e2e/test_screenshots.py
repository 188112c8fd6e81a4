"""The main pages in the five languages, each checked for its language and direction and
photographed small. `make screenshots` writes them to docs/screenshots/."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import ARTIFACTS, fill_vacancy
from tests.e2e.test_first_visit import log_in

LANGUAGES = ["en", "fr", "ar", "az", "ru"]
TARGET = Path(os.environ.get("JOBMATCH_SCREENSHOTS") or ARTIFACTS / "screenshots")


def _first(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


@pytest.fixture
def small(browser, indexed_server):
    """Desktop layout, photographed at half size."""
    context = browser.new_context(
        base_url=indexed_server, viewport={"width": 1280, "height": 860}, device_scale_factor=0.5
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def waiting_vacancy(browser, indexed_server):
    """A vacancy that asks candidates for money, waiting in the moderation queue for the
    counsellor's pages to show."""
    context = browser.new_context(base_url=indexed_server)
    page = context.new_page()
    page.goto("/language/en")
    log_in(page, f"employer03@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/employer/vacancies/new")
    fill_vacancy(
        page,
        "Warehouse helper",
        "Load and unload lorries at our Sumgait warehouse and keep the shelves in order. "
        "Send 40 AZN for the registration of your documents before the first day; write to "
        "us on WhatsApp +994 50 555 12 34.",
        "absheron-khizi",
        650,
    )
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("The vacancy waits for a review")).to_be_visible()
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_pages_in_each_language(small, language, waiting_vacancy):
    page = small
    TARGET.mkdir(parents=True, exist_ok=True)
    direction = "rtl" if language == "ar" else "ltr"

    def photograph(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        page.screenshot(path=str(TARGET / f"{language}-{name}.png"))

    page.goto(f"/language/{language}")
    photograph("home")
    # a cook, as each language names the job (the Arabic word is ESCO's: a synonym that no
    # label and no vacancy uses means nothing to the search, which says so)
    words = {"ar": "طاهي", "ru": "повар", "fr": "cuisinier"}.get(language, "aşpaz")
    page.goto(f"/vacancies/?q={words}")
    expect(page.locator(".card.vacancy").first).to_be_visible()
    photograph("search")
    page.goto("/statistics/")
    expect(page.locator("svg.columns")).to_be_visible()
    photograph("statistics")
    page.goto("/training/")
    expect(page.locator(".card").first).to_be_visible()
    photograph("training")
    page.goto("/api/docs")
    expect(page.locator(".api-op").first).to_be_visible()
    photograph("api-docs")

    for email, pages in [
        (f"seeker001@{DEMO_DOMAIN}", [("/seeker/", "seeker"), ("/seeker/matches", "matches")]),
        (f"employer01@{DEMO_DOMAIN}", [("/employer/", "employer"), ("candidates", "candidates")]),
        (
            f"counsellor@{DEMO_DOMAIN}",
            [
                ("/counsellor/", "caseload"),
                ("case", "case"),
                ("/admin/moderation", "moderation"),
                ("/statistics/fairness?days=30", "fairness"),
                ("/statistics/matching", "outcomes"),
            ],
        ),
    ]:
        page.goto("/language/en")
        log_in(page, email, DEMO_PASSWORD)
        page.goto(f"/language/{language}")
        for path, name in pages:
            if path == "candidates":
                page.goto("/employer/")
                path = _first(page, "a[href$='/candidates']")
            elif path == "case":
                path = _first(page, "table tbody a[href*='/counsellor/seekers/']")
            page.goto(path)
            if page.locator("ol.matches").count():
                expect(page.locator("ol.matches > li").first).to_be_visible()
            photograph(name)
        page.locator("form[action='/logout'] button").click()


@pytest.fixture
def narrow(browser, indexed_server):
    """A 390 px phone."""
    context = browser.new_context(
        base_url=indexed_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    yield context.new_page()
    context.close()


def test_the_journey_pages(small, narrow):
    """The pages the journeys were reworked on, whole: registration mistakes, the counsellor's
    person page, an employer's candidates, and three pages on a phone. They go to
    docs/screenshots/journeys/ (docs/SCREENSHOTS.md sets them beside the earlier ones)."""
    folder = TARGET / "journeys"
    folder.mkdir(parents=True, exist_ok=True)

    def photograph(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    page = small
    page.goto("/language/en")
    page.goto("/register/seeker")
    page.get_by_label("E-mail", exact=True).fill("not-an-address")
    page.get_by_label("Password", exact=True).fill("short")
    page.locator("form button[type=submit]").last.click()
    photograph(page, "registration-errors")

    log_in(page, f"counsellor@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(_first(page, "table tbody a[href*='/counsellor/seekers/']"))
    photograph(page, "counsellor-person")
    page.locator("form[action='/logout'] button").click()

    log_in(page, f"employer01@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/employer/")
    page.goto(_first(page, "a[href$='/candidates']"))
    photograph(page, "employer-candidates")

    phone = narrow
    phone.goto("/language/en")
    phone.goto("/statistics/")
    photograph(phone, "phone-statistics")
    log_in(phone, f"employer01@{DEMO_DOMAIN}", DEMO_PASSWORD)
    phone.goto("/employer/")
    photograph(phone, "phone-employer")
    phone.get_by_role("button", name="Menu").click()
    phone.locator("form[action='/logout'] button").click()
    log_in(phone, f"seeker001@{DEMO_DOMAIN}", DEMO_PASSWORD)
    phone.goto("/seeker/")
    photograph(phone, "phone-seeker")
