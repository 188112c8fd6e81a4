"""application events

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "application_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("interview_at", sa.DateTime(), nullable=True),
        sa.Column("interview_place", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_event_application_id"), ["application_id"], unique=False
        )
    # The history so far: when each application arrived, and where it stands now.
    op.execute(
        "INSERT INTO application_event (application_id, status, created_at, message, "
        "interview_place) SELECT id, 'received', created_at, '', '' FROM application"
    )
    op.execute(
        "INSERT INTO application_event (application_id, status, created_at, message, "
        "interview_place) SELECT id, CAST(status AS VARCHAR(20)), updated_at, '', '' "
        "FROM application WHERE CAST(status AS VARCHAR(20)) <> 'received'"
    )


def downgrade():
    with op.batch_alter_table("application_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_event_application_id"))
    op.drop_table("application_event")
