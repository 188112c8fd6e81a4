"""A live jobmatch server on a free local port, and Debian's Chromium driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.demo.build import build_demo
from jobmatch.extensions import db
from jobmatch.taxonomy import services as taxonomy

CHROMIUM = os.environ.get("JOBMATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERVED = []  # the live applications, so a test can read what they e-mailed


def fill_vacancy(page, title: str, description: str, region: str, pay_from: int, pay_to=None):
    """The vacancy form's main fields, as an employer fills them in."""
    page.get_by_label("Job title").fill(title)
    page.get_by_label("Description").fill(description)
    page.get_by_label("Region").select_option(region)
    page.get_by_label("Monthly salary from (AZN)").fill(str(pay_from))
    if pay_to is not None:
        page.get_by_label("Monthly salary up to (AZN)").fill(str(pay_to))


def confirm_address(page, address: str) -> None:
    """Open the confirmation link a live server e-mailed to the address, as the person would
    from their mailbox, and press its button."""
    page.goto(mailed_link(address, "/register/confirm/"))
    page.get_by_role("button", name="Confirm and continue").click()


def mailed_link(address: str, path: str) -> str:
    """The newest link starting with `path` that a live server e-mailed to the address."""
    import re

    import sqlalchemy as sa

    from jobmatch.notifications.models import OutboxMessage

    body = None
    for app in SERVED:
        with app.app_context():
            body = body or db.session.scalar(
                sa.select(OutboxMessage.body)
                .where(OutboxMessage.to_address == address)
                .order_by(OutboxMessage.id.desc())
                .limit(1)
            )
            db.session.remove()
    assert body, f"no e-mail was sent to {address}"
    return re.search(f"({re.escape(path)}\\S+)", body).group(1)


class _Whole:
    """Hands the test server whole bodies: when the browser drops a connection (a page left
    while its stylesheet loads), werkzeug's development server leaves a streamed file open."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return [body]


def _serve(folder: Path, mini_esco, model_folder, indexed: bool, **demo):
    """The app with CSRF on and a demo data set, served from a thread: (url, server)."""
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'live.sqlite'}",
        INSTANCE_PATH=str(folder),
        JOBMATCH_MODEL=str(model_folder),
        EMBEDDINGS_PATH=str(folder / "embeddings"),
        WTF_CSRF_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        INDEX_ON_COMMIT=indexed,  # from the start, changes are indexed as in production
    )
    with app.app_context():
        db.create_all()
        taxonomy.load(mini_esco)
        build_demo(**demo)
        import sqlalchemy as sa

        from jobmatch.accounts.models import User

        # The demo's people each use their own language; the tests start in English.
        db.session.execute(sa.update(User).values(locale="en"))
        db.session.commit()
        from jobmatch.stats.tasks import compute_statistics

        compute_statistics()  # as the hourly job has on a running site
        if indexed:
            from jobmatch.matching import services

            for entity in ("vacancy", "seeker"):
                services.sync(entity)
    SERVED.append(app)
    server = make_server("127.0.0.1", 0, _Whole(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, mini_esco, model_folder):
    """A small demo data set, not indexed yet (the admin's journey indexes it)."""
    folder = tmp_path_factory.mktemp("live")
    url, server = _serve(
        folder, mini_esco, model_folder, False, seed=3, employers=4, vacancies=30, seekers=30
    )
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def indexed_server(tmp_path_factory, mini_esco, model_folder):
    """A demo data set with its matches ready, where every change is indexed on commit."""
    folder = tmp_path_factory.mktemp("indexed")
    url, server = _serve(
        folder, mini_esco, model_folder, True, seed=7, employers=4, vacancies=40, seekers=40
    )
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: install it with "
            "'apt-get install -y chromium' or set JOBMATCH_CHROMIUM.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def _context(browser, url: str, **options):
    # bypass_csp lets the tests inject the accessibility checker into pages whose policy
    # allows only the site's own scripts.
    return browser.new_context(
        base_url=url, viewport={"width": 1280, "height": 900}, bypass_csp=True, **options
    )


@pytest.fixture
def page(browser, live_server):
    context = _context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def journey(browser, indexed_server):
    """A page on the indexed server."""
    context = _context(browser, indexed_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, indexed_server):
    """A phone-sized page on the indexed server."""
    context = browser.new_context(
        base_url=indexed_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    yield context.new_page()
    context.close()


def accessible(page, name: str = "") -> None:
    """Run axe-core's WCAG 2.1 A and AA rules on the page; fail on any violation."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core is not installed at {AXE}: run 'npm ci --prefix tests/e2e' "
            "(make test does).",
            pytrace=False,
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    assert not result, f"accessibility problems on {name or page.url}: {result}"


def shot(page, name: str) -> None:
    """Keep a screenshot of what the test saw (test-artifacts/, not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
