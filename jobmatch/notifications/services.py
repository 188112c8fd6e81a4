"""Telling people what happened: in the app, and by e-mail through the outbox. Flushes only:
the notice is saved, or not, with the change it tells of."""

import sqlalchemy as sa
from flask_babel import force_locale

from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _, _n
from jobmatch.notifications.models import Notification, OutboxMessage


def text_of(notification: Notification) -> str:
    """The notice in the current language."""
    from jobmatch.reference import APPLICATION_STATUSES, label

    data = notification.data or {}
    if notification.kind == "application_status":
        return _(
            "Your application to “%(title)s” is now: %(status)s.",
            title=data.get("title", ""),
            status=label(APPLICATION_STATUSES, data.get("status")),
        )
    if notification.kind == "application_received":
        return _(
            "%(name)s applied to “%(title)s”.", name=data.get("name", ""), title=data.get("title")
        )
    if notification.kind == "referral":
        text = _("An employment counsellor referred you to “%(title)s”.", title=data.get("title"))
        if data.get("note"):
            text += " " + _("Their note: %(note)s", note=data["note"])
        return text
    if notification.kind == "referral_received":
        return _(
            "An employment counsellor referred %(name)s to “%(title)s”.",
            name=data.get("name", ""),
            title=data.get("title"),
        )
    if notification.kind == "referral_answered":
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
    if notification.kind == "training_referral":
        text = _(
            "An employment counsellor suggests the course “%(title)s” (%(provider)s).",
            title=data.get("title", ""),
            provider=data.get("provider", ""),
        )
        if data.get("note"):
            text += " " + _("Their note: %(note)s", note=data["note"])
        return text
    if notification.kind == "saved_search":
        return _n(
            "%(num)d new vacancy for your search “%(name)s”.",
            "%(num)d new vacancies for your search “%(name)s”.",
            data.get("count", 0),
            name=data.get("name", ""),
        )
    if notification.kind == "national_id_reused":
        return _(
            "Someone registered a new account with your personal identification number (FIN). "
            "If it was not you, tell the employment service; your account is unchanged."
        )
    if notification.kind == "contract_to_confirm":
        return _(
            "%(employer)s notified a labour contract with you (%(position)s). Confirm it, or "
            "tell us it is not yours.",
            employer=data.get("employer", ""),
            position=data.get("position", ""),
        )
    if notification.kind == "contract_to_check":
        return _(
            "A labour contract (%(position)s at %(employer)s) awaits a check.",
            employer=data.get("employer", ""),
            position=data.get("position", ""),
        )
    if notification.kind == "contract_refused":
        return _("The contract for “%(position)s” was refused.", position=data.get("position", ""))
    if notification.kind == "contact_views_flagged":
        return _(
            "%(name)s opened the contact details of %(num)d people within an hour and was "
            "stopped. Check the organisation.",
            name=data.get("name", ""),
            num=data.get("count", 0),
        )
    return notification.kind


def link_to(endpoint: str, **values) -> str:
    """An absolute link for a notice or an e-mail: from the request when there is one, else
    from PUBLIC_URL (background jobs)."""
    from urllib.parse import urlsplit

    from flask import current_app, has_request_context, url_for

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
