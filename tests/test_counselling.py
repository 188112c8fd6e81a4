"""A counsellor's day: the caseload filtered by status and time unemployed; for a person,
ranked vacancies to refer them to, matches hidden or put first with a recorded reason, and
case notes. Bad requests change nothing."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.contracts.models import UnemploymentRegistration
from jobmatch.counselling.models import CaseNote, MatchDecision, Referral
from jobmatch.database import utcnow
from jobmatch.demo.build import DEMO_DOMAIN, DEMO_PASSWORD
from jobmatch.extensions import db
from jobmatch.notifications.models import Notification
from jobmatch.notifications.services import text_of
from jobmatch.seekers.models import SeekerProfile
from tests.conftest import login

COUNSELLOR = f"counsellor@{DEMO_DOMAIN}"


@pytest.fixture
def world(demo_world, client):
    demo_world(seed=5, employers=3, vacancies=30, seekers=30)
    login(client, COUNSELLOR, DEMO_PASSWORD)
    return db.session.scalar(sa.select(User).where(User.email == COUNSELLOR))


def _shown(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/counsellor/seekers/(\d+)"', page)}


def _caseload(counsellor) -> dict[int, object]:
    """seeker id -> start of the open registration (None if not registered), from the DB."""
    registrations = {
        r.person_id: r.registered_on
        for r in db.session.scalars(
            sa.select(UnemploymentRegistration).where(UnemploymentRegistration.status == "active")
        )
    }
    held = {
        r.person_id
        for r in db.session.scalars(
            sa.select(UnemploymentRegistration).where(
                UnemploymentRegistration.counsellor_id == counsellor.id,
                UnemploymentRegistration.status == "active",
            )
        )
    }
    return {
        p.id: registrations.get(p.person_id)
        for p in db.session.scalars(sa.select(SeekerProfile))
        if p.counsellor_id == counsellor.id or p.person_id in held
    }


def test_the_caseload_is_filtered_by_status_and_time_unemployed(client, world):
    expected = _caseload(world)
    assert expected
    page = client.get("/counsellor/?per_page=100").get_data(as_text=True)
    assert _shown(page) == set(expected)
    counts = [int(n) for n in re.findall(r"</svg> (\d+)</td>", page)]
    assert sum(counts) == len(expected) and len(counts) == 5

    today = utcnow().date()
    long_term = {i for i, day in expected.items() if day and day <= today - timedelta(days=365)}
    assert long_term and len(long_term) < len(expected)
    page = client.get("/counsellor/?duration=gt12&per_page=100").get_data(as_text=True)
    assert _shown(page) == long_term
    recent = {i for i, d in expected.items() if d and d > today - timedelta(days=91)}
    assert recent
    page = client.get("/counsellor/?duration=lt3&status=registered&per_page=100")
    assert _shown(page.get_data(as_text=True)) == recent
    page = client.get("/counsellor/?status=not_registered&per_page=100").get_data(as_text=True)
    assert _shown(page) == {i for i, d in expected.items() if d is None}

    page = client.get("/counsellor/?sort=longest&per_page=100").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'href="/counsellor/seekers/(\d+)"', page)]
    days = [expected[i] for i in order if expected[i] is not None]
    assert days == sorted(days)
    # unknown filter values are ignored, not an error
    assert client.get("/counsellor/?duration=forever&status=x&sort=y").status_code == 200


def _case(client, world):
    """A person in the caseload with ranked vacancies on their case page."""
    for seeker_id in sorted(_caseload(world)):
        page = client.get(f"/counsellor/seekers/{seeker_id}").get_data(as_text=True)
        vacancies = [int(v) for v in re.findall(r'<li class="card match" id="match-(\d+)"', page)]
        if len(vacancies) >= 3:
            return seeker_id, vacancies, page
    raise AssertionError("no person in the caseload has three matches")


def test_a_referral_tells_both_sides_and_names_the_person(client, world):
    seeker_id, vacancies, page = _case(client, world)
    assert "Refer to this vacancy" in page and 'class="reason reason-' in page
    assert "The job seeker sees this note too" in page  # the note goes to both sides
    target = vacancies[1]
    response = client.post(
        f"/counsellor/seekers/{seeker_id}/refer",
        data={"vacancy_id": target, "note": "Strong kitchen experience <script>"},
    )
    assert response.status_code == 302
    referral = db.session.scalar(
        sa.select(Referral).where(Referral.seeker_id == seeker_id, Referral.vacancy_id == target)
    )
    assert referral.note == "Strong kitchen experience <script>" and referral.outcome == "pending"
    profile = db.session.get(SeekerProfile, seeker_id)
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(sa.select(Notification)).all()}
    assert (profile.person.user.id, "referral") in kinds
    told = db.session.scalar(
        sa.select(Notification).where(
            Notification.user_id == profile.person.user.id, Notification.kind == "referral"
        )
    )
    assert told.data["note"] == "Strong kitchen experience <script>"
    # the person is told who referred them by name, never by the counsellor's address
    assert text_of(told).startswith("Leyla Əliyeva, your employment counsellor, referred you")
    member = referral.vacancy.employer.members[0].user
    assert (member.id, "referral_received") in kinds

    again = client.post(
        f"/counsellor/seekers/{seeker_id}/refer",
        data={"vacancy_id": target, "note": ""},
        follow_redirects=True,
    )
    assert "already referred" in again.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Referral)
            .where(Referral.vacancy_id == target, Referral.seeker_id == seeker_id)
        )
        == 1
    )
    page = client.get(f"/counsellor/seekers/{seeker_id}").get_data(as_text=True)
    assert "Strong kitchen experience &lt;script&gt;" in page


def test_hide_and_put_first_are_recorded_with_their_reason(client, world):
    seeker_id, vacancies, _page = _case(client, world)
    first, last = vacancies[0], vacancies[-1]
    short = client.post(
        f"/counsellor/seekers/{seeker_id}/decide",
        data={"vacancy_id": first, "decision": "hidden", "reason": "no"},
        follow_redirects=True,
    )
    assert "Write the reason in 10 to 1000 characters." in short.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MatchDecision)) == 0

    client.post(
        f"/counsellor/seekers/{seeker_id}/decide",
        data={"vacancy_id": first, "decision": "hidden", "reason": "Works nights only; no bus."},
    )
    client.post(
        f"/counsellor/seekers/{seeker_id}/decide",
        data={"vacancy_id": last, "decision": "promoted", "reason": "Employer asked for her."},
    )
    page = client.get(f"/counsellor/seekers/{seeker_id}").get_data(as_text=True)
    ranked = page.split('class="hidden-matches"')[0]
    order = [int(v) for v in re.findall(r'id="match-(\d+)"', ranked)]
    assert order[0] == last and first not in order
    assert "1 hidden match</summary>" in page and "Works nights only; no bus." in page
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("match.%")).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.details["reason"]) for e in events] == [
        ("match.hidden", "Works nights only; no bus."),
        ("match.promoted", "Employer asked for her."),
    ]

    decision = db.session.scalar(sa.select(MatchDecision).where(MatchDecision.vacancy_id == first))
    client.post(f"/counsellor/decisions/{decision.id}/withdraw", data={})
    db.session.expire_all()
    assert db.session.get(MatchDecision, decision.id) is None
    page = client.get(f"/counsellor/seekers/{seeker_id}").get_data(as_text=True)
    assert f'id="match-{first}"' in page.split('class="hidden-matches"')[0]
    assert (
        db.session.scalar(
            sa.select(AuditEvent.details).where(AuditEvent.action == "match.decision_withdrawn")
        )["was"]
        == "hidden"
    )


def test_a_hidden_candidate_leaves_the_employers_list(client, world):
    from jobmatch.vacancies.models import Vacancy

    vacancy = db.session.scalars(
        sa.select(Vacancy).where(Vacancy.status == "published").order_by(Vacancy.id)
    ).first()
    page = client.get(f"/employer/vacancies/{vacancy.id}/candidates").get_data(as_text=True)
    seekers = [int(i) for i in re.findall(r'<h2><a href="/counsellor/seekers/(\d+)"', page)]
    assert len(seekers) >= 2
    client.post(
        f"/counsellor/seekers/{seekers[0]}/decide",
        data={
            "vacancy_id": vacancy.id,
            "decision": "hidden",
            "reason": "Moved abroad last week.",
            "next": f"/employer/vacancies/{vacancy.id}/candidates",
        },
    )
    client.post("/logout")
    owner = vacancy.employer.members[0].user
    login(client, owner.email, DEMO_PASSWORD)
    page = client.get(f"/employer/vacancies/{vacancy.id}/candidates").get_data(as_text=True)
    shown = page.count('class="card match"')
    assert shown == len(seekers) - 1 and "Moved abroad" not in page
    assert (
        client.post(
            f"/counsellor/seekers/{seekers[1]}/decide",
            data={"vacancy_id": vacancy.id, "decision": "hidden", "reason": "I want him gone now"},
        ).status_code
        == 403
    )


def test_case_notes_are_added_and_escaped(client, world):
    seeker_id = sorted(_caseload(world))[0]
    before = db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote))
    client.post(f"/counsellor/seekers/{seeker_id}/notes", data={"body": "   "})
    client.post(f"/counsellor/seekers/{seeker_id}/notes", data={"body": "x" * 5001})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote)) == before
    client.post(f"/counsellor/seekers/{seeker_id}/notes", data={"body": "Called <b>her</b>."})
    page = client.get(f"/counsellor/seekers/{seeker_id}").get_data(as_text=True)
    assert "Called &lt;b&gt;her&lt;/b&gt;." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote)) == before + 1


def test_the_case_shows_the_occupation_confirmed_or_recognised(client, world):
    from jobmatch.matching.occupations import recognise_entities

    profile = db.session.scalars(
        sa.select(SeekerProfile).where(SeekerProfile.counsellor_id == world.id)
    ).first()
    confirmed = profile.occupations[0]
    page = client.get(f"/counsellor/seekers/{profile.id}").get_data(as_text=True)
    assert f"{confirmed.label_en} (ESCO {confirmed.code}) · confirmed by the person" in page
    profile.occupations = []
    profile.desired_title = confirmed.label_en
    db.session.flush()
    recognise_entities("seeker", [profile.id])
    db.session.commit()
    page = client.get(f"/counsellor/seekers/{profile.id}").get_data(as_text=True)
    assert re.search(
        rf"{re.escape(confirmed.label_en)} \(ESCO {re.escape(confirmed.code)}\) · "
        r"recognised in the profile, (0\.\d\d|1\.00)",
        page,
    ), page[page.find("Occupation") : page.find("Occupation") + 400]


def _card(page: str, vacancy_id: int) -> str:
    """The markup of one match on a case page."""
    start = page.index(f'id="match-{vacancy_id}"')
    ends = [page.find(mark, start) for mark in ('<li class="card match"', "</ol>")]
    return page[start : min(e for e in ends if e > 0)]


def test_the_case_opens_on_a_summary_marks_referred_matches_and_returns_to_the_match(client, world):
    seeker_id, vacancies, page = _case(client, world)
    summary = page[page.index('class="panel case-summary"') : page.index('id="matches"')]
    for part in ("#matches", "#profile", "#applications", "#referrals", "#notes", "#status"):
        assert f'href="{part}"' in summary
    assert "Looking for" in summary and "Confirmed skills" in summary
    target = vacancies[1]
    here = f"/counsellor/seekers/{seeker_id}"
    assert f'name="next" value="{here}#match-{target}"' in _card(page, target)
    answer = client.post(
        f"{here}/refer", data={"vacancy_id": target, "note": "", "next": f"{here}#match-{target}"}
    )
    assert answer.location.endswith(f"{here}#match-{target}")  # back where the counsellor was
    page = client.get(here).get_data(as_text=True)
    card = _card(page, target)
    assert 'class="status status-referred">Referred<' in card
    assert "Refer to this vacancy" not in card  # referred already: the other actions stay
    assert "Put first" in card
    other = _card(page, vacancies[0])
    assert "Refer to this vacancy" in other and "status-referred" not in other


@pytest.mark.parametrize("words", ["accountant", "бухгалтер", "محاسب", "comptable"])
def test_people_search_finds_across_languages(client, world, words):
    """ "accountant" finds the person whose profile says Mühasib: the words name an
    occupation, and the search finds who confirmed it or in whose profile it was recognised."""
    from jobmatch.matching.models import RecognisedOccupation
    from jobmatch.taxonomy.models import Occupation

    accountant = db.session.scalar(sa.select(Occupation).where(Occupation.label_en == "accountant"))
    confirmed, recognised = (db.session.get(SeekerProfile, i) for i in sorted(_caseload(world))[:2])
    confirmed.desired_title, confirmed.occupations = "Mühasib", [accountant]
    recognised.desired_title = "Baş mühasib"
    db.session.execute(
        sa.delete(RecognisedOccupation).where(RecognisedOccupation.entity_id == recognised.id)
    )
    db.session.add(RecognisedOccupation(entity_type="seeker", entity_id=recognised.id,
                                        occupation_id=accountant.id, confidence=0.8,
                                        source="title"))  # fmt: skip
    db.session.commit()
    page = client.get(f"/counsellor/?q={words}").get_data(as_text=True)
    shown = {int(i) for i in re.findall(r'href="/counsellor/seekers/(\d+)"', page)}
    assert {confirmed.id, recognised.id} <= shown, words
    holders = set(
        db.session.scalars(
            sa.select(SeekerProfile.id).where(SeekerProfile.occupations.contains(accountant))
        )
    ) | set(
        db.session.scalars(
            sa.select(RecognisedOccupation.entity_id).where(
                RecognisedOccupation.entity_type == "seeker",
                RecognisedOccupation.occupation_id == accountant.id,
                RecognisedOccupation.confidence >= 0.5,
            )
        )
    )
    assert shown <= holders | {
        p.id for p in db.session.scalars(sa.select(SeekerProfile))
        if words.lower() in (p.desired_title or "").lower()
    }  # fmt: skip
