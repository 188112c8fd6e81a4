"""A live jobmatch server on a free local port, and Debian's Chromium driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from jobmatch import create_app
from jobmatch.config import TestConfig
from jobmatch.demo import build_demo
from jobmatch.extensions import db
from jobmatch.taxonomy import services as taxonomy

CHROMIUM = os.environ.get("JOBMATCH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, mini_esco, model_folder):
    """The app with CSRF on, a small demo data set (not indexed yet), served from a thread."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'live.sqlite'}",
        INSTANCE_PATH=str(folder),
        JOBMATCH_MODEL=str(model_folder),
        EMBEDDINGS_PATH=str(folder / "embeddings"),
        WTF_CSRF_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
    )
    with app.app_context():
        db.create_all()
        taxonomy.load(mini_esco)
        build_demo(seed=3, employers=4, vacancies=30, seekers=30)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    """Keep a screenshot of what the test saw (test-artifacts/, not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
