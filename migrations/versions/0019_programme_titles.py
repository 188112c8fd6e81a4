"""programme titles

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 13:15:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_title",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["training_programme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("programme_id", "language"),
    )
    with op.batch_alter_table("programme_title", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_title_title"), ["title"], unique=False)


def downgrade():
    with op.batch_alter_table("programme_title", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_title_title"))
    op.drop_table("programme_title")
