"""A person's own page about their data: who viewed it, a copy of it, and deletion."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user

from jobmatch.access import roles
from jobmatch.audit.services import record_access
from jobmatch.database import changes
from jobmatch.i18n import _
from jobmatch.privacy import services

bp = Blueprint("privacy", __name__, url_prefix="/me")


@bp.route("/privacy")
@roles("job_seeker")
def index():
    return render_template("privacy/index.html", viewers=services.viewers(current_user.person))


@bp.route("/data.json")
@roles("job_seeker")
def download():
    """All the person's data, as one JSON file."""
    person = current_user.person
    data = services.export(person)
    record_access(current_user, "person.exported", person, person_id=person.id)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="jobmatch-my-data.json"'},
    )


@bp.route("/delete", methods=["POST"])
@roles("job_seeker")
def delete():
    """Delete my account and profile (after the password and an explicit yes)."""
    if request.form.get("confirm") != "yes" or not current_user.check_password(
        request.form.get("password", "")
    ):
        flash(_("Tick the box and give your password to delete your data."), "error")
        return redirect(url_for("privacy.index"))
    with changes():
        services.anonymise(current_user, current_user.person)
    logout_user()
    flash(_("Your data is deleted. Labour contracts stay as long as the law requires."), "info")
    return redirect(url_for("home.index"))
