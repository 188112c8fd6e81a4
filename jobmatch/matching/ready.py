"""Telling people their matches are ready.

A new vacancy's candidates and a new profile's matches wait for its index job (seconds;
longer on a busy site). The page says so while they wait; when the vacancy or profile
first reaches the index, the people it belongs to get a notice with a link. Imported
rows (with an external id) are indexed by the thousand and announce nothing.
"""

import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.employers.models import EmployerMember
from jobmatch.extensions import db
from jobmatch.notifications.services import link_to, notify
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy


def announce(entity: str, ids) -> int:
    """Notify the owners of the documents of `ids`, just indexed for the first time;
    returns how many notices were written (flushed with the caller's chunk)."""
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    sent = 0
    if entity == "vacancy":
        rows = db.session.execute(
            sa.select(Vacancy.id, Vacancy.title, User)
            .join(EmployerMember, EmployerMember.employer_id == Vacancy.employer_id)
            .join(User, User.id == EmployerMember.user_id)
            .where(Vacancy.id.in_(ids), Vacancy.external_id.is_(None))
        ).all()
        for vacancy_id, title, user in rows:
            link = link_to("employers.candidates", vacancy_id=vacancy_id)
            notify(user, "candidates_ready", {"title": title}, link=link, email=False)
            sent += 1
    else:
        users = db.session.scalars(
            sa.select(User)
            .join(Person, Person.id == User.person_id)
            .join(SeekerProfile, SeekerProfile.person_id == Person.id)
            .where(SeekerProfile.id.in_(ids), SeekerProfile.external_id.is_(None))
        ).all()
        for user in users:
            notify(user, "matches_ready", {}, link=link_to("seekers.matches"), email=False)
            sent += 1
    return sent
