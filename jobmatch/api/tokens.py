"""API tokens: made for a user with scopes their role allows, shown once, revocable."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from jobmatch.api.models import ApiToken
from jobmatch.audit.services import record
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _, _l
from jobmatch.validation import InvalidInput

SCOPES = {
    "vacancies:read": _l("Read vacancies, including the organisation's drafts"),
    "vacancies:write": _l("Create, change and close the organisation's vacancies"),
    "candidates:read": _l("Ranked candidates and applications for the organisation's vacancies"),
    "applications:write": _l("Move applications along the pipeline"),
    "contracts:write": _l("Notify labour contracts"),
    "profile:read": _l("Read my profile"),
    "matches:read": _l("Vacancies that fit my profile"),
    "statistics:read": _l("Labour-market figures"),
    "moderation:write": _l("Review the vacancies waiting for moderation: publish or send back"),
    "monitoring:read": _l("Fairness across groups, and the outcomes that grade the ranking"),
}
ROLE_SCOPES = {
    "employer": ("vacancies:read", "vacancies:write", "candidates:read", "applications:write",
                 "contracts:write", "statistics:read"),
    "job_seeker": ("vacancies:read", "profile:read", "matches:read", "statistics:read"),
    "counsellor": ("vacancies:read", "candidates:read", "statistics:read", "moderation:write",
                   "monitoring:read"),
    "admin": ("vacancies:read", "statistics:read", "moderation:write", "monitoring:read"),
}  # fmt: skip
PREFIX = "jm_"
MAX_TOKENS = 20


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user, name: str, scopes, days: int | None = 365) -> tuple[ApiToken, str]:
    """A new token; returns it with its secret (shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Name the token (at most 100 characters)."), "name")
    allowed = set(ROLE_SCOPES.get(user.role, ()))
    scopes = sorted(set(scopes))
    if not scopes:
        raise InvalidInput(_("Choose at least one permission."), "scopes")
    if not set(scopes) <= allowed:
        raise InvalidInput(_("Your role cannot grant these permissions."), "scopes")
    active = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if active >= MAX_TOKENS:
        raise InvalidInput(_("Revoke a token first: at most %(n)d at a time.", n=MAX_TOKENS))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        secret_hash=_hash(secret),
        scopes=scopes,
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    db.session.add(token)
    db.session.flush()
    record(user, "api_token.issued", token, scopes=scopes)
    return token, secret


def revoke(user, token: ApiToken) -> None:
    if token.revoked_at is not None:
        raise InvalidInput(_("This token is already revoked."))
    token.revoked_at = utcnow()
    db.session.flush()
    record(user, "api_token.revoked", token)


def tokens_of(user) -> list[ApiToken]:
    return db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, its use noted; None otherwise."""
    if not secret or not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.secret_hash == _hash(secret)))
    if token is None or not token.active or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now  # committed with the request, at most once a minute
    return token
