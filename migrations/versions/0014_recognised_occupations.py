"""recognised occupations

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 16:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    # filled by the index jobs (`flask jobmatch index rebuild` fills it for what exists)
    op.create_table(
        "recognised_occupation",
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupation.id"],
            name=op.f("fk_recognised_occupation_occupation_id_occupation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "entity_type", "entity_id", "occupation_id", name=op.f("pk_recognised_occupation")
        ),
    )
    op.create_index(
        "ix_recognised_occupation_lookup",
        "recognised_occupation",
        ["entity_type", "occupation_id"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_recognised_occupation_lookup", table_name="recognised_occupation")
    op.drop_table("recognised_occupation")
