"""when a seeker's CV was last uploaded

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("seeker_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cv_uploaded_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("seeker_profile", schema=None) as batch_op:
        batch_op.drop_column("cv_uploaded_at")
