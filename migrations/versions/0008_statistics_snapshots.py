"""statistics snapshots

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 18:20:24

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statistics_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_snapshot")),
    )
    with op.batch_alter_table("statistics_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statistics_snapshot_computed_at"), ["computed_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("statistics_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_snapshot_computed_at"))

    op.drop_table("statistics_snapshot")
