"""jobmatch: one window where employers, job seekers and counsellors meet."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from jobmatch.config import PROJECT_ROOT, Config, finalise


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number a database id can be (larger ones are not found,
    rather than overflowing the database's integer)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the application. Without arguments: embedded defaults plus the environment."""
    app = Flask(__name__)
    app.url_map.converters["int"] = IdConverter
    configure(app, config, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_api(app)
    register_security(app)
    register_templating(app)
    register_errorhandlers(app)
    register_commands(app)
    register_jobs(app)
    register_background(app)
    return app


def configure(app: Flask, config, overrides: dict) -> None:
    app.config.from_object(config or Config)
    if config is None:
        app.config.update(Config.from_environment())
    app.config.update(overrides)
    finalise(app.config)


def register_extensions(app: Flask) -> None:
    from jobmatch import models  # noqa: F401  (the whole schema, for Alembic)
    from jobmatch.extensions import babel, csrf, db, limiter, login_manager, migrate
    from jobmatch.i18n import _l, install_in_templates, select_locale

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    babel.init_app(app, locale_selector=select_locale)
    install_in_templates(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(stored_id: str):
        from jobmatch.accounts.services import session_user

        return session_user(stored_id)


def register_jobs(app: Flask) -> None:
    """Each feature's jobs (its tasks.py), into the one registry the queue, the worker, the
    schedule and the admin page read."""
    from jobmatch.tasks.registry import load_jobs

    load_jobs()


def register_background(app: Flask) -> None:
    """Committed changes queue their index jobs; the embedded mode runs the schedule."""
    from jobmatch.extensions import db
    from jobmatch.matching import tracking
    from jobmatch.matching.engine import warm
    from jobmatch.tasks.schedule import start_in_process

    tracking.install(db.session)
    start_in_process(app)
    if not app.testing:  # a serving process loads the model as it starts serving

        @app.before_request
        def _warm() -> None:
            warm(app)


def register_api(app: Flask) -> None:
    """/api/v1 and its OpenAPI document (/api/openapi.json, read at /api/docs). The API's
    views authenticate bearer tokens themselves (jobmatch.api.core), so the site's
    session-based rules mark them public."""
    from jobmatch.api.core import api
    from jobmatch.api.docs import bp as docs
    from jobmatch.api.routes import BLUEPRINTS

    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs)
    for endpoint, view in list(app.view_functions.items()):
        if "_api." in endpoint or endpoint.startswith("api-docs."):
            app.view_functions[endpoint] = _open(view)


def _open(view):
    """A view marked public for the session-based rules (its blueprint checks tokens)."""
    if not hasattr(view, "__func__"):  # a function: mark it
        view.access = frozenset({"public"})
        return view

    def open_view(*args, **kwargs):  # a bound method (the spec's view): wrap it
        return view(*args, **kwargs)

    open_view.access = frozenset({"public"})
    return open_view


def register_blueprints(app: Flask) -> None:
    from jobmatch.accounts.routes import bp as accounts
    from jobmatch.admin.routes import bp as admin
    from jobmatch.contracts.routes import bp as contracts
    from jobmatch.counselling.routes import bp as counselling
    from jobmatch.employers.routes import bp as employers
    from jobmatch.home.routes import bp as home
    from jobmatch.monitoring.routes import bp as monitoring
    from jobmatch.notifications.routes import bp as notifications
    from jobmatch.privacy.routes import bp as privacy
    from jobmatch.seekers.routes import bp as seekers
    from jobmatch.stats.routes import bp as stats
    from jobmatch.training.routes import bp as training
    from jobmatch.vacancies.routes import bp as vacancies

    for blueprint in (
        home,
        accounts,
        seekers,
        employers,
        vacancies,
        counselling,
        admin,
        notifications,
        contracts,
        privacy,
        stats,
        monitoring,
        training,
    ):
        app.register_blueprint(blueprint)


def register_security(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from jobmatch.access import enforce
    from jobmatch.security import check_input, set_security_headers

    if app.config["PROXY_COUNT"]:  # the client's address as the trusted proxies saw it
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    app.before_request(enforce)
    app.before_request(check_input)
    app.after_request(set_security_headers)


def register_templating(app: Flask) -> None:
    from jobmatch.templating import FILTERS, GLOBALS, template_context

    app.jinja_env.globals.update(GLOBALS)
    app.jinja_env.filters.update(FILTERS)
    app.context_processor(template_context)


def register_errorhandlers(app: Flask) -> None:
    from jobmatch.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from jobmatch.cli import jobmatch_cli

    app.cli.add_command(jobmatch_cli)
