"""training programmes and referrals

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 18:27:48

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "training_programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum(
                "classroom",
                "online",
                "blended",
                "workplace",
                name="training_mode",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("duration_hours", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_programme")),
        sa.UniqueConstraint("external_id", name=op.f("uq_training_programme_external_id")),
    )
    with op.batch_alter_table("training_programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_programme_region"), ["region"], unique=False)

    op.create_table(
        "training_programme_skill",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programme.id"],
            name=op.f("fk_training_programme_skill_programme_id_training_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"],
            ["skill.id"],
            name=op.f("fk_training_programme_skill_skill_id_skill"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "programme_id", "skill_id", name=op.f("pk_training_programme_skill")
        ),
    )
    op.create_table(
        "training_referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=False),
        sa.Column("seeker_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "referred",
                "enrolled",
                "completed",
                "dropped",
                name="training_referral_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["users.id"], name=op.f("fk_training_referral_counsellor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["training_programme.id"],
            name=op.f("fk_training_referral_programme_id_training_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seeker_id"],
            ["seeker_profile.id"],
            name=op.f("fk_training_referral_seeker_id_seeker_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancy.id"], name=op.f("fk_training_referral_vacancy_id_vacancy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_referral")),
    )
    with op.batch_alter_table("training_referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_referral_counsellor_id"), ["counsellor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_referral_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_referral_seeker_id"), ["seeker_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("training_referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_referral_seeker_id"))
        batch_op.drop_index(batch_op.f("ix_training_referral_programme_id"))
        batch_op.drop_index(batch_op.f("ix_training_referral_counsellor_id"))

    op.drop_table("training_referral")
    op.drop_table("training_programme_skill")
    with op.batch_alter_table("training_programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_programme_region"))

    op.drop_table("training_programme")
