from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import roles
from jobmatch.accounts.models import User
from jobmatch.accounts.services import set_active
from jobmatch.admin import jobs as background
from jobmatch.admin import services
from jobmatch.admin.audit import AuditFilter, search
from jobmatch.employers import verification
from jobmatch.employers.models import Employer
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain
from jobmatch.i18n import _
from jobmatch.matching.status import index_status
from jobmatch.reference import ROLES
from jobmatch.tasks.registry import scheduled
from jobmatch.trust.moderation import approve, send_back
from jobmatch.trust.moderation import queue as moderation_queue
from jobmatch.trust.score import assess
from jobmatch.vacancies.models import Vacancy

bp = Blueprint("admin", __name__, url_prefix="/admin")
STATES = ("unverified", "verified")


@bp.route("/")
@roles("admin")
def index():
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    text = (request.args.get("q") or "").strip()[:100] or None
    page = db.paginate(services.users(role, text), per_page=50, max_per_page=200)
    return render_template("admin/index.html", page=page, role=role, text=text or "")


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles("admin")
def user_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    commit_or_explain(
        lambda: set_active(current_user, user, request.form.get("active") == "1"),
        _("The account of %(email)s is updated.", email=user.email),
    )
    return redirect(url_for("admin.index"))


@bp.route("/employers")
@roles("counsellor", "admin")
def employers():
    """Organisations to verify (unverified first), with the proof each decision rests on."""

    state = request.args.get("state") if request.args.get("state") in STATES else None
    text = (request.args.get("q") or "").strip()[:100] or None
    page = db.paginate(verification.employers(state, text), per_page=50, max_per_page=200)
    contracts = {e.id: verification.contracts_notified(e) for e in page.items}
    return render_template(
        "admin/employers.html", page=page, state=state, text=text or "", contracts=contracts
    )


@bp.route("/employers/<int:employer_id>/verification", methods=["POST"])
@roles("counsellor", "admin")
def employer_verification(employer_id: int):
    """Verify an organisation, or withdraw its verification; audited either way."""

    employer = db.session.get(Employer, employer_id) or abort(404)
    form = request.form
    if form.get("action") == "withdraw":
        commit_or_explain(
            lambda: verification.withdraw(current_user, employer, form.get("reason", "")),
            _("The verification of %(name)s is withdrawn.", name=employer.name),
        )
    else:
        commit_or_explain(
            lambda: verification.verify(
                current_user,
                employer,
                tax_id_checked=form.get("tax_id_checked") == "1",
                evidence=form.get("evidence", ""),
                note=form.get("note", ""),
            ),
            _("%(name)s is verified.", name=employer.name),
        )
    return redirect(url_for("admin.employers", q=employer.tax_id or employer.name))


@bp.route("/audit")
@roles("admin")
def audit():
    """Search the record of who did what: by action, actor, person and dates."""

    flt = AuditFilter.from_args(request.args)
    page = db.paginate(search(flt), max_per_page=200)
    return render_template("admin/audit.html", page=page, flt=flt)


@bp.route("/jobs")
@roles("admin")
def jobs():

    view = background.overview()
    counts = [n for states in view.counts.values() for n in states.values()]
    return render_template(
        "admin/jobs.html",
        view=view,
        biggest=max([1, *counts]),
        state_names={
            "started": _("Running"),
            "queued": _("Waiting"),
            "scheduled": _("Waiting to retry"),
            "failed": _("Failed"),
            "finished": _("Finished"),
        },
        indexes=index_status(),
        schedule=[(entry.name, entry.label, entry.schedule) for entry in scheduled()],
    )


@bp.route("/jobs/retry", methods=["POST"])
@roles("admin")
def jobs_retry():

    job_id = request.form.get("job", "")
    if job_id == "all":
        flash(_("%(count)d failed jobs queued again.", count=background.retry_all()), "success")
    elif background.retry(job_id):
        flash(_("The job is queued again."), "success")
    else:
        flash(_("There is no such failed job."), "error")
    return redirect(url_for("admin.jobs"))


@bp.route("/jobs/run", methods=["POST"])
@roles("admin")
def jobs_run():

    if background.run_now(request.form.get("name", "")):
        flash(_("The job is queued."), "success")
    else:
        flash(_("The job could not be queued (unknown, already waiting, or no queue)."), "error")
    return redirect(url_for("admin.jobs"))


@bp.route("/moderation")
@roles("counsellor", "admin")
def moderation():
    """Vacancies waiting for review, each with its trust score and signals."""
    waiting = moderation_queue()
    return render_template("admin/moderation.html", waiting=[(v, assess(v)) for v in waiting])


@bp.route("/moderation/<int:vacancy_id>", methods=["POST"])
@roles("counsellor", "admin")
def moderate(vacancy_id: int):
    """Publish a vacancy from the queue, or send it back with a reason."""
    vacancy = db.session.get(Vacancy, vacancy_id) or abort(404)
    if request.form.get("action") == "publish":
        commit_or_explain(
            lambda: approve(current_user, vacancy),
            _("“%(title)s” is published; the employer is told.", title=vacancy.title),
        )
    else:
        commit_or_explain(
            lambda: send_back(current_user, vacancy, request.form.get("reason", "")),
            _("“%(title)s” is sent back to the employer with your reason.", title=vacancy.title),
        )
    return redirect(url_for("admin.moderation"))
