"""The notifications' jobs."""

from jobmatch.i18n import _l
from jobmatch.notifications.delivery import deliver
from jobmatch.tasks.registry import job


@job(timeout=600, retries=(60,), schedule=60, label=_l("Sends the e-mails waiting in the outbox."))
def deliver_outbox(limit: int = 200) -> dict:
    """Send the e-mails waiting in the outbox: by SMTP when MAIL_SERVER is set, else into
    the instance folder's outbox/ as .eml files (the embedded mode). Each message is sent
    and marked in its own commit; a failure is counted and retried on the next run, up
    to MAIL_MAX_ATTEMPTS."""
    return deliver(limit)
