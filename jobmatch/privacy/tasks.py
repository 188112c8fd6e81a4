"""The privacy jobs."""

from jobmatch.i18n import _l
from jobmatch.privacy.services import purge_expired
from jobmatch.tasks.registry import job


@job(
    schedule="15 21 * * *",
    label=_l(
        "Deletes the labour contracts of people who asked to be deleted, once they have been "
        "kept as long as the law requires."
    ),
)
def purge_expired_records() -> dict:
    """Labour contracts of people deleted at their request, once kept as long as required."""
    purged = purge_expired()
    return {"purged": purged}
