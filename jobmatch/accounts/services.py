"""Accounts: registration, authentication, user administration. Flushes, never commits."""

import hashlib
import secrets
from functools import cache

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from jobmatch.accounts.models import AccountSession, User
from jobmatch.audit.services import record
from jobmatch.database import utcnow
from jobmatch.employers.models import Employer, EmployerMember
from jobmatch.extensions import db
from jobmatch.i18n import _, _l
from jobmatch.notifications.services import link_to, notify, send_mail
from jobmatch.people.models import Person
from jobmatch.reference import ROLES
from jobmatch.seekers.models import SeekerProfile
from jobmatch.validation import (
    InvalidInput,
    check_password,
    normalise_email,
    normalise_national_id,
    normalise_tax_id,
)

CONFIRMATION_SECONDS = 2 * 24 * 3600


@cache
def _dummy_hash() -> str:
    """A hash to check against when the e-mail is unknown, so timing does not reveal accounts."""
    return generate_password_hash("not-a-real-password")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def new_user(
    email: str,
    password: str,
    role: str,
    locale: str = "en",
    names: tuple[str, ...] = (),
    confirmed: bool = True,
    name: str = "",
) -> User:
    """Validate and add a user account (staff and commands: confirmed at once). `name` is
    how staff are named to the people they serve."""
    if role not in ROLES:
        raise InvalidInput(_("Unknown role."), "role")
    email = normalise_email(email)
    check_password(password, email, names)
    if find_user(email) is not None:
        raise InvalidInput(_("An account with this e-mail address already exists."), "email")
    name = " ".join(name.split())
    if len(name) > 200:
        raise InvalidInput(_("A name has at most 200 characters."), "name")
    user = User(email=email, role=role, locale=locale, active=True, name=name)
    user.email_confirmed_at = utcnow() if confirmed else None
    user.set_password(password)
    db.session.add(user)
    return user


class AddressTaken(Exception):
    """Someone registered with an address that has an account. The page must answer exactly
    as for a new address; the owner of the address is told by e-mail instead."""


def _new_self_registered(email, password, role, locale, names) -> User:
    """A self-registered account, unconfirmed until its owner opens the e-mailed link; an
    address that already has an account raises AddressTaken after the same checks."""
    email = normalise_email(email)
    check_password(password, email, names)
    owner = find_user(email)
    if owner is not None:
        generate_password_hash(password)  # the same work as a new account: no timing tell
        _tell_owner_of_attempt(owner)
        raise AddressTaken(email)
    return new_user(email, password, role, locale, names, confirmed=False)


def _tell_registrant_of_organisation(email: str, locale: str, employer: Employer) -> None:
    record(None, "employer.registration_attempted", employer)
    send_mail(
        email,
        locale,
        _l("jobmatch: your organisation is already registered"),
        _l(
            "%(name)s is already registered on jobmatch, so no second account was made for it. "
            "Ask the person who manages your organisation's account to add you.",
            name=employer.name,
        ),
    )


def _tell_owner_of_attempt(owner: User) -> None:
    record(None, "account.registration_attempted", owner)
    send_mail(
        owner.email,
        owner.locale,
        _l("jobmatch: you already have an account"),
        _l(
            "Someone, perhaps you, tried to register a new account with this address. "
            "You already have one: log in at %(login)s. If you forgot the password, ask "
            "for a new one on the login page. If it was not you, you need do nothing.",
            login=link_to("accounts.login"),
        ),
    )


def send_confirmation(user: User) -> None:
    """E-mail the link that confirms the address and opens the account."""
    token = _confirmations().dumps({"u": user.id, "e": user.email})
    send_mail(
        user.email,
        user.locale,
        _l("jobmatch: confirm your e-mail address"),
        _l(
            "Welcome to jobmatch. Open this link to confirm your address and start: "
            "%(link)s\n\nThe link works for two days. If you did not register, you need "
            "do nothing.",
            link=link_to("accounts.confirm", token=token),
        ),
    )


def confirm_email(token: str) -> User | None:
    """The account a valid, unexpired confirmation link names, now confirmed; else None."""
    try:
        data = _confirmations().loads(token, max_age=CONFIRMATION_SECONDS)
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e") or not user.active:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        record(user, "account.email_confirmed", user)
    return user


def _confirmations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="confirm-email")


def register_seeker(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    locale: str = "en",
    region: str | None = None,
    national_id: str | None = None,
    birth_year: int | None = None,
    visible: bool = False,
    consent: bool = False,
) -> User:
    """A job seeker's account, person record and empty profile."""
    if not consent:
        raise InvalidInput(_("Please agree to the processing of your data."), "consent")
    national_id = normalise_national_id(national_id)
    user = _new_self_registered(email, password, "job_seeker", locale, (first_name, last_name))
    person, owner = _person_for(national_id)
    if owner is not None:
        # The FIN belongs to another account: the answer must not say so (anyone could test
        # which FINs are registered). The new account goes on without it; the owner is told.
        _tell_owner_of_fin(owner)
        national_id, person = None, None
    if person is None:
        person = Person(national_id=national_id)
        db.session.add(person)
    else:  # a record an employer's notification made: its owner takes it over
        record(user, "person.claimed", person, person_id=person.id)
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.birth_year = birth_year
    person.region = region or None
    person.consent_data_processing, person.consent_contact = True, visible
    if person.seeker_profile is None:
        person.seeker_profile = SeekerProfile(visible=visible)
    else:
        person.seeker_profile.visible = visible
    user.person = person
    db.session.flush()
    record(user, "account.registered", user, person_id=person.id, role=user.role)
    return user


def _person_for(national_id: str | None) -> tuple[Person | None, User | None]:
    """The unclaimed record with this FIN (made by a contract notification), or the account
    that already holds it."""
    if not national_id:
        return None, None
    person = db.session.scalar(sa.select(Person).where(Person.national_id == national_id))
    if person is None or person.anonymised_at is not None:
        return None, None
    if person.user is not None:
        return None, person.user
    return person, None


def _tell_owner_of_fin(owner: User) -> None:
    record(None, "account.national_id_reused", owner, person_id=owner.person_id)
    notify(owner, "national_id_reused", {}, link_to("accounts.account"))


def register_employer(
    *,
    email: str,
    password: str,
    organisation: str,
    tax_id: str | None,
    sector: str | None,
    region: str | None,
    locale: str = "en",
    consent: bool = False,
) -> User:
    """An employer's account and its organisation (unverified until a counsellor checks it)."""
    if not consent:
        raise InvalidInput(_("Please agree to the processing of your data."), "consent")
    tax_id = normalise_tax_id(tax_id)
    taken = tax_id and db.session.scalar(sa.select(Employer).where(Employer.tax_id == tax_id))
    if taken:
        # The page answers as for any registration (which tax numbers the service holds is
        # not for anyone to test); the registrant learns it in their mailbox.
        check_password(password, normalise_email(email), (organisation,))
        generate_password_hash(password)
        _tell_registrant_of_organisation(normalise_email(email), locale, taken)
        raise AddressTaken(normalise_email(email))
    user = _new_self_registered(email, password, "employer", locale, (organisation,))
    employer = Employer(
        name=organisation.strip(), tax_id=tax_id, sector=sector or None, region=region or None
    )
    db.session.add(EmployerMember(employer=employer, user=user, role="owner"))
    db.session.flush()
    record(user, "account.registered", user, role=user.role, employer_id=employer.id)
    return user


def login_name(email: str) -> str:
    """The address as accounts are looked up by (full-width letters, case and the like
    folded); the raw text, lower-cased, when it is not an address at all."""
    try:
        return normalise_email(email)
    except InvalidInput:
        return (email or "").strip().lower()


def require_confirmed(user: User) -> None:
    """Refuse what an account may do only once its address is confirmed: publishing a
    vacancy, making an API token."""
    if user.email_confirmed_at is None:
        raise InvalidInput(
            _(
                "Confirm your e-mail address first: open the link we sent to %(email)s, or "
                "have it sent again from the top of this page.",
                email=user.email,
            )
        )


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. An account whose address is not
    confirmed yet logs in too: its owner builds the profile meanwhile, and employers find
    it once the address is confirmed."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        return None
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        record(user, "account.login_failed", user)
        return None
    user.last_login_at = utcnow()
    record(user, "account.login", user)
    return user


def set_active(actor: User, user: User, active: bool) -> None:
    if actor.id == user.id and not active:
        raise InvalidInput(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        end_all_sessions(user)
    record(actor, "account.activated" if active else "account.deactivated", user)


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise InvalidInput(_("The current password is not correct."), "current_password")
    person = user.person
    check_password(new, user.email, (person.first_name, person.last_name) if person else ())
    user.set_password(new)
    end_all_sessions(user)  # the caller starts a new session for the device in use
    record(user, "account.password_changed", user)


# --- browser sessions --------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(user: User, user_agent: str = "") -> None:
    """A new server-side session for a login; its key goes into the cookie via get_id."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        AccountSession(user_id=user.id, key_hash=_key_hash(key), user_agent=user_agent[:200])
    )
    user.session_key = key


def session_user(stored_id: str) -> User | None:
    """The user a cookie names, while its session has not been ended; None otherwise."""
    user_id, _sep, key = (stored_id or "").partition(":")
    if not user_id.isascii() or not user_id.isdecimal() or not key:
        return None
    user = db.session.scalar(
        sa.select(User)
        .join(AccountSession, AccountSession.user_id == User.id)
        .where(User.id == int(user_id), AccountSession.key_hash == _key_hash(key))
    )
    if user is not None:
        user.session_key = key
    return user


def end_session(user: User) -> None:
    """Log out here: this session's cookies stop working."""
    if user.session_key:
        db.session.execute(
            sa.delete(AccountSession).where(AccountSession.key_hash == _key_hash(user.session_key))
        )
    user.session_key = None


def end_all_sessions(user: User) -> None:
    """Log out everywhere: every session and remember-me cookie of the account stops working."""
    db.session.execute(sa.delete(AccountSession).where(AccountSession.user_id == user.id))
    user.session_key = None


# --- forgotten passwords -----------------------------------------------------


def send_password_reset(email: str) -> None:
    """E-mail a single-use link to set a new password, when the address has an active account;
    nothing otherwise (the page answers the same either way)."""
    user = find_user(login_name(email))
    if user is None or not user.active:
        generate_password_hash("not-a-real-password")  # the same work either way
        return
    token = _resets().dumps({"u": user.id, "h": _password_mark(user)})
    minutes = current_app.config["PASSWORD_RESET_SECONDS"] // 60
    record(None, "account.password_reset_requested", user)
    send_mail(
        user.email,
        user.locale,
        _l("jobmatch: set a new password"),
        _l(
            "Open this link to set a new password: %(link)s\n\nThe link works once, for "
            "%(minutes)d minutes. If you did not ask for it, you need do nothing: your "
            "password stays as it is.",
            link=link_to("accounts.reset_password", token=token),
            minutes=minutes,
        ),
    )


def user_for_reset(token: str) -> User | None:
    """The account a reset link names, while the link is unexpired and unused (a password
    change, this link's included, makes it invalid); else None."""
    try:
        data = _resets().loads(token, max_age=current_app.config["PASSWORD_RESET_SECONDS"])
    except BadSignature:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("h") != _password_mark(user):
        return None
    return user


def reset_password(user: User, new: str) -> None:
    """Set the new password from a reset link: every session ends, and the address is
    confirmed (the link reached it)."""
    person = user.person
    check_password(new, user.email, (person.first_name, person.last_name) if person else ())
    user.set_password(new)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    end_all_sessions(user)
    record(user, "account.password_reset", user)


def _password_mark(user: User) -> str:
    """Changes whenever the password does (salted hash), so a used link is dead."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _resets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="reset-password")
