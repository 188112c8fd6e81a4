"""Telling people what happened: in the app, and by e-mail through the outbox. Flushes only:
the notice is saved, or not, with the change it tells of."""

from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _, _n, format_appointment
from jobmatch.notifications.models import Notification, OutboxMessage
from jobmatch.reference import APPLICATION_STATUSES, REJECTION_REASONS, label


def _application_status(data: dict) -> str:
    title, status = data.get("title", ""), label(APPLICATION_STATUSES, data.get("status"))
    if data.get("undone"):
        text = _("The last change to your application to “%(title)s” was taken back: it is "
                 "%(status)s again.", title=title, status=status)  # fmt: skip
    elif data.get("status") == "interview" and data.get("when"):
        text = _(
            "You are invited to an interview for “%(title)s” on %(when)s, at %(place)s.",
            title=title,
            when=_moment(data["when"]),
            place=data.get("place", ""),
        )
    elif data.get("status") == "rejected" and data.get("reason"):
        text = _(
            "Thank you for applying to “%(title)s”. The employer will not go on with your "
            "application: %(reason)s",
            title=title,
            reason=label(REJECTION_REASONS, data["reason"]),
        )
        if data["reason"] == "filled":
            text += " " + _("Your profile stays with us: other vacancies may fit you.")
    else:
        text = _("Your application to “%(title)s” is now: %(status)s.", title=title, status=status)
    if data.get("message"):
        text += " " + _("The employer's message: %(message)s", message=data["message"])
    return text


def _application_sent(data: dict) -> str:
    return _(
        "Your application to “%(title)s” (%(employer)s) is sent. You can follow it, and "
        "withdraw it, on your page.",
        title=data.get("title", ""),
        employer=data.get("employer", ""),
    )


def _training_interest(data: dict) -> str:
    return _(
        "%(name)s would like to take the course “%(title)s”.",
        name=data.get("name", ""),
        title=data.get("title", ""),
    )


def _vacancy_reviewed(data: dict) -> str:
    if data.get("outcome") == "published":
        return _("The employment service reviewed “%(title)s”: it is published.",
                 title=data.get("title", ""))  # fmt: skip
    return _(
        "The employment service sent “%(title)s” back to you as a draft: %(reason)s Correct it "
        "and publish it again.",
        title=data.get("title", ""),
        reason=data.get("reason", ""),
    )


def _invited_to_apply(data: dict) -> str:
    text = _(
        "%(employer)s invites you to apply to “%(title)s”.",
        employer=data.get("employer", ""),
        title=data.get("title", ""),
    )
    if data.get("message"):
        text += " " + _("The employer's message: %(message)s", message=data["message"])
    return text


def _application_withdrawn(data: dict) -> str:
    return _(
        "%(name)s withdrew their application to “%(title)s”.",
        name=data.get("name", ""),
        title=data.get("title", ""),
    )


def _moment(iso: str) -> str:
    """A moment saved as ISO text (UTC), written for the reader."""
    try:
        return format_appointment(datetime.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso


def _application_received(data: dict) -> str:
    return _("%(name)s applied to “%(title)s”.", name=data.get("name", ""), title=data.get("title"))


def _with_note(text: str, data: dict) -> str:
    """A counsellor's notice, with their note when they wrote one."""
    if not data.get("note"):
        return text
    return text + " " + _("Their note: %(note)s", note=data["note"])


def _referral(data: dict) -> str:
    if data.get("counsellor"):
        text = _(
            "%(counsellor)s, your employment counsellor, referred you to “%(title)s”.",
            counsellor=data["counsellor"],
            title=data.get("title"),
        )
    else:
        text = _("An employment counsellor referred you to “%(title)s”.", title=data.get("title"))
    return _with_note(text, data)


def _referral_received(data: dict) -> str:
    return _(
        "An employment counsellor referred %(name)s to “%(title)s”.",
        name=data.get("name", ""),
        title=data.get("title"),
    )


def _referral_answered(data: dict) -> str:
    if data.get("outcome") == "accepted":
        return _(
            "The employer accepted %(name)s for “%(title)s”.",
            name=data.get("name", ""),
            title=data.get("title", ""),
        )
    return _(
        "The employer declined %(name)s for “%(title)s”.",
        name=data.get("name", ""),
        title=data.get("title", ""),
    )


def _training_referral(data: dict) -> str:
    if data.get("counsellor"):
        text = _(
            "%(counsellor)s, your employment counsellor, suggests the course “%(title)s” "
            "(%(provider)s).",
            counsellor=data["counsellor"],
            title=data.get("title", ""),
            provider=data.get("provider", ""),
        )
        return _with_note(text, data)
    text = _(
        "An employment counsellor suggests the course “%(title)s” (%(provider)s).",
        title=data.get("title", ""),
        provider=data.get("provider", ""),
    )
    return _with_note(text, data)


def _saved_search(data: dict) -> str:
    return _n(
        "%(num)d new vacancy for your search “%(name)s”.",
        "%(num)d new vacancies for your search “%(name)s”.",
        data.get("count", 0),
        name=data.get("name", ""),
    )


def _national_id_reused(data: dict) -> str:
    return _(
        "Someone registered a new account with your personal identification number (FIN). "
        "If it was not you, tell the employment service; your account is unchanged."
    )


def _contract_to_confirm(data: dict) -> str:
    return _(
        "%(employer)s notified a labour contract with you (%(position)s). Confirm it, or "
        "tell us it is not yours.",
        employer=data.get("employer", ""),
        position=data.get("position", ""),
    )


def _contract_to_check(data: dict) -> str:
    return _(
        "A labour contract (%(position)s at %(employer)s) awaits a check.",
        employer=data.get("employer", ""),
        position=data.get("position", ""),
    )


def _contract_refused(data: dict) -> str:
    return _("The contract for “%(position)s” was refused.", position=data.get("position", ""))


def _contact_views_flagged(data: dict) -> str:
    return _(
        "%(name)s opened the contact details of %(num)d people within an hour and was "
        "stopped. Check the organisation.",
        name=data.get("name", ""),
        num=data.get("count", 0),
    )


def _candidates_ready(data: dict) -> str:
    return _("The candidates for “%(title)s” are ready.", title=data.get("title", ""))


def _matches_ready(data: dict) -> str:
    return _("The vacancies that fit your profile are ready.")


# What each kind of notice says, from the data saved with it.
TEXTS = {
    "application_status": _application_status,
    "application_received": _application_received,
    "application_sent": _application_sent,
    "application_withdrawn": _application_withdrawn,
    "invited_to_apply": _invited_to_apply,
    "vacancy_reviewed": _vacancy_reviewed,
    "training_interest": _training_interest,
    "referral": _referral,
    "referral_received": _referral_received,
    "referral_answered": _referral_answered,
    "training_referral": _training_referral,
    "saved_search": _saved_search,
    "national_id_reused": _national_id_reused,
    "contract_to_confirm": _contract_to_confirm,
    "contract_to_check": _contract_to_check,
    "contract_refused": _contract_refused,
    "contact_views_flagged": _contact_views_flagged,
    "candidates_ready": _candidates_ready,
    "matches_ready": _matches_ready,
}


def text_of(notification: Notification) -> str:
    """The notice in the current language."""
    text = TEXTS.get(notification.kind)
    return text(notification.data or {}) if text else notification.kind


def link_to(endpoint: str, **values) -> str:
    """An absolute link for a notice or an e-mail: from the request when there is one, else
    from PUBLIC_URL (background jobs)."""

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def notify(user, kind: str, data: dict, link: str = "", email: bool = True) -> Notification:
    """A notice for `user`, and the same by e-mail (in the user's language) when asked."""
    notice = Notification(user=user, kind=kind, data=data, link=link)
    db.session.add(notice)
    if email and user.email and user.is_active:
        with force_locale(user.locale or "en"):
            text = text_of(notice)
            subject = _("jobmatch: %(text)s", text=text)[:300]
            body = "\n\n".join(
                [text, _("See it on your page: %(link)s", link=link) if link else ""]
            ).strip()
        db.session.add(OutboxMessage(to_address=user.email, subject=subject, body=body))
    db.session.flush()
    return notice


def send_mail(address: str, locale: str | None, subject, body) -> OutboxMessage:
    """An e-mail alone (no notice in the app), through the outbox; `subject` and `body` are
    lazy texts (_l), written in the recipient's language."""
    with force_locale(locale or "en"):
        message = OutboxMessage(to_address=address, subject=str(subject)[:300], body=str(body))
    db.session.add(message)
    db.session.flush()
    return message


def unread_count(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def recent(user, limit: int = 50) -> list[Notification]:
    return db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()


def mark_read(user) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
