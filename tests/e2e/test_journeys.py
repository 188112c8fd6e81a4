"""The three daily journeys end to end in Chromium, each page checked with axe-core; an Arabic
page laid out right to left; pages that fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import accessible, confirm_address, fill_vacancy, shot
from tests.e2e.test_first_visit import log_in as _log_in

COOK_CV = (
    "Experienced cook: eight years in restaurant kitchens in Baku. I use cooking techniques "
    "for hot dishes, plan menus and order supplies. I speak Azerbaijani and Russian."
)


def log_in(page, email: str) -> None:
    """Log a demo user in, in English (the demo's people each have their own language)."""
    _log_in(page, email, DEMO_PASSWORD)
    page.get_by_role("button", name="English").click()


def test_a_job_seeker_builds_a_profile_searches_saves_and_applies(journey):
    page = journey
    page.goto("/")
    accessible(page, "home")
    page.get_by_role("link", name="I am looking for work").click()
    page.get_by_label("First name").fill("Günay")
    page.get_by_label("Last name").fill("Məmmədova")
    page.get_by_label("Region").select_option("baku")
    page.get_by_label("E-mail", exact=True).fill("gunay@example.org")
    page.get_by_label("Password", exact=True).fill("Xəzər sahili 2026")
    page.get_by_label("Repeat the password").fill("Xəzər sahili 2026")
    page.get_by_label("Employers may find my profile").check()
    page.get_by_label("I agree").check()
    accessible(page, "registration")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    confirm_address(page, "gunay@example.org")

    # 1. about you
    expect(page).to_have_url(re.compile(r"/seeker/profile$"))
    accessible(page, "profile step")
    page.get_by_label("The work I am looking for").fill("Aşpaz")
    page.get_by_label("Azerbaijani").check()
    page.get_by_label("Russian").check()
    page.get_by_label("Telephone").fill("+994 50 555 12 34")
    page.get_by_role("button", name="Save and continue").click()
    # 2. CV, written
    expect(page).to_have_url(re.compile(r"/seeker/cv$"))
    accessible(page, "CV step")
    page.get_by_label("My work experience, education and skills").fill(COOK_CV)
    page.get_by_role("button", name="Save", exact=True).click()
    # 3. occupations and skills, as recognised
    expect(page).to_have_url(re.compile(r"/seeker/skills$"))
    accessible(page, "skills step")
    page.get_by_role("checkbox", name=re.compile(r"^cook\b")).first.check()
    page.get_by_role("checkbox", name=re.compile("use cooking techniques")).first.check()
    page.get_by_role("button", name="Save my skills").click()
    # 4. jobs and education
    expect(page).to_have_url(re.compile(r"/seeker/history$"))
    page.get_by_label("Job title").fill("Cook")
    page.get_by_label("Employer").fill("Qala restaurant")
    page.get_by_label("From").fill("2017-09-01")
    page.get_by_role("button", name="Add the job").click()
    expect(page.get_by_text("The job is added to your profile.")).to_be_visible()
    expect(page.get_by_role("link", name="Jobs and education (done)")).to_be_visible()
    accessible(page, "history step")
    shot(page, "journey-seeker-history")

    # search by meaning, in another language, and keep the search
    page.get_by_role("link", name="Vacancies", exact=True).click()
    page.get_by_label("What work are you looking for?").fill("aşpaz")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text(re.compile("vacancies, the closest in meaning first"))).to_be_visible()
    accessible(page, "search results")
    page.get_by_text("Save this search and get alerts").click()
    page.get_by_role("button", name="Save the search").click()
    expect(page).to_have_url(re.compile(r"/seeker/searches$"))
    expect(page.get_by_role("link", name="aşpaz")).to_be_visible()
    accessible(page, "my searches")

    # recommendations with their why; apply to the first
    page.goto("/seeker/matches")
    first = page.locator("ol.matches > li").first
    expect(first.locator(".reason").first).to_be_visible()
    accessible(page, "matches")
    title = first.get_by_role("heading").inner_text()
    first.get_by_role("link").first.click()
    accessible(page, "vacancy")
    page.get_by_label("A message to the employer").fill("I can start next week.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application is sent.")).to_be_visible()
    page.goto("/seeker/")
    mine = page.locator("li.application", has_text=title)
    expect(mine.locator(".status").first).to_have_text("Received")
    mine.get_by_text("What happened").click()
    expect(mine.locator("ol.history li")).to_have_count(1)
    accessible(page, "my applications")
    shot(page, "journey-seeker-home")
    page.get_by_role("button", name="Log out").click()


def test_an_employer_writes_a_vacancy_meets_candidates_and_moves_an_application(journey):
    page = journey
    log_in(page, f"employer01@{DEMO_DOMAIN}")
    expect(page.get_by_role("heading", name="Our vacancies")).to_be_visible()
    accessible(page, "employer home")
    page.get_by_role("link", name="New vacancy").click()
    fill_vacancy(
        page,
        "Cook",
        "Our restaurant in Baku needs a cook who can use cooking techniques for hot dishes "
        "and order supplies. Shifts, good team.",
        "baku",
        800,
        1100,
    )
    page.get_by_role("checkbox", name="Azerbaijani").check()
    page.get_by_role("button", name="Suggest the occupation and skills").click()
    expect(page.get_by_text("We read the text and suggest")).to_be_visible()
    accessible(page, "vacancy form with suggestions")
    page.get_by_role("radio", name=re.compile(r"^cook\b")).first.check()
    shot(page, "journey-employer-vacancy-form")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_text("The vacancy is published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cook")
    accessible(page, "vacancy page")

    page.get_by_role("link", name="Candidates").click()
    candidates = page.locator("ol.matches > li")
    expect(candidates.first.locator(".reason").first).to_be_visible()
    expect(candidates.first.get_by_text(re.compile(r"\d+% fit"))).to_be_visible()
    accessible(page, "candidates")
    shot(page, "journey-employer-candidates")

    # a job seeker applies; the employer moves the application along; the seeker is told
    vacancy_url = page.url.split("/candidates")[0].replace("/employer", "")
    page.get_by_role("button", name="Log out").click()
    log_in(page, f"seeker002@{DEMO_DOMAIN}")
    page.goto(vacancy_url)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application is sent.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, f"employer01@{DEMO_DOMAIN}")
    # the vacancy's index job said its candidates were ready, and an application came
    page.get_by_role("link", name=re.compile(r"^Notifications \d+ unread")).click()
    expect(page.get_by_text("The candidates for “Cook” are ready.").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"applied to “Cook”")).first).to_be_visible()
    page.goto(vacancy_url.replace("/vacancies/", "/employer/vacancies/") + "/applications")
    waiting = page.locator("li.application").filter(
        has=page.get_by_role("button", name="Shortlist")
    )
    item = page.locator("#" + waiting.first.get_attribute("id"))
    item.get_by_role("button", name="Shortlist").click()
    expect(page.get_by_text("The applicant is told of the change.")).to_be_visible()
    expect(item.locator(".status").first).to_have_text("Shortlisted")
    item.get_by_text("Invite to an interview…").click()
    item.get_by_label("Date and time").fill("2099-05-04T10:30")
    item.get_by_label("Place (an address, or a video link)").fill("Nizami küç. 10, Bakı")
    accessible(page, "an interview invitation being written")
    item.get_by_role("button", name="Send the invitation").click()
    expect(item.locator(".status").first).to_have_text("Interview")
    item.get_by_text("What happened").click()
    expect(item.locator("ol.history")).to_contain_text("4 May 2099, 10:30")
    # a wrong click is taken back
    item.get_by_role("button", name=re.compile("Undo the last step")).click()
    expect(page.get_by_text("The last step is taken back")).to_be_visible()
    expect(item.locator(".status").first).to_have_text("Shortlisted")
    accessible(page, "applications")

    page.get_by_role("link", name="My page").click()
    page.get_by_role("link", name="Organisation profile").click()
    page.get_by_label("Website").fill("qala-restaurant.az")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("The organisation's profile is saved.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, f"seeker002@{DEMO_DOMAIN}")
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_text("Your application to “Cook” is now: Shortlisted.")).to_be_visible()
    accessible(page, "notifications")
    page.get_by_role("button", name="Log out").click()


def test_a_counsellor_works_a_case_refers_hides_and_notes(journey):
    page = journey
    log_in(page, f"counsellor@{DEMO_DOMAIN}")
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    accessible(page, "caseload")
    shot(page, "journey-counsellor-caseload")
    page.get_by_role("link", name="Over a year (long-term)").click()
    expect(page).to_have_url(re.compile(r"duration=gt12"))
    expect(page.get_by_label("Time unemployed", exact=True)).to_have_value("gt12")
    people = page.locator("table tbody a[href*='/counsellor/seekers/']")
    expect(people.first).to_be_visible()
    people.first.click()

    matches = page.locator("ol.matches > li")
    expect(matches.first.locator(".reason").first).to_be_visible()
    accessible(page, "case page")
    first, second = matches.nth(0), matches.nth(1)
    vacancy = first.get_by_role("heading").inner_text()
    first.get_by_text("Refer, put first or hide").click()
    first.get_by_label("Note for the employer").fill("Reliable, eight years of experience.")
    first.get_by_role("button", name="Refer to this vacancy").click()
    expect(page.get_by_text(re.compile(r"is referred to “"))).to_be_visible()
    # back at the match just referred, now marked so
    referred = page.locator("ol.matches > li", has_text=vacancy)
    expect(referred.locator(".status-referred")).to_have_text("Referred")
    assert page.evaluate("location.hash").startswith("#match-")
    parts = page.get_by_role("navigation", name="Parts of the case")
    parts.get_by_role("link", name=re.compile("^Referrals")).click()
    referrals = page.get_by_role("region", name="Referrals")
    expect(referrals.get_by_role("link", name=vacancy)).to_be_visible()
    expect(page.locator("ol.matches")).to_be_hidden()  # one part at a time
    parts.get_by_role("link", name=re.compile("^Vacancies")).click()

    second = page.locator("ol.matches > li").nth(1)
    hidden = second.get_by_role("heading").inner_text()
    second.get_by_text("Refer, put first or hide").click()
    second.get_by_label("Reason, kept on record").fill("Night shifts only; she cares for a child.")
    second.get_by_role("button", name="Hide").click()
    expect(page.get_by_text("The match is hidden.")).to_be_visible()
    expect(page.get_by_text("1 hidden match", exact=True)).to_be_visible()
    expect(page.locator("ol.matches").get_by_role("heading", name=hidden)).to_have_count(0)

    parts.get_by_role("link", name=re.compile("^Case notes")).click()
    page.get_by_label("New note").fill("Called her: interview practice on Monday.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Called her: interview practice on Monday.")).to_be_visible()
    accessible(page, "case page after the work")
    shot(page, "journey-counsellor-case")
    page.get_by_role("button", name="Log out").click()


# The language's button, then the headings of the moderation queue, the fairness page and
# the outcomes page in that language.
OVERSIGHT = {
    "en": ("English", "Vacancies to review", "Fairness of matching", "How matching did"),
    "fr": ("Français", "Offres à vérifier", "Équité de la mise en relation",
           "Ce qu'a donné la mise en relation"),
    "ar": ("العربية", "وظائف للمراجعة", "عدالة المطابقة", "كيف أدّت المطابقة"),
    "az": ("Azərbaycanca", "Yoxlanılacaq vakansiyalar", "Uyğunlaşdırmanın ədaləti",
           "Uyğunlaşdırma necə işlədi"),
    "ru": ("Русский", "Вакансии на проверку", "Справедливость подбора", "Как сработал подбор"),
}  # fmt: skip


def test_staff_oversee_moderation_fairness_and_outcomes_in_five_languages(journey):
    """A vacancy asking for money waits for review (another organisation's than the other
    journeys', whose first vacancy they open); a counsellor reads the queue, the
    fairness page and the outcomes page in each language (each checked with axe) and sends
    the vacancy back in Russian; its employer reads why."""
    page = journey
    log_in(page, f"employer02@{DEMO_DOMAIN}")
    page.get_by_role("link", name="New vacancy").click()
    fill_vacancy(
        page,
        "Kitchen helper",
        "Help the cooks of our Baku restaurant: wash and cut vegetables, keep the kitchen "
        "clean. Pay a training deposit of 50 AZN before the first day.",
        "baku",
        600,
    )
    page.get_by_role("button", name="Save and publish").click()
    expect(
        page.get_by_text("The vacancy is saved and sent to the employment service")
    ).to_be_visible()
    expect(
        page.get_by_text("The vacancy waits for a review by the employment service")
    ).to_be_visible()
    vacancy_url = page.url
    page.get_by_role("button", name="Log out").click()

    log_in(page, f"counsellor@{DEMO_DOMAIN}")
    page.locator("table tbody a[href*='/counsellor/seekers/']").first.click()  # a case: shown
    expect(page.locator("ol.matches > li").first).to_be_visible()
    for code, (button, queue, fairness, matching) in OVERSIGHT.items():
        page.get_by_role("button", name=button).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        page.goto("/admin/moderation")
        expect(page.get_by_role("heading", level=1)).to_have_text(queue)
        expect(page.get_by_role("heading", name="Kitchen helper")).to_be_visible()
        accessible(page, f"moderation queue ({code})")
        page.goto("/statistics/fairness?days=30")
        expect(page.get_by_role("heading", level=1)).to_have_text(fairness)
        expect(page.locator("table.rates").first).to_be_visible()
        accessible(page, f"fairness ({code})")
        page.goto("/statistics/matching")
        expect(page.get_by_role("heading", level=1)).to_have_text(matching)
        accessible(page, f"how matching did ({code})")
    page.goto("/admin/moderation")
    card = page.locator("section.card", has_text="Kitchen helper")
    card.get_by_label("Что работодателю исправить").fill("Уберите плату за обучение.")
    card.get_by_role("button", name="Вернуть").click()
    expect(page.get_by_role("heading", name="Kitchen helper")).to_have_count(0)
    shot(page, "journey-moderation-sent-back")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Log out").click()

    log_in(page, f"employer02@{DEMO_DOMAIN}")
    page.goto(vacancy_url)
    expect(page.get_by_text("Уберите плату за обучение.")).to_be_visible()


def test_an_arabic_page_reads_right_to_left(journey):
    page = journey
    page.goto("/vacancies/")
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("الوظائف الشاغرة")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the brand sits on the right, the navigation to its left; labels align right
    brand = page.locator(".brand").bounding_box()
    nav = page.locator(".main-nav").bounding_box()
    assert brand["x"] > nav["x"], (brand, nav)
    label = page.locator("label[for=q]").bounding_box()
    field = page.locator("#q").bounding_box()
    assert abs((label["x"] + label["width"]) - (field["x"] + field["width"])) < 2
    accessible(page, "Arabic vacancies")
    page.locator(".card.vacancy a").first.click()
    assert page.evaluate("getComputedStyle(document.querySelector('.facts')).direction") == "rtl"
    accessible(page, "Arabic vacancy")
    shot(page, "arabic-vacancy")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


# Every page of the journeys, as each kind of visitor walks them; "first:<selector>" opens
# the first link the previous page offers that matches the selector.
PHONE_JOURNEYS = {
    None: ["/", "/vacancies/", "/vacancies/?q=cook", "first:.card.vacancy h3 a", "/training/",
           "first:.card-title a", "/statistics/", "/api/docs", "/about", "/login", "/register",
           "/register/seeker", "/register/employer", "/password/forgot"],
    "seeker001": ["/seeker/", "/seeker/profile", "/seeker/history", "/seeker/skills",
                  "/seeker/cv", "/seeker/matches", "/seeker/matches?within=200",
                  "/seeker/searches", "/seeker/registration", "/seeker/profile/print",
                  "/notifications/", "/me/work", "/me/privacy", "/account", "/account/tokens"],
    "employer01": ["/employer/", "first:a[href$='/candidates']", "first:a[href*='/people/']",
                   "/employer/", "first:a[href$='/applications']", "/employer/",
                   "first:a[href$='/edit']", "/employer/organisation",
                   "/employer/vacancies/new", "/employer/contracts", "/employer/contracts/new",
                   "/notifications/"],
    "counsellor": ["/counsellor/", "first:table tbody a[href*='/counsellor/seekers/']",
                   "first:a[href*='/training?vacancy=']", "/counsellor/contracts",
                   "/statistics/full", "/admin/employers", "/admin/moderation",
                   "/statistics/fairness", "/statistics/matching",
                   "/vacancies/", "first:.card.vacancy h3 a"],
    "admin": ["/admin/", "/admin/jobs", "/admin/audit", "/admin/employers",
              "/admin/moderation", "/statistics/fairness?days=365", "/statistics/matching"],
}  # fmt: skip


def sideways(page) -> int:
    """How far the page, or a box in it that scrolls on its own (a wide table), reaches past
    its width: 0 when nothing has to be scrolled sideways."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            let most = Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
            for (const box of document.body.querySelectorAll('*')) {
                const style = getComputedStyle(box);
                if (['auto', 'scroll'].includes(style.overflowX) && box.clientWidth > 0)
                    most = Math.max(most, box.scrollWidth - box.clientWidth);
            }
            return most;
        }"""
    )


@pytest.mark.parametrize("who", list(PHONE_JOURNEYS), ids=lambda w: w or "visitor")
def test_no_page_of_the_journeys_scrolls_sideways_on_a_phone(phone, who):
    """Every page each kind of visitor walks, at 390 px: nothing scrolls sideways (the
    page, or a box in it), and each passes the accessibility check at that width."""
    page = phone
    if who:
        log_in(page, f"{who}@{DEMO_DOMAIN}")
    wide = {}
    for step in PHONE_JOURNEYS[who]:
        if step.startswith("first:"):
            page.goto(page.locator(step[6:]).first.get_attribute("href"))
        else:
            page.goto(step)
        assert page.locator("h1").count(), f"{page.url} has no heading"
        if sideways(page) > 0:
            wide[page.url] = sideways(page)
        accessible(page, f"{page.url} at 390 px")
    assert not wide, f"pages that scroll sideways at 390 px (by so many px): {wide}"


def test_on_a_phone_the_menu_folds_away_and_tables_become_cards(phone):
    page = phone
    log_in(page, f"employer01@{DEMO_DOMAIN}")
    page.goto("/employer/")
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 140, header  # the brand, the button and the languages
    accessible(page, "employer dashboard on a phone")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Notifications")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    # each row of the vacancies table is a card, its cells named by their column
    row = page.locator("main table tbody tr").first
    cells = row.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] - 1, (first, second)  # stacked
    headings = page.locator("main table thead th").all_inner_texts()
    assert cells.nth(1).get_attribute("data-label") == headings[1].strip()
    shot(page, "phone-employer")
    page.set_viewport_size({"width": 1280, "height": 900})  # a desktop: no button, a bar
    expect(menu).to_be_hidden()
    expect(nav).to_be_visible()


def test_on_a_phone_filters_and_reasons_fold_away_until_asked_for(phone):
    page = phone
    page.goto("/vacancies/?q=cook")
    expect(page.get_by_label("Region")).to_be_hidden()
    first = page.locator(".card.vacancy").first.bounding_box()
    assert first["y"] + 40 < 844, first  # the first result shows without scrolling
    page.get_by_text("Filters and order").click()
    page.get_by_label("Order").select_option("pay")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("the highest pay first")).to_be_visible()
    expect(page.get_by_label("Region")).to_be_visible()  # open while a choice is made

    log_in(page, f"seeker001@{DEMO_DOMAIN}")
    page.goto("/seeker/matches")
    match = page.locator("ol.matches > li").first
    expect(match.locator("ul.reasons")).to_be_hidden()
    assert match.bounding_box()["height"] < 220  # one compact card per match
    match.get_by_text("Why this fit").click()
    expect(match.locator("ul.reasons li").first).to_be_visible()
    accessible(page, "matches on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()  # on a wide screen the reasons are open from the start
    expect(page.locator("ol.matches > li ul.reasons").first).to_be_visible()


def test_the_sideways_check_is_live(phone):
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    phone.set_content(f"<html><head>{viewport}</head><body><p>fits</p></body></html>")
    assert sideways(phone) == 0
    phone.set_content(f'<html><head>{viewport}</head><body><div style="width: 700px">wide')
    assert sideways(phone) > 0
    phone.set_content(
        f'<html><head>{viewport}</head><body><div style="overflow-x: auto">'
        '<table><tr><td style="min-width: 700px">a wide table in a box that scrolls'
    )
    assert sideways(phone) > 0


def test_the_accessibility_checker_finds_what_it_should(journey):
    """The check above is live: a page with an image without text and an unlabelled field
    fails it."""
    import pytest

    journey.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt") as failure:
        accessible(journey, "a broken page")
    assert "label" in str(failure.value)


def test_the_single_window_contracts_status_and_data(journey):
    """An employer notifies a hire; the person sees it and their data; an admin finds it in
    the audit record. Every page passes the accessibility check."""
    page = journey
    log_in(page, f"employer02@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Labour contracts").click()
    accessible(page, "contracts")
    page.get_by_role("link", name="Notify a hire").click()
    page.get_by_label("The person's FIN or e-mail address").fill(f"seeker005@{DEMO_DOMAIN}")
    page.get_by_label("Position").fill("Evening cashier")
    page.get_by_label("Working time").select_option("part_time")
    page.get_by_label("Start date").fill("2026-01-15")
    page.get_by_label("Monthly salary (AZN)").fill("450")
    accessible(page, "notify a hire")
    page.get_by_role("button", name="Notify the contract").click()
    expect(page.get_by_text("The contract is notified.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Evening cashier"))
    expect(row).to_contain_text("In force")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Notify the termination")).to_be_visible()
    accessible(page, "a contract")
    page.get_by_role("button", name="Log out").click()

    log_in(page, f"seeker005@{DEMO_DOMAIN}")
    page.goto("/me/work")
    expect(page.get_by_text("Evening cashier")).to_be_visible()
    expect(page.locator(".status-person-employed").first).to_be_visible()
    accessible(page, "my work")
    page.goto("/me/privacy")
    expect(page.get_by_role("link", name="Download my data")).to_be_visible()
    accessible(page, "my data")
    page.get_by_role("button", name="Log out").click()

    page.get_by_role("link", name="Labour market").click()
    expect(page.get_by_role("heading", name="Skills asked for and skills on offer")).to_be_visible()
    accessible(page, "public labour-market figures")

    log_in(page, f"admin@{DEMO_DOMAIN}")
    page.goto("/statistics/full")
    expect(page.get_by_role("heading", name="Placements per counsellor")).to_be_visible()
    accessible(page, "full labour-market figures")
    page.goto("/admin/audit?action=contract.")
    expect(page.locator("code", has_text="contract.notified").first).to_be_visible()
    accessible(page, "audit record")
    page.get_by_role("button", name="Log out").click()
