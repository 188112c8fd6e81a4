"""match decisions and saved searches

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 17:19:00.520338

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("alerts", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("announced", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_saved_search_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_search_user_id"), ["user_id"], unique=False)

    op.create_table(
        "match_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "hidden",
                "promoted",
                name="match_decision_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_match_decision_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seeker_profile.id"],
            name=op.f("fk_match_decision_seeker_id_seeker_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancy.id"],
            name=op.f("fk_match_decision_vacancy_id_vacancy"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_decision")),
        sa.UniqueConstraint("seeker_id", "vacancy_id", name=op.f("uq_match_decision_seeker_id")),
    )
    with op.batch_alter_table("match_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_match_decision_seeker_id"), ["seeker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_decision_vacancy_id"), ["vacancy_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("match_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_decision_vacancy_id"))
        batch_op.drop_index(batch_op.f("ix_match_decision_seeker_id"))

    op.drop_table("match_decision")
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_user_id"))

    op.drop_table("saved_search")
