"""Labour contracts: employers notify, confirm, change and terminate them; each person sees
their own contracts and employment history."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import roles
from jobmatch.contracts import services, status
from jobmatch.contracts.forms import ConfirmForm, HireForm, TerminationForm, TermsForm
from jobmatch.contracts.models import LabourContract
from jobmatch.contracts.registration import open_registration
from jobmatch.contracts.status import EVENTS
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain, commit_or_show
from jobmatch.i18n import _

bp = Blueprint("contracts", __name__)


def _own_contract(contract_id: int) -> LabourContract:
    contract = db.session.get(LabourContract, contract_id)
    if contract is None or contract.employer_id != current_user.employer.id:
        abort(404)
    return contract


@bp.route("/employer/contracts")
@roles("employer")
def index():
    return render_template(
        "contracts/index.html", contracts=services.contracts_of_employer(current_user.employer)
    )


@bp.route("/employer/contracts/new", methods=["GET", "POST"])
@roles("employer")
def new():
    """Notify a hire: the person by FIN or account e-mail, and the contract's terms."""
    form = HireForm()
    notified = []
    if form.validate_on_submit():
        if commit_or_show(form, lambda: notified.append(_hire(form)), lambda: _told(notified[0])):
            return redirect(url_for("contracts.index"))
    return render_template("contracts/new.html", form=form)


def _hire(form: HireForm) -> LabourContract:
    employer = current_user.employer
    person = services.person_for_hire(
        form.person.data, form.first_name.data, form.last_name.data, employer
    )
    values = {**form.terms(), "start_date": form.start_date.data}
    return services.notify_hire(current_user, employer, person, values)


def _told(contract: LabourContract) -> str:
    if contract.status == "pending" and services.conflicts(contract):
        return _(
            "This person cannot be hired full-time for these dates; the employment service "
            "will check."
        )
    if contract.status == "pending":
        return _(
            "The contract is recorded. It takes effect once the person or the employment "
            "service confirms it."
        )
    return _("The contract is notified.")


@bp.route("/employer/contracts/<int:contract_id>", methods=["GET", "POST"])
@roles("employer")
def show(contract_id: int):
    """A contract: confirm a draft, change or terminate a running one."""
    contract = _own_contract(contract_id)
    confirm = ConfirmForm(prefix="confirm", obj=contract)
    terms = TermsForm(prefix="terms", obj=contract)
    ending = TerminationForm(prefix="end")
    action = request.form.get("action")
    if request.method == "POST":
        if action == "confirm" and confirm.validate_on_submit():
            values = {**confirm.terms(), "start_date": confirm.start_date.data}
            change = lambda: services.confirm(current_user, contract, values)  # noqa: E731
            if commit_or_show(confirm, change, _("The contract is confirmed.")):
                return redirect(url_for("contracts.show", contract_id=contract.id))
        elif action == "change" and terms.validate_on_submit():
            change = lambda: services.change(current_user, contract, terms.terms())  # noqa: E731
            if commit_or_show(terms, change, _("The change is notified.")):
                return redirect(url_for("contracts.show", contract_id=contract.id))
        elif action == "terminate" and ending.validate_on_submit():
            change = lambda: services.terminate(  # noqa: E731
                current_user, contract, ending.last_day.data, ending.reason.data
            )
            if commit_or_show(ending, change, _("The termination is notified.")):
                return redirect(url_for("contracts.show", contract_id=contract.id))
    return render_template(
        "contracts/show.html", contract=contract, confirm=confirm, terms=terms, ending=ending
    )


@bp.route("/me/work")
@roles("job_seeker")
def mine():
    """My employment status, my contracts and my employment history."""

    person = current_user.person
    return render_template(
        "contracts/mine.html",
        person=person,
        contracts=services.contracts_of_person(person),
        registration=open_registration(person),
        history=services.status_history(person),
        status_events=EVENTS,
    )


@bp.route("/me/work/looking", methods=["POST"])
@roles("job_seeker")
def looking():
    """Say that I am, or am not, looking for work (a job seeker's own status)."""

    event = "started_looking" if request.form.get("looking") == "1" else "stopped_looking"
    commit_or_explain(
        lambda: status.apply(current_user.person, event, current_user),
        _("Your status is saved."),
    )
    return redirect(url_for("contracts.mine"))


def _contract_of_mine(contract_id: int) -> LabourContract:
    contract = db.session.get(LabourContract, contract_id)
    if contract is None or contract.person_id != current_user.person_id:
        abort(404)
    return contract


@bp.route("/me/work/contracts/<int:contract_id>/answer", methods=["POST"])
@roles("job_seeker")
def answer(contract_id: int):
    """The person confirms a contract an employer notified, or says it is not theirs."""
    _answer(_contract_of_mine(contract_id))
    return redirect(url_for("contracts.mine"))


def _answer(contract: LabourContract) -> None:

    if request.form.get("answer") == "confirm":
        commit_or_explain(
            lambda: services.confirm_pending(current_user, contract),
            _("The contract is confirmed."),
        )
    else:
        commit_or_explain(
            lambda: services.refuse_pending(current_user, contract, request.form.get("reason", "")),
            _("The contract is refused; the employer is told."),
        )


@bp.route("/counsellor/contracts")
@roles("counsellor", "admin")
def pending():
    """Contracts awaiting confirmation: from employers the person has no tie with, from
    unverified employers, or in conflict with another contract."""
    return render_template("contracts/pending.html", contracts=services.pending_contracts())


@bp.route("/counsellor/contracts/<int:contract_id>/answer", methods=["POST"])
@roles("counsellor", "admin")
def check(contract_id: int):
    """A counsellor confirms or refuses a pending contract, after checking it."""
    contract = db.session.get(LabourContract, contract_id) or abort(404)
    _answer(contract)
    return redirect(url_for("contracts.pending"))
