"""Test data, added to the session and flushed; the test commits when it needs to."""

import itertools
from datetime import timedelta

from jobmatch.accounts.models import User
from jobmatch.database import utcnow
from jobmatch.employers.models import Employer, EmployerMember
from jobmatch.extensions import db
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile
from jobmatch.taxonomy.models import Occupation, Skill
from jobmatch.vacancies.models import Application, Vacancy

PASSWORD = "correct horse battery"
_seq = itertools.count(1)

# One hash for every test user: hashing is deliberately slow.
_HASH: dict[str, str] = {}


def _password_hash() -> str:
    if PASSWORD not in _HASH:
        user = User()
        user.set_password(PASSWORD)
        _HASH[PASSWORD] = user.password_hash
    return _HASH[PASSWORD]


def user(role: str = "job_seeker", email: str | None = None, **fields) -> User:
    n = next(_seq)
    account = User(
        email=email or f"{role}{n}@example.org",
        role=role,
        locale=fields.pop("locale", "en"),
        active=fields.pop("active", True),
        password_hash=_password_hash(),
        email_confirmed_at=fields.pop("email_confirmed_at", utcnow()),
        **fields,
    )
    db.session.add(account)
    if role == "job_seeker":
        account.person = Person(first_name="Aysel", last_name=f"Həsənova{n}", languages=["az"])
        account.person.seeker_profile = SeekerProfile(desired_title="Cook", visible=True)
    db.session.flush()
    return account


def employer(name: str | None = None, owner: User | None = None, verified: bool = True) -> Employer:
    """An organisation; verified by staff unless asked otherwise (as most tests need)."""
    n = next(_seq)
    org = Employer(
        name=name or f"Employer {n}", tax_id=f"{1000000000 + n}", region="baku", verified=verified
    )
    db.session.add(org)
    if owner is not None:
        db.session.add(EmployerMember(employer=org, user=owner, role="owner"))
    db.session.flush()
    return org


def occupation(label: str = "cook") -> Occupation:
    n = next(_seq)
    row = Occupation(
        uri=f"occupation/test-{n}", code=f"5120.{n}", isco_group="5120", label_en=label
    )
    db.session.add(row)
    db.session.flush()
    return row


def skill(label: str = "prepare dishes") -> Skill:
    n = next(_seq)
    row = Skill(uri=f"skill/test-{n}", skill_type="skill/competence", label_en=label)
    db.session.add(row)
    db.session.flush()
    return row


def vacancy(org: Employer, status: str = "published", **fields) -> Vacancy:
    row = Vacancy(
        employer=org,
        title=fields.pop("title", "Cook"),
        description=fields.pop("description", "Prepare hot dishes."),
        status=status,
        published_at=None if status == "draft" else utcnow(),
        expires_on=fields.pop("expires_on", (utcnow() + timedelta(days=30)).date()),
        region=fields.pop("region", "baku"),
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def application(seeker: User, post: Vacancy, status: str = "received") -> Application:
    row = Application(seeker=seeker.person.seeker_profile, vacancy=post, status=status)
    db.session.add(row)
    db.session.flush()
    return row
