"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

from jobmatch import create_app

app = create_app()
