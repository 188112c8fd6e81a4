"""/api/docs: the OpenAPI document as a page (no script, no CDN)."""

from flask import Blueprint, current_app, render_template

from jobmatch.access import public
from jobmatch.api.core import api
from jobmatch.api.tokens import SCOPES

bp = Blueprint("api_docs", __name__)


def _scopes() -> dict[tuple[str, str], str]:
    """(path, method) -> the scope the operation needs."""
    found = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        view = current_app.view_functions[rule.endpoint]
        cls = getattr(view, "view_class", None)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            handler = getattr(cls, method.lower(), None) if cls else view
            path = rule.rule.replace("<int:", "{").replace(">", "}")
            found[(path, method.lower())] = getattr(handler, "api_scope", "")
    return found


@bp.route("/api/docs")
@public
def index():

    spec = api.spec.to_dict()
    return render_template("api/docs.html", spec=spec, scopes=_scopes(), scope_names=SCOPES)
