import sqlalchemy as sa

from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.extensions import db


def _users() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_user_create_makes_a_counsellor(runner):
    result = runner.invoke(
        args=[
            "jobmatch",
            "user",
            "create",
            "Leyla@PES.gov.az",
            "--role",
            "counsellor",
            "--password",
            "Məşğulluq 2026",
            "--name",
            " Leyla  Əliyeva ",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created counsellor leyla@pes.gov.az" in result.output
    user = db.session.scalar(sa.select(User))
    assert user.name == user.display_name == "Leyla Əliyeva"
    assert user.role == "counsellor" and user.check_password("Məşğulluq 2026")
    assert db.session.scalar(sa.select(AuditEvent.action)) == "account.created"


def test_user_create_refuses_bad_input_and_saves_nothing(runner):
    weak = runner.invoke(
        args=[
            "jobmatch",
            "user",
            "create",
            "a@pes.gov.az",
            "--role",
            "admin",
            "--password",
            "short",
        ]
    )
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    bad_email = runner.invoke(
        args=[
            "jobmatch",
            "user",
            "create",
            "nobody",
            "--role",
            "admin",
            "--password",
            "Məşğulluq 2026",
        ]
    )
    assert bad_email.exit_code == 1 and "valid e-mail" in bad_email.output
    bad_role = runner.invoke(
        args=[
            "jobmatch",
            "user",
            "create",
            "a@pes.gov.az",
            "--role",
            "boss",
            "--password",
            "Məşğulluq 2026",
        ]
    )
    assert bad_role.exit_code == 2 and "boss" in bad_role.output
    assert _users() == 0


def test_user_create_refuses_a_second_account_for_the_same_address(runner):
    args = [
        "jobmatch",
        "user",
        "create",
        "a@pes.gov.az",
        "--role",
        "admin",
        "--password",
        "Məşğulluq 2026",
    ]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "already exists" in again.output
    assert _users() == 1


def test_seed_demo_without_taxonomy_explains_and_saves_nothing(runner):
    result = runner.invoke(
        args=["jobmatch", "seed", "demo", "--employers", "2", "--vacancies", "2", "--seekers", "2"]
    )
    assert result.exit_code == 1
    assert "flask jobmatch taxonomy load" in result.output
    assert _users() == 0


def test_seed_demo_runs_once_and_prints_the_accounts(runner, app, mini_esco):
    from jobmatch.taxonomy import services

    services.load(mini_esco)
    db.session.commit()
    args = ["jobmatch", "seed", "demo", "--employers", "3", "--vacancies", "10", "--seekers", "10"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "counsellor@demo.jobmatch.az" in first.output
    count = _users()
    second = runner.invoke(args=args)
    assert "already there" in second.output and _users() == count
