from flask import Blueprint, abort, render_template
from flask_login import current_user

from jobmatch.access import STAFF, roles
from jobmatch.audit.services import record
from jobmatch.counselling import services
from jobmatch.extensions import db

bp = Blueprint("counselling", __name__, url_prefix="/counsellor")


@bp.route("/")
@roles("counsellor")
def caseload():
    page = db.paginate(services.caseload(current_user), per_page=25, max_per_page=100)
    return render_template("counselling/caseload.html", page=page)


@bp.route("/seekers/<int:seeker_id>")
@roles(*STAFF)
def seeker(seeker_id: int):
    profile = services.get_seeker(seeker_id) or abort(404)
    record(current_user, "person.viewed", profile, person_id=profile.person_id)
    db.session.commit()
    return render_template("counselling/seeker.html", profile=profile, person=profile.person)
