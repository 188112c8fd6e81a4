"""french skill labels

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:05:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    # filled by `flask jobmatch taxonomy load` from the vendored ESCO files
    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label_fr", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("alt_labels_fr", sa.Text(), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("skill", schema=None) as batch_op:
        batch_op.drop_column("alt_labels_fr")
        batch_op.drop_column("label_fr")
