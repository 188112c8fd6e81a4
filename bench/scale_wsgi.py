"""The app as the scale benchmark serves it with gunicorn: production settings from the
environment, with the per-client rate limits lifted (16 simulated users share one
address and would otherwise be refused)."""

from jobmatch import create_app

UNLIMITED = "1000000 per minute"

app = create_app(
    None,
    LOGIN_RATE_LIMIT=UNLIMITED,
    LOGIN_ACCOUNT_RATE_LIMIT=UNLIMITED,
    API_RATE_LIMIT=UNLIMITED,
)
