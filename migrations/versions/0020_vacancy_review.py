"""vacancies wait for review

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 13:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

OLD_STATUSES = ("draft", "published", "closed", "filled", "expired")
NEW_STATUSES = (*OLD_STATUSES, "review")


def _status_check(statuses) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def upgrade():
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("moderation_note", sa.Text(), server_default="", nullable=False)
        )
        batch_op.drop_constraint(op.f("ck_vacancy_vacancy_status"), type_="check")
        batch_op.create_check_constraint("vacancy_status", _status_check(NEW_STATUSES))


def downgrade():
    op.execute("UPDATE vacancy SET status = 'draft' WHERE status = 'review'")
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vacancy_vacancy_status"), type_="check")
        batch_op.create_check_constraint("vacancy_status", _status_check(OLD_STATUSES))
        batch_op.drop_column("moderation_note")
