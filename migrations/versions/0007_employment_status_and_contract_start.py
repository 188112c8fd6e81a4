"""each person's employment status; whether a contract has begun

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 18:01:05

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATUSES = ("employed", "registered_unemployed", "job_seeker", "inactive")


def upgrade():
    with op.batch_alter_table("labour_contract", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("began", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "employment_status",
                sa.String(length=32),
                server_default="job_seeker",
                nullable=False,
            )
        )
        batch_op.create_check_constraint(
            "person_employment_status",
            "employment_status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")",
        )
        batch_op.create_index(
            batch_op.f("ix_person_employment_status"), ["employment_status"], unique=False
        )
    # What the records already say: a running contract, an open registration, a profile.
    op.execute(
        "UPDATE labour_contract SET began = TRUE "
        "WHERE status = 'active' AND start_date <= CURRENT_DATE"
    )
    op.execute(
        "UPDATE person SET employment_status = 'inactive' "
        "WHERE id NOT IN (SELECT person_id FROM seeker_profile)"
    )
    op.execute(
        "UPDATE person SET employment_status = 'registered_unemployed' WHERE id IN "
        "(SELECT person_id FROM unemployment_registration WHERE status = 'active')"
    )
    op.execute(
        "UPDATE person SET employment_status = 'employed' WHERE id IN "
        "(SELECT person_id FROM labour_contract WHERE began = TRUE AND status = 'active')"
    )


def downgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_employment_status"))
        batch_op.drop_constraint(op.f("ck_person_person_employment_status"), type_="check")
        batch_op.drop_column("employment_status")
    with op.batch_alter_table("labour_contract", schema=None) as batch_op:
        batch_op.drop_column("began")
