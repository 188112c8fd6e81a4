"""A person's employment status, moved only by the events below.

The status follows from the labour contracts employers notify and the unemployment
registrations: a hire makes a person employed (and ends an open registration); the end of
their last contract makes them a job seeker; a registration makes a job seeker registered
unemployed. Any other (status, event) pair is refused: a person who works cannot register
as unemployed, a registration cannot end twice.
"""

from jobmatch.audit.services import record
from jobmatch.i18n import _, _l
from jobmatch.reference import EMPLOYMENT_STATUSES
from jobmatch.validation import InvalidInput

STATUSES = EMPLOYMENT_STATUSES

EVENTS = {
    "hired": _l("a labour contract began"),
    "contract_ended": _l("a labour contract ended; another goes on"),
    "last_contract_ended": _l("their last labour contract ended"),
    "registered": _l("registered as unemployed"),
    "registration_ended": _l("the unemployment registration ended"),
    "started_looking": _l("started looking for work"),
    "stopped_looking": _l("stopped looking for work"),
}

# (status, event) -> the next status. Nothing else is possible.
TRANSITIONS = {
    ("inactive", "hired"): "employed",
    ("job_seeker", "hired"): "employed",
    ("registered_unemployed", "hired"): "employed",
    ("employed", "hired"): "employed",  # a second job (never two full-time at once)
    ("employed", "contract_ended"): "employed",
    ("employed", "last_contract_ended"): "job_seeker",
    ("inactive", "registered"): "registered_unemployed",
    ("job_seeker", "registered"): "registered_unemployed",
    ("registered_unemployed", "registration_ended"): "job_seeker",
    ("inactive", "started_looking"): "job_seeker",
    ("job_seeker", "stopped_looking"): "inactive",
}

REFUSALS = {
    ("employed", "registered"): _l(
        "A person with a running labour contract cannot register as unemployed."
    ),
    ("registered_unemployed", "registered"): _l("This person is already registered as unemployed."),
}


def next_status(status: str, event: str) -> str:
    """The status after `event`, or InvalidInput saying why it cannot happen."""
    if event not in EVENTS:
        raise InvalidInput(_("Unknown event."))
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        reason = REFUSALS.get((status, event))
        raise InvalidInput(
            str(reason)
            if reason
            else _(
                "“%(event)s” cannot happen to a person whose status is “%(status)s”.",
                event=EVENTS[event],
                status=STATUSES.get(status, status),
            )
        ) from None


def apply(person, event: str, actor=None, **details) -> str:
    """Move the person's status by `event`; the change is written to the audit log."""

    before = person.employment_status
    after = next_status(before, event)
    person.employment_status = after
    record(
        actor,
        "status.changed",
        person,
        person_id=person.id,
        event=event,
        before=before,
        after=after,
        **details,
    )
    return after
