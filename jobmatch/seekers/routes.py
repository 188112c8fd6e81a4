from flask import Blueprint, render_template
from flask_login import current_user

from jobmatch.access import roles
from jobmatch.seekers.services import applications_of

bp = Blueprint("seekers", __name__, url_prefix="/seeker")


@bp.route("/")
@roles("job_seeker")
def home():
    person = current_user.person
    profile = person.seeker_profile
    return render_template(
        "seekers/home.html", person=person, profile=profile, applications=applications_of(profile)
    )
