"""training interest

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_interest",
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["training_programme.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seeker_id"], ["seeker_profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seeker_id", "programme_id"),
    )


def downgrade():
    op.drop_table("training_interest")
