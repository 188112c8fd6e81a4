"""Sending the outbox: SMTP in production, .eml files in the embedded mode."""

import smtplib
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from jobmatch.database import commit_chunk, utcnow
from jobmatch.extensions import db
from jobmatch.notifications.models import OutboxMessage


def _message(row: OutboxMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = f"<outbox-{row.id}@jobmatch>"
    message.set_content(row.body)
    return message


def _send(message: EmailMessage, row: OutboxMessage) -> None:
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        folder = Path(config["INSTANCE_PATH"]) / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{row.id:08d}.eml").write_bytes(bytes(message))
        return
    host, _, port = server.partition(":")
    with smtplib.SMTP(host, int(port or 25), timeout=15) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def deliver(limit: int = 200) -> dict:
    """Send up to `limit` waiting messages, one row locked and committed at a time, so two
    workers never send the same message (PostgreSQL: SKIP LOCKED)."""
    config = current_app.config
    sent = failed = 0
    tried: list[int] = []
    while len(tried) < limit:
        query = (
            sa.select(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.attempts < config["MAIL_MAX_ATTEMPTS"],
                OutboxMessage.id.notin_(tried),
            )
            .order_by(OutboxMessage.id)
            .limit(1)
        )
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = db.session.scalar(query)
        if row is None:
            break
        tried.append(row.id)
        row.attempts += 1
        try:
            _send(_message(row), row)
        except (OSError, smtplib.SMTPException) as error:
            row.last_error = str(error)[:2000]
            failed += 1
        else:
            row.sent_at = utcnow()
            sent += 1
        commit_chunk()  # each message sent and marked on its own
    return {"sent": sent, "failed": failed}
