"""The statistics' job."""

from jobmatch.i18n import _l
from jobmatch.stats.services import refresh
from jobmatch.tasks.registry import job


@job(
    schedule=3600,
    label=_l("Counts the labour-market figures for the statistics pages and keeps them."),
)
def compute_statistics() -> dict:
    """Count the labour-market figures and keep them for the dashboard."""
    row = refresh()
    return {"seconds": row.seconds}
