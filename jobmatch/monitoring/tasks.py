"""The monitoring jobs."""

from jobmatch.i18n import _l
from jobmatch.monitoring.exposure import purge_old
from jobmatch.tasks.registry import job


@job(
    schedule="45 21 * * *",
    label=_l("Deletes the log of ranked lists shown once it is older than the retention period."),
)
def purge_exposure_log() -> dict:
    """Exposure rows older than EXPOSURE_RETENTION_DAYS."""
    return {"purged": purge_old()}
