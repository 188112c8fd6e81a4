"""account sessions, employer verification, pending contracts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_STATUSES = ("draft", "active", "terminated")
NEW_STATUSES = ("draft", "pending", "rejected", "active", "terminated")


def _status_check(codes) -> str:
    return "status IN (" + ", ".join(f"'{c}'" for c in codes) + ")"


def upgrade():
    op.create_table(
        "account_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_session_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_account_session_key_hash")),
    )
    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_session_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "verification_evidence",
                sa.Enum(
                    "document",
                    "contract",
                    name="employer_verification_evidence",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("verification_note", sa.Text(), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_employer_verified_by_id_users"),
            "users",
            ["verified_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # Contracts notified by strangers wait as "pending"; the person may refuse them.
    with op.batch_alter_table("labour_contract", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_labour_contract_contract_status"), type_="check")
        batch_op.create_check_constraint("contract_status", _status_check(NEW_STATUSES))


def downgrade():
    with op.batch_alter_table("labour_contract", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_labour_contract_contract_status"), type_="check")
        batch_op.create_check_constraint("contract_status", _status_check(OLD_STATUSES))

    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_employer_verified_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(
            op.f("ck_employer_employer_verification_evidence"), type_="check"
        )
        batch_op.drop_column("verification_note")
        batch_op.drop_column("verification_evidence")
        batch_op.drop_column("verified_by_id")
        batch_op.drop_column("verified_at")

    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_session_user_id"))

    op.drop_table("account_session")
