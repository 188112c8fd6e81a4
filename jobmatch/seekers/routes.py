from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.utils import secure_filename

from jobmatch.access import roles
from jobmatch.alerts.services import delete_search as forget
from jobmatch.alerts.services import get_search, searches_of, set_alerts
from jobmatch.contracts import registration as registry
from jobmatch.database import changes
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain, commit_or_show
from jobmatch.i18n import _
from jobmatch.matching.filters import VacancyFilter
from jobmatch.reference import regions_within
from jobmatch.seekers import services
from jobmatch.seekers.cv import extract_text, kind_of, send_cv
from jobmatch.seekers.forms import EducationForm, ExperienceForm, ProfileForm
from jobmatch.seekers.models import CvFile
from jobmatch.seekers.recommend import recommendations
from jobmatch.seekers.services import applications_of
from jobmatch.vacancies.models import Application
from jobmatch.vacancies.services import WITHDRAWABLE, withdraw_application
from jobmatch.validation import InvalidInput, as_id

bp = Blueprint("seekers", __name__, url_prefix="/seeker")


@bp.route("/")
@roles("job_seeker")
def home():
    person = current_user.person
    profile = person.seeker_profile
    return render_template(
        "seekers/home.html",
        person=person,
        profile=profile,
        applications=applications_of(profile),
        withdrawable=WITHDRAWABLE,
    )


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@roles("job_seeker")
def withdraw(application_id: int):
    """Take an application back; the employer sees it withdrawn."""
    application = db.session.get(Application, application_id)
    if application is None or application.seeker_id != current_user.person.seeker_profile.id:
        abort(404)
    commit_or_explain(
        lambda: withdraw_application(application, current_user),
        _("Your application to “%(title)s” is withdrawn.", title=application.vacancy.title),
    )
    return redirect(url_for("seekers.home", _anchor="applications"))


@bp.route("/profile", methods=["GET", "POST"])
@roles("job_seeker")
def profile():
    """Step 1: the work sought, where, languages, conditions and consents."""

    person = current_user.person
    profile = person.seeker_profile
    form = ProfileForm(data=_profile_data(person, profile))
    if form.validate_on_submit():
        values = {name: form[name].data for name in (*form.PERSON, *form.PROFILE)}
        values.update(
            disability=form.disability.data, consent_disability=form.consent_disability.data
        )
        if commit_or_show(form, lambda: services.save_profile(profile, values)):
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("seekers.cv" if not profile.cv_text else "seekers.home"))
    return render_template("seekers/profile.html", form=form, profile=profile)


def _profile_data(person, profile) -> dict:

    data = {name: getattr(person, name) for name in ProfileForm.PERSON}
    data.update({name: getattr(profile, name) for name in ProfileForm.PROFILE})
    data["disability"] = {True: "yes", False: "no"}.get(person.disability, "")
    data["consent_disability"] = person.disability_consent_at is not None
    return data


@bp.route("/history", methods=["GET", "POST"])
@roles("job_seeker")
def history():
    """Step 4: jobs held and education, each added or removed one at a time."""

    profile = current_user.person.seeker_profile
    editing = _own_job(profile, request.values.get("edit") or request.form.get("job_id"))
    found = services.jobs_in_cv(profile)
    taken = as_id(request.args.get("take", ""))
    offered = found[taken - 1] if taken and taken <= len(found) else None
    if request.method == "GET" and (editing or offered):  # the form, filled in to check
        job = ExperienceForm(prefix="job", obj=editing, data=offered)
    else:
        job = ExperienceForm(prefix="job")
    school = EducationForm(prefix="school")
    if request.method == "POST":
        kind = request.form.get("add", "")
        if kind == "experience" and job.validate_on_submit():
            if commit_or_show(job, lambda: services.add_experience(profile, job.data, editing)):
                flash(
                    _("The job is changed.") if editing else _("The job is added to your profile."),
                    "success",
                )
                return redirect(url_for("seekers.history"))
        elif kind == "education" and school.validate_on_submit():
            if commit_or_show(school, lambda: services.add_education(profile, school.data)):
                flash(_("The education is added to your profile."), "success")
                return redirect(url_for("seekers.history"))
    return render_template(
        "seekers/history.html",
        profile=profile,
        job=job,
        school=school,
        editing=editing,
        found=found,
    )


def _own_job(profile, job_id):
    """One of the profile's jobs by id (from the page); None when no id was given. Another
    person's job is not found."""
    if not job_id:
        return None
    job = next((e for e in profile.experiences if e.id == as_id(str(job_id))), None)
    return job or abort(404)


@bp.route("/history/remove", methods=["POST"])
@roles("job_seeker")
def remove_history():

    profile = current_user.person.seeker_profile
    entry = request.form.get("id", "")
    commit_or_explain(
        lambda: services.remove_entry(profile, request.form.get("kind", ""), as_id(entry) or 0),
        _("Removed from your profile."),
    )
    return redirect(url_for("seekers.history"))


@bp.route("/skills", methods=["GET", "POST"])
@roles("job_seeker")
def skills():
    """Confirm or edit the occupations and skills recognised in the profile."""
    profile = current_user.person.seeker_profile
    form = FlaskForm()
    if form.validate_on_submit():
        others = [line for line in request.form.get("other_skills", "").splitlines()]
        try:
            with changes():  # the commit queues the profile's index job
                services.save_skills(
                    profile,
                    _ids(request.form.getlist("skill")),
                    _ids(request.form.getlist("occupation")),
                    others,
                )
        except InvalidInput as error:
            flash(error.message, "error")
        else:
            flash(_("Your skills are saved. Your matches will follow them."), "success")
            if not (profile.experiences or profile.educations):
                return redirect(url_for("seekers.history"))
            return redirect(url_for("seekers.home"))
    return render_template(
        "seekers/skills.html",
        form=form,
        profile=profile,
        suggestions=services.skill_suggestions(profile),
        other_links=services.other_skill_links(profile),
    )


@bp.route("/cv", methods=["GET", "POST"])
@roles("job_seeker")
def cv():
    """Upload a CV (PDF, DOCX, TXT) or write it; then confirm what was recognised in it."""

    profile = current_user.person.seeker_profile
    form = FlaskForm()
    if form.validate_on_submit():
        upload = request.files.get("cv_file")
        try:
            data = kind = None
            if upload is not None and upload.filename:
                data = upload.stream.read(current_app.config["CV_MAX_BYTES"] + 1)
                text = extract_text(data, upload.filename, current_app.config["CV_MAX_BYTES"])
                kind = kind_of(data, upload.filename)
                filename = secure_filename(upload.filename) or f"cv.{kind}"
            else:
                text, filename = request.form.get("cv_text", ""), None
            with changes():  # the commit queues the profile's index job
                services.save_cv(profile, text, filename, data, kind)
        except InvalidInput as error:
            flash(error.message, "error")
        else:
            words = len(profile.cv_text.split())
            flash(
                _(
                    "We read %(words)d words from your CV. Check the occupations and skills "
                    "we found in it.",
                    words=words,
                ),
                "success",
            )
            return redirect(url_for("seekers.skills"))
    return render_template(
        "seekers/cv.html",
        form=form,
        profile=profile,
        has_file=db.session.get(CvFile, profile.id) is not None,
        max_mb=current_app.config["CV_MAX_BYTES"] // (1024 * 1024),
    )


@bp.route("/cv/file")
@roles("job_seeker")
def cv_file():
    """The CV file the person uploaded, as they uploaded it."""
    return send_cv(current_user.person.seeker_profile)


@bp.route("/profile/print")
@roles("job_seeker")
def printable():
    """The profile on one clean page, to print or save as PDF for an interview."""
    person = current_user.person
    return render_template("seekers/print.html", person=person, profile=person.seeker_profile)


@bp.route("/matches")
@roles("job_seeker")
def matches():
    """The open vacancies that fit the profile best, each with its why."""

    profile = current_user.person.seeker_profile
    region = current_user.person.region
    within = request.args.get("within", "")
    if within not in DISTANCES or not region:
        within = ""
    flt = None
    if within:
        flt = VacancyFilter(regions=regions_within(region, DISTANCES[within]))
    return render_template(
        "seekers/matches.html",
        profile=profile,
        result=recommendations(profile, k=20, flt=flt, shown_to=current_user),
        within=within,
        distances=DISTANCES,
        region=region,
    )


# How far from their region a person may ask their matches to be (km; 0: the region only).
DISTANCES = {"region": 0, "100": 100, "200": 200}


@bp.route("/registration", methods=["GET", "POST"])
@roles("job_seeker")
def registration():
    """Register as unemployed, with the documents at hand; a counsellor is assigned."""

    person = current_user.person
    if request.method == "POST":
        documents = request.form.getlist("documents")
        if commit_or_explain(
            lambda: registry.register(current_user, person, documents),
            _("You are registered as unemployed. Your counsellor will contact you."),
        ):
            return redirect(url_for("contracts.mine"))
    return render_template(
        "seekers/registration.html",
        person=person,
        current=registry.open_registration(person),
        documents=registry.DOCUMENTS,
        required=registry.REQUIRED,
    )


@bp.route("/searches")
@roles("job_seeker")
def searches():

    return render_template("seekers/searches.html", searches=searches_of(current_user))


@bp.route("/searches/<int:search_id>/alerts", methods=["POST"])
@roles("job_seeker")
def search_alerts(search_id: int):

    row = get_search(current_user, search_id) or abort(404)
    on = request.form.get("alerts") == "1"
    commit_or_explain(
        lambda: set_alerts(row, on),
        _("Alerts are on for “%(name)s”.", name=row.name)
        if on
        else _("Alerts are off for “%(name)s”.", name=row.name),
    )
    return redirect(url_for("seekers.searches"))


@bp.route("/searches/<int:search_id>/delete", methods=["POST"])
@roles("job_seeker")
def delete_search(search_id: int):

    row = get_search(current_user, search_id) or abort(404)
    name = row.name
    commit_or_explain(lambda: forget(row), _("The search “%(name)s” is deleted.", name=name))
    return redirect(url_for("seekers.searches"))


def _ids(values: list[str]) -> list[int]:
    return [as_id(v) for v in values if as_id(v)]
