from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from jobmatch.access import roles
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.seekers import services
from jobmatch.seekers.services import applications_of
from jobmatch.validation import InvalidInput

bp = Blueprint("seekers", __name__, url_prefix="/seeker")


@bp.route("/")
@roles("job_seeker")
def home():
    person = current_user.person
    profile = person.seeker_profile
    return render_template(
        "seekers/home.html", person=person, profile=profile, applications=applications_of(profile)
    )


@bp.route("/skills", methods=["GET", "POST"])
@roles("job_seeker")
def skills():
    """Confirm or edit the occupations and skills recognised in the profile."""
    profile = current_user.person.seeker_profile
    form = FlaskForm()
    if form.validate_on_submit():
        others = [line for line in request.form.get("other_skills", "").splitlines()]
        try:
            services.save_skills(
                profile,
                _ids(request.form.getlist("skill")),
                _ids(request.form.getlist("occupation")),
                others,
            )
        except InvalidInput as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()  # queues the profile's index job
            flash(_("Your skills are saved. Your matches will follow them."), "success")
            return redirect(url_for("seekers.home"))
    return render_template(
        "seekers/skills.html",
        form=form,
        profile=profile,
        suggestions=services.skill_suggestions(profile),
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]
