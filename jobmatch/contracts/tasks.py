"""The labour contracts' jobs."""

from jobmatch.contracts.services import apply_dates
from jobmatch.i18n import _l
from jobmatch.tasks.registry import job


@job(
    schedule="5 20 * * *",  # 00:05 in Baku
    label=_l(
        "Labour contracts whose start date has come make the person employed; those past "
        "their last working day end."
    ),
)
def apply_contract_dates() -> dict:
    """Contracts whose start date has come begin (the person becomes employed, a registration
    ends); those past their last working day end."""
    outcome = apply_dates()
    return outcome
