"""Every interface message is translated into French, Arabic, Azerbaijani and Russian; pages
follow the chosen language (Arabic right to left), with dates and numbers in its form."""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from jobmatch.extensions import db
from tests import factories
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ["fr", "ar", "az", "ru"]


def _catalog(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory) -> set:
    """The messages in the code and templates now, extracted as `make translations` does."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "_n:1,2", "--no-location", "-o", str(target), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return _ids(_catalog(target))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language, source_ids):
    catalog = _catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
    missing = source_ids - _ids(catalog)
    assert not missing, f"not in the {language} catalogue (run `make translations`): {missing}"
    plurals = catalog.num_plurals
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
        if isinstance(message.id, tuple) and len(strings) != plurals:
            problems.append(f"{len(strings)} plural forms, {plurals} needed: {message.id!r}")
    problems += [f"{m.id!r}: {e}" for m, errors in catalog.check() for e in errors]
    assert not problems, "\n".join(problems)


def test_the_template_lists_exactly_the_messages_in_the_code(source_ids):
    assert _ids(_catalog(TRANSLATIONS / "messages.pot")) == source_ids, "run `make translations`"


@pytest.mark.parametrize(
    "language, heading, direction",
    [
        ("fr", "Offres d’emploi", "ltr"),
        ("ar", "الوظائف الشاغرة", "rtl"),
        ("az", "Vakansiyalar", "ltr"),
        ("ru", "Вакансии", "ltr"),
        ("en", "Vacancies", "ltr"),
    ],
)
def test_pages_follow_the_chosen_language(client, app, language, heading, direction):
    client.get(f"/language/{language}")
    page = client.get("/vacancies/").get_data(as_text=True)
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert f"<h1>{heading}</h1>" in page


def test_a_user_keeps_their_language_and_sees_dates_and_numbers_in_it(client, app):
    seeker = factories.user("job_seeker", email="leyla@example.org")
    org = factories.employer()
    vacancy = factories.vacancy(org, salary_min=1200, salary_max=1500)
    vacancy.expires_on = date(2026, 12, 31)
    seeker.locale = "ru"
    db.session.commit()
    login(client, "leyla@example.org", factories.PASSWORD)
    page = client.get(f"/vacancies/{vacancy.id}").get_data(as_text=True)
    assert '<html lang="ru"' in page and "31 дек. 2026" in page
    assert "1\u00a0200–1\u00a0500 AZN" in page  # Russian groups digits with a no-break space
    response = client.post("/account", data={"locale": "fr"})
    assert response.status_code == 302, response.get_data(as_text=True)
    # The tests hold one app context across requests, and Flask-Babel keeps the locale in
    # it (a real request starts afresh).
    from flask_babel import refresh

    refresh()
    page = client.get(f"/vacancies/{vacancy.id}").get_data(as_text=True)
    assert '<html lang="fr"' in page and "31 déc. 2026" in page
    db.session.refresh(seeker)
    assert seeker.locale == "fr"


def test_strings_follow_a_forced_locale_and_come_back_after_it(app):
    """`_`, lazy strings and templates remember the request's translations, yet follow
    force_locale (a notice written in its reader's language) and return after it."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    from jobmatch.i18n import _, _l

    lazy = _l("Applied")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert _("Applied") == str(lazy) == "A postulé"
        with force_locale("ru"):
            assert _("Applied") == render_template_string("{{ _('Applied') }}") == "Откликнулся"
            with force_locale("fr"):
                assert str(lazy) == "A postulé"
            assert _("Applied") == "Откликнулся"
        assert render_template_string("{{ _('Applied') }}") == _("Applied") == "A postulé"
        from flask import session

        session["locale"] = "az"
        refresh()
        assert _("Applied") == "Müraciət edib"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["1 hidden match", "3 hidden matches", "5 hidden matches"]),
        ("ru", ["1 скрытое совпадение", "3 скрытых совпадения", "5 скрытых совпадений"]),
        ("ar", ["مطابقة مخفية واحدة", "3 مطابقات مخفية", "5 مطابقات مخفية"]),
    ],
)
def test_counts_take_the_plural_their_language_wants(app, language, expected):
    from flask import render_template_string

    with app.test_request_context("/", headers={"Accept-Language": language}):
        said = [
            render_template_string(
                '{{ ngettext("%(num)d hidden match", "%(num)d hidden matches", n) }}', n=n
            )
            for n in (1, 3, 5)
        ]
    assert said == expected


@pytest.mark.parametrize(
    "language, expected",
    [("en", "12 Mar 2026 · 13/03/2026, 02:05"), ("fr", "12 mars 2026 · 13/03/2026 02:05")],
)
def test_dates_are_written_day_first_in_english_too(app, language, expected):
    from datetime import datetime

    from flask import render_template_string

    with app.test_request_context("/", headers={"Accept-Language": language}):
        said = render_template_string(
            "{{ d | dateformat }} · {{ t | datetimeformat('short') }}",
            d=date(2026, 3, 12),
            t=datetime(2026, 3, 12, 22, 5),  # UTC: past midnight in Baku
        )
    assert said == expected
