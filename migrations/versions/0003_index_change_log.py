"""index change log; vacancies can expire

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_STATUSES = ("draft", "published", "closed", "filled")
NEW_STATUSES = (*OLD_STATUSES, "expired")


def _status_check(statuses) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def upgrade():
    op.create_table(
        "index_change",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_index_change")),
    )
    with op.batch_alter_table("index_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_index_change_entity_position", ["entity_type", "model", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_index_change_created_at"), ["created_at"])

    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vacancy_vacancy_status"), type_="check")
        batch_op.create_check_constraint("vacancy_status", _status_check(NEW_STATUSES))


def downgrade():
    op.execute("UPDATE vacancy SET status = 'closed' WHERE status = 'expired'")
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vacancy_vacancy_status"), type_="check")
        batch_op.create_check_constraint("vacancy_status", _status_check(OLD_STATUSES))

    with op.batch_alter_table("index_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_change_created_at"))
        batch_op.drop_index("ix_index_change_entity_position")
    op.drop_table("index_change")
