"""The clinic schema: users (patients and practitioners), invites, each patient's journal
(entries, reps, reactions, settings, outcomes, change log) and the audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Written out, not imported: a migration is history and must not change with the code.
DATES = "date BETWEEN '1900-01-01' AND '2261-12-31'"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subject", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), server_default="", nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('patient', 'practitioner')", name="users_role"),
    )
    op.create_table(
        "patients",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("practitioner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("prescription", sa.Text(), nullable=True),
    )
    op.create_index("ix_patients_practitioner_id", "patients", ["practitioner_id"])
    op.create_table(
        "invites",
        sa.Column("code_hash", sa.Text(), primary_key=True),
        sa.Column(
            "practitioner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
    )
    patient = {"ondelete": "CASCADE"}
    op.create_table(
        "entries",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column(
            "patient_id", sa.Integer(), sa.ForeignKey("patients.user_id", **patient), nullable=False
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("slot", sa.Text(), nullable=False),
        sa.Column("pain", sa.SmallInteger(), nullable=False),
        sa.Column("leg_pain", sa.SmallInteger(), nullable=True),
        sa.Column("flags", sa.Text(), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("patient_id", "date", "slot", name="entries_one_per_slot"),
        sa.CheckConstraint(DATES, name="entries_date"),
        sa.CheckConstraint("slot IN ('morning', 'evening')", name="entries_slot"),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name="entries_pain"),
        sa.CheckConstraint(
            "leg_pain IS NULL OR leg_pain BETWEEN 0 AND 10", name="entries_leg_pain"
        ),
    )
    entry = {"ondelete": "CASCADE"}
    op.create_table(
        "entry_reps",
        sa.Column(
            "entry_id", sa.BigInteger(), sa.ForeignKey("entries.id", **entry), primary_key=True
        ),
        sa.Column("exercise_id", sa.Text(), primary_key=True),
        sa.Column("reps", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint("reps BETWEEN 1 AND 100", name="entry_reps_reps"),
    )
    op.create_table(
        "entry_reactions",
        sa.Column(
            "entry_id", sa.BigInteger(), sa.ForeignKey("entries.id", **entry), primary_key=True
        ),
        sa.Column("exercise_id", sa.Text(), primary_key=True),
        sa.Column("reaction", sa.Text(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patients.user_id", **patient),
            primary_key=True,
        ),
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "outcomes",
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patients.user_id", **patient),
            primary_key=True,
        ),
        sa.Column("date", sa.Date(), primary_key=True),
        sa.Column("measure", sa.Text(), primary_key=True),
        sa.Column("item", sa.SmallInteger(), primary_key=True),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("label", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("measure IN ('psfs', 'pgic')", name="outcomes_measure"),
        sa.CheckConstraint("item BETWEEN 1 AND 5", name="outcomes_item"),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="outcomes_score"),
        sa.CheckConstraint(DATES, name="outcomes_date"),
    )
    op.create_table(
        "changes",
        sa.Column(
            "patient_id", sa.Integer(), sa.ForeignKey("patients.user_id", **patient), nullable=False
        ),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("slot", sa.Text(), nullable=True),
    )
    op.create_index("changes_by_revision", "changes", ["patient_id", "revision"])
    op.create_table(
        "audit",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
    )
    op.create_index("audit_by_patient", "audit", ["patient_id", "at"])


def downgrade() -> None:
    for table in (
        "audit",
        "changes",
        "outcomes",
        "settings",
        "entry_reactions",
        "entry_reps",
        "entries",
        "invites",
        "patients",
        "users",
    ):
        op.drop_table(table)
