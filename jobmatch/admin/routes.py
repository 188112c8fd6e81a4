from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import roles
from jobmatch.accounts.models import User
from jobmatch.accounts.services import set_active
from jobmatch.admin import services
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.reference import ROLES
from jobmatch.validation import InvalidInput

bp = Blueprint("admin", __name__, url_prefix="/admin")


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
    try:
        set_active(current_user, user, request.form.get("active") == "1")
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The account of %(email)s is updated.", email=user.email), "success")
    return redirect(url_for("admin.index"))
