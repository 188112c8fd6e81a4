"""The demo data set: believable, multilingual, built from ESCO and deterministic for a seed."""

import random
import string
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from jobmatch.accounts.models import User
from jobmatch.contracts import status as employment
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.contracts.services import begin_if_due
from jobmatch.counselling.models import CaseNote, Referral
from jobmatch.database import utcnow
from jobmatch.demo.content import (
    CASE_NOTES,
    CITIES,
    CONTRACT_WORDS,
    CV_TEMPLATES,
    EMPLOYERS,
    NAMES,
    OCCUPATIONS,
    SEEKER_LANGUAGES,
    TIME_WORDS,
    VACANCY_LANGUAGES,
    VACANCY_TEMPLATES,
)
from jobmatch.employers.models import Employer, EmployerMember
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.people.models import Person
from jobmatch.reference import REGIONS
from jobmatch.seekers.models import Education, Experience, SeekerProfile, SeekerSkill
from jobmatch.taxonomy.models import Occupation, OccupationSkill, Skill
from jobmatch.training.models import ProgrammeTitle, TrainingProgramme
from jobmatch.vacancies.models import Application, Vacancy, VacancySkill
from jobmatch.validation import InvalidInput

DEMO_DOMAIN = "demo.jobmatch.az"
DEMO_PASSWORD = "demo-jobmatch-2026"
CITY_REGION = {city: code for code, (_label, cities) in REGIONS.items() for city in cities}
FIN_ALPHABET = "".join(c for c in string.digits + string.ascii_uppercase if c not in "IO")


def has_demo() -> bool:
    return (
        db.session.scalar(sa.select(User.id).where(User.email == f"admin@{DEMO_DOMAIN}"))
        is not None
    )


def demo_accounts() -> list[tuple[str, str]]:
    return [
        ("admin", f"admin@{DEMO_DOMAIN}"),
        ("counsellor", f"counsellor@{DEMO_DOMAIN}"),
        ("employer", f"employer01@{DEMO_DOMAIN}"),
        ("job seeker", f"seeker001@{DEMO_DOMAIN}"),
    ]


class _Catalogue:
    """The demo occupations as ESCO rows, with their essential and optional skills."""

    def __init__(self):
        rows = db.session.scalars(
            sa.select(Occupation).where(Occupation.label_en.in_(list(OCCUPATIONS)))
        ).all()
        self.occupations = {o.label_en: o for o in rows}
        missing = set(OCCUPATIONS) - set(self.occupations)
        if missing:
            raise InvalidInput(
                _(
                    "Load the taxonomy first: flask jobmatch taxonomy load (missing %(n)d "
                    "occupations).",
                    n=len(missing),
                )
            )
        self.skills: dict[str, dict[str, list[Skill]]] = {}
        links = db.session.execute(
            sa.select(OccupationSkill.occupation_id, OccupationSkill.relation, Skill)
            .join(Skill, Skill.id == OccupationSkill.skill_id)
            .where(OccupationSkill.occupation_id.in_([o.id for o in rows]))
            .order_by(Skill.uri)
        ).all()
        by_id = {o.id: o.label_en for o in rows}
        for occupation_id, relation, skill in links:
            entry = self.skills.setdefault(by_id[occupation_id], {"essential": [], "optional": []})
            entry[relation].append(skill)

    def for_sector(self, sector: str) -> list[str]:
        exact = [label for label, row in OCCUPATIONS.items() if sector in row[2]]
        general = [label for label, row in OCCUPATIONS.items() if "*" in row[2]]
        return exact or general

    def title(self, label: str, language: str) -> str:
        az, ru = OCCUPATIONS[label][0], OCCUPATIONS[label][1]
        occupation = self.occupations[label]
        titles = {
            "en": label.split("/")[0].capitalize() if "/" in label else label.capitalize(),
            "fr": (occupation.label_fr or label).split("/")[0].strip().capitalize(),
            "ar": (occupation.label_ar or label).split(" / ")[0].strip(),
            "az": az,
            "ru": ru,
        }
        return titles[language]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _city_name(city: str, language: str) -> str:
    return CITIES.get(city, {}).get(language, city)


def build_demo(
    *,
    seed: int = 2026,
    employers: int = 30,
    vacancies: int = 300,
    seekers: int = 600,
    progress: Callable[[int], None] = lambda n: None,
) -> None:
    """Add the demo data set; the caller commits."""
    rng = random.Random(seed)
    catalogue = _Catalogue()
    password_hash = generate_password_hash(DEMO_PASSWORD)

    def account(email: str, role: str, locale: str = "en", name: str = "") -> User:
        user = User(
            email=f"{email}@{DEMO_DOMAIN}",
            name=name,
            role=role,
            locale=locale,
            active=True,
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
        )
        db.session.add(user)
        return user

    account("admin", "admin", name="Rəşad Kərimov")
    counsellor = account("counsellor", "counsellor", "az", name="Leyla Əliyeva")
    orgs = _employers(rng, catalogue, employers, account, progress)
    posted = _vacancies(rng, catalogue, orgs, vacancies, progress)
    profiles = _seekers(rng, catalogue, orgs, seekers, account, progress)
    db.session.flush()
    _activity(rng, counsellor, posted, profiles)
    _employment(rng, posted, profiles)
    _training(rng, catalogue)
    db.session.flush()


def _employers(rng, catalogue, count, account, progress) -> list[Employer]:
    orgs = []
    for i in range(count):
        name, sector, city = EMPLOYERS[i % len(EMPLOYERS)]
        if i >= len(EMPLOYERS):
            name = f"{name} ({_city_name(city, 'az')} {i // len(EMPLOYERS) + 1})"
        org = Employer(
            name=name,
            tax_id=f"{1400000000 + i * 7919:010d}",
            sector=sector,
            region=CITY_REGION[city],
            city=city,
            # the first organisation (employer01, the README's) is always verified
            verified=rng.random() < 0.8 or i == 0,
            description=f"{name}: {catalogue.title(catalogue.for_sector(sector)[0], 'az')}.",
        )
        if org.verified:
            org.verified_at, org.verification_evidence = utcnow(), "document"
            org.verification_note = "State register extract (demo)"
        user = account(f"employer{i + 1:02d}", "employer", "az")
        db.session.add(EmployerMember(employer=org, user=user, role="owner"))
        orgs.append(org)
        progress(1)
    return orgs


def _vacancies(rng, catalogue, orgs, count, progress) -> list[Vacancy]:
    now = utcnow()
    posted = []
    for _i in range(count):
        org = rng.choice(orgs)
        label = rng.choice(catalogue.for_sector(org.sector))
        if rng.random() < 0.15:
            label = rng.choice(catalogue.for_sector("*"))
        language = _weighted(rng, VACANCY_LANGUAGES)
        low, high = OCCUPATIONS[label][3]
        salary_min = rng.randrange(low, (low + high) // 2 + 1, 50)
        salary_max = rng.randrange(max(salary_min, (low + high) // 2), high + 1, 50)
        contract = rng.choices(
            ["permanent", "fixed_term", "temporary", "seasonal", "apprenticeship"],
            weights=[60, 20, 8, 7 if OCCUPATIONS[label][2] in "AI" else 1, 5],
        )[0]
        working_time = rng.choices(["full_time", "part_time", "shifts"], weights=[70, 15, 15])[0]
        skills = catalogue.skills.get(label, {"essential": [], "optional": []})
        essential = rng.sample(
            skills["essential"], min(len(skills["essential"]), rng.randint(4, 7))
        )
        optional = rng.sample(skills["optional"], min(len(skills["optional"]), rng.randint(1, 3)))
        title = catalogue.title(label, language)
        description = VACANCY_TEMPLATES[language].format(
            employer=org.name,
            city=_city_name(org.city, language),
            title=title if language != "en" else title.lower(),
            duty=OCCUPATIONS[label][5][language],
            contract=CONTRACT_WORDS[language][contract],
            time=TIME_WORDS[language][working_time],
            low=salary_min,
            high=salary_max,
            skills=", ".join(s.label_en for s in essential[:3]),
        )
        status = rng.choices(["published", "draft", "closed", "filled"], weights=[85, 5, 5, 5])[0]
        published = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        languages = ["az"] + (["ru"] if rng.random() < 0.3 else [])
        if language in ("en", "fr", "ar") and language not in languages:
            languages.append(language)
        vacancy = Vacancy(
            employer=org,
            title=title,
            description=description,
            text_language=language,
            occupation=catalogue.occupations[label],
            region=org.region,
            city=org.city,
            contract_type=contract,
            working_time=working_time,
            salary_min=salary_min,
            salary_max=salary_max,
            languages=languages,
            education_level=OCCUPATIONS[label][4],
            positions=rng.choices([1, 2, 3, 5], weights=[70, 15, 10, 5])[0],
            status=status,
            published_at=None if status == "draft" else published,
            # Open vacancies run for a while yet; closed and filled ones ended after a month.
            expires_on=(
                (now + timedelta(days=rng.randint(7, 75)))
                if status in ("published", "draft")
                else published + timedelta(days=30)
            ).date(),
            created_at=published - timedelta(days=1),
        )
        vacancy.skills = [VacancySkill(skill=s, relation="essential") for s in essential] + [
            VacancySkill(skill=s, relation="optional") for s in optional if s not in essential
        ]
        db.session.add(vacancy)
        posted.append(vacancy)
        progress(1)
    return posted


def _seekers(rng, catalogue, orgs, count, account, progress) -> list[SeekerProfile]:
    cities = list(CITIES)
    used_fins: set[str] = set()
    profiles = []
    labels = list(OCCUPATIONS)
    for n in range(count):
        language = _weighted(rng, SEEKER_LANGUAGES)
        female = rng.random() < 0.5
        women, men, families = NAMES[language]
        family = rng.choice(families)
        city = "Baku" if rng.random() < 0.45 else rng.choice(cities)
        label = rng.choice(labels)
        years = rng.randint(0, 20)
        skills = catalogue.skills.get(label, {"essential": [], "optional": []})
        have = rng.sample(
            skills["essential"], int(len(skills["essential"]) * rng.uniform(0.4, 0.9))
        ) + rng.sample(skills["optional"], min(len(skills["optional"]), rng.randint(0, 3)))
        previous = rng.choice(orgs).name
        title = catalogue.title(label, language)
        cv = CV_TEMPLATES[language].format(
            title=title,
            years=max(years, 1),
            previous=previous,
            duty=OCCUPATIONS[label][5][language],
            skills=", ".join(s.label_en for s in have[:4]),
            city=_city_name(city, language),
        )
        fin = None
        if rng.random() < 0.7:
            while fin is None or fin in used_fins:
                fin = "".join(rng.choice(FIN_ALPHABET) for _ in range(7))
            used_fins.add(fin)
        spoken = [language] + [
            lang
            for lang in ("az", "ru", "en")
            if lang != language and rng.random() < {"az": 0.6, "ru": 0.5, "en": 0.3}[lang]
        ]
        level = OCCUPATIONS[label][4]
        person = Person(
            first_name=rng.choice(women if female else men),
            last_name=family[1 if female else 0],
            national_id=fin,
            birth_year=2026 - 22 - years - rng.randint(0, 12),
            gender="female" if female else "male",
            region=CITY_REGION[city],
            city=city,
            phone=f"+994 {rng.choice(['50', '51', '55', '70', '77'])} {rng.randint(200, 999)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            languages=spoken,
            education_level=level,
            consent_data_processing=True,
            consent_contact=rng.random() < 0.8,
        )
        low, high = OCCUPATIONS[label][3]
        profile = SeekerProfile(
            person=person,
            desired_title=title,
            cv_text=cv,
            text_language=language,
            availability=rng.choices(["immediately", "within_month", "later"], [60, 30, 10])[0],
            salary_expectation=rng.randrange(low, high + 1, 50),
            visible=person.consent_contact,
            occupations=[catalogue.occupations[label]],
        )
        profile.skills = [SeekerSkill(skill=s, source="declared") for s in dict.fromkeys(have)]
        if years:
            start = utcnow().date() - timedelta(days=365 * years)
            profile.experiences = [
                Experience(
                    title=title,
                    employer_name=previous,
                    occupation=catalogue.occupations[label],
                    start_date=start,
                    end_date=utcnow().date() - timedelta(days=rng.randint(20, 400)),
                    description=OCCUPATIONS[label][5][language],
                )
            ]
        profile.educations = [
            Education(
                level=level,
                year_completed=2026 - years - rng.randint(1, 5),
                field=catalogue.occupations[label].label_en
                if level in ("bachelor", "master", "vocational")
                else "",
            )
        ]
        user = account(f"seeker{n + 1:03d}", "job_seeker", language)
        user.person = person
        db.session.add(person)
        profiles.append(profile)
        progress(1)
    return profiles


def _activity(rng, counsellor, posted, profiles) -> None:
    """Applications, a counsellor's caseload, registrations, referrals and case notes."""
    today = utcnow().date()
    open_by_occupation: dict[int, list[Vacancy]] = {}
    for vacancy in posted:
        if vacancy.status == "published":
            open_by_occupation.setdefault(vacancy.occupation_id, []).append(vacancy)
    statuses = ["received", "shortlisted", "interview", "offered", "rejected", "hired"]
    for profile in profiles:
        options = open_by_occupation.get(profile.occupations[0].id, [])
        if options and rng.random() < 0.5:
            for vacancy in rng.sample(options, min(len(options), rng.randint(1, 3))):
                db.session.add(
                    Application(
                        seeker=profile,
                        vacancy=vacancy,
                        status=rng.choices(statuses, weights=[45, 20, 12, 5, 15, 3])[0],
                    )
                )
    caseload = rng.sample(profiles, min(40, len(profiles)))
    for profile in caseload:
        profile.counsellor_id = counsellor.id
        employment.apply(profile.person, "registered", counsellor)
        db.session.add(
            UnemploymentRegistration(
                person=profile.person,
                counsellor=counsellor,
                registered_on=today - timedelta(days=rng.randint(5, 400)),
                documents={
                    "identity_card": True,
                    "employment_record": rng.random() < 0.7,
                    "diploma": rng.random() < 0.6,
                },
            )
        )
        db.session.add(
            CaseNote(person=profile.person, author=counsellor, body=rng.choice(CASE_NOTES))
        )
        options = open_by_occupation.get(profile.occupations[0].id, [])
        if options and rng.random() < 0.4:
            db.session.add(
                Referral(
                    counsellor=counsellor,
                    seeker=profile,
                    vacancy=rng.choice(options),
                    note=rng.choice(CASE_NOTES),
                    outcome=rng.choices(["pending", "accepted", "declined"], [70, 20, 10])[0],
                )
            )
    for profile in rng.sample(profiles, len(profiles) // 5):
        if profile.counsellor_id is None:
            employment.apply(profile.person, "registered")
            db.session.add(
                UnemploymentRegistration(
                    person=profile.person,
                    registered_on=today - timedelta(days=rng.randint(5, 700)),
                    documents={"identity_card": True},
                )
            )


def _employment(rng, posted, profiles) -> None:
    """Labour contracts: people at work while they look for another job, the jobs the
    registered unemployed lost, and placements that followed a counsellor's referral."""

    db.session.flush()
    today = utcnow().date()
    employers = sorted({v.employer_id for v in posted})
    if not employers:
        return

    def contract(profile, start, **fields) -> LabourContract:
        row = LabourContract(
            employer_id=fields.pop("employer_id", rng.choice(employers)),
            person_id=profile.person_id,
            position=profile.desired_title[:200] or "—",
            occupation_id=profile.occupations[0].id if profile.occupations else None,
            start_date=start,
            contract_type="permanent",
            working_time=fields.pop("working_time", "full_time"),
            salary=profile.salary_expectation,
            **fields,
        )
        db.session.add(row)
        return row

    for profile in profiles:
        if profile.person.employment_status == "job_seeker" and rng.random() < 0.15:
            working_time = "full_time" if rng.random() < 0.8 else "part_time"
            start = today - timedelta(days=rng.randint(60, 900))
            row = contract(profile, start, status="active", working_time=working_time)
            begin_if_due(row, on=today)  # the person becomes employed
    by_person = {p.person_id: p for p in profiles}
    registrations = db.session.scalars(
        sa.select(UnemploymentRegistration).order_by(UnemploymentRegistration.id)
    ).all()
    for registration in registrations:
        profile = by_person.get(registration.person_id)
        if profile is not None and rng.random() < 0.6:
            ended = registration.registered_on - timedelta(days=rng.randint(1, 30))
            start = ended - timedelta(days=rng.randint(200, 1500))
            reason = rng.choice(["redundancy", "end of term", "own request"])
            contract(profile, start, end_date=ended, status="terminated", began=True,
                     termination_reason=reason)  # fmt: skip
    for referral in db.session.scalars(
        sa.select(Referral).where(Referral.outcome == "accepted").order_by(Referral.id)
    ).all():
        if rng.random() < 0.5:
            profile = referral.seeker
            start = today - timedelta(days=rng.randint(5, 40))
            row = contract(profile, start, status="active", referral_id=referral.id,
                           employer_id=referral.vacancy.employer_id)  # fmt: skip
            referral.outcome = "hired"
            begin_if_due(row, on=today)  # employed; the registration ends as "hired"


TRAINING_PROVIDERS = [
    ("Bakı Peşə Tədris Mərkəzi", "baku"),
    ("Gəncə Regional Training Centre", "ganja-dashkasan"),
    ("Sumqayıt Texniki Kollec", "absheron-khizi"),
    ("Lənkəran Peşə Məktəbi", "lankaran-astara"),
    ("jobmatch Online Academy", None),
]


# "foundations" and "advanced practice" in the other languages, for the demo's course titles
COURSE_LEVELS = {
    "az": {"basic": "əsaslar", "advanced": "qabaqcıl təcrübə"},
    "ru": {"basic": "основы", "advanced": "углублённая практика"},
    "fr": {"basic": "les bases", "advanced": "pratique avancée"},
    "ar": {"basic": "الأساسيات", "advanced": "ممارسة متقدمة"},
}


def _training(rng, catalogue) -> None:
    """A training catalogue: for each demo occupation, two programmes that teach some of its
    essential skills (fictitious providers)."""

    number = 0
    for label in sorted(catalogue.occupations):
        essential = catalogue.skills.get(label, {}).get("essential", [])
        if not essential:
            continue
        occupation = catalogue.occupations[label]
        names = {"az": OCCUPATIONS[label][0], "ru": OCCUPATIONS[label][1],
                 "fr": occupation.label_fr, "ar": occupation.label_ar}  # fmt: skip
        for level, title in (("basic", "foundations"), ("advanced", "advanced practice")):
            number += 1
            provider, region = rng.choice(TRAINING_PROVIDERS)
            taught = rng.sample(essential, min(len(essential), rng.randint(2, 5)))
            mode = "online" if region is None else rng.choice(["classroom", "blended", "workplace"])
            db.session.add(
                TrainingProgramme(
                    external_id=f"demo-{number:03d}",
                    provider=provider,
                    title=f"{label.capitalize()}: {title}",
                    description=f"{level.capitalize()} course in the work of the occupation "
                    f"“{label}”.",
                    mode=mode,
                    language=rng.choice(["az", "az", "ru", "en"]),
                    duration_hours=rng.choice([24, 40, 60, 80, 120, 160, 240]),
                    region=region,
                    cost=0 if rng.random() < 0.7 else rng.randrange(100, 900, 50),
                    skills=sorted(taught, key=lambda s: s.id),
                    titles=[
                        ProgrammeTitle(language=code, title=f"{name}: {COURSE_LEVELS[code][level]}")
                        for code, name in names.items()
                        if name
                    ],
                )
            )
