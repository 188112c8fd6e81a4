"""Labour contracts: employers notify, confirm, change and terminate them; each person sees
their own contracts and employment history."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import roles
from jobmatch.contracts import services
from jobmatch.contracts.forms import ConfirmForm, HireForm, TerminationForm, TermsForm
from jobmatch.contracts.models import LabourContract
from jobmatch.contracts.status import EVENTS
from jobmatch.extensions import db
from jobmatch.forms import commit_or_show
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
    if form.validate_on_submit():
        if commit_or_show(form, lambda: _hire(form), _("The contract is notified.")):
            return redirect(url_for("contracts.index"))
    return render_template("contracts/new.html", form=form)


def _hire(form: HireForm) -> None:
    person = services.person_for_hire(form.person.data, form.first_name.data, form.last_name.data)
    values = {**form.terms(), "start_date": form.start_date.data}
    services.notify_hire(current_user, current_user.employer, person, values)


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
    from jobmatch.contracts.registration import open_registration

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
    from jobmatch.contracts import status
    from jobmatch.forms import commit_or_explain

    event = "started_looking" if request.form.get("looking") == "1" else "stopped_looking"
    commit_or_explain(
        lambda: status.apply(current_user.person, event, current_user),
        _("Your status is saved."),
    )
    return redirect(url_for("contracts.mine"))
