"""cv files

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 12:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cv_file",
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["seeker_id"], ["seeker_profile.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seeker_id"),
    )


def downgrade():
    op.drop_table("cv_file")
