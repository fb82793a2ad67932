"""The clinic database's tables (SQLAlchemy Core). Alembic migrations create them; this
module is what the queries are written against, and must match the latest migration
(tests/lib/clinic/test_migrations.py compares the two)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)

from backtrack.entries import EARLIEST_DATE, SLOTS
from backtrack.store import LATEST_HELD

metadata = MetaData()

ROLES = ("patient", "practitioner")
# What a practitioner did with a patient's data, and what a patient did with their own:
# the audit log's vocabulary (the patient reads these words on their Data page).
AUDIT_ACTIONS: dict[str, str] = {
    "summary": "saw your status in their patient list",
    "progress": "viewed your Progress page",
    "report": "viewed your Report",
    "prescription": "changed your prescription",
    "export": "exported the journal",
    "delete": "deleted the journal",
}
_DATES = f"date BETWEEN '{EARLIEST_DATE.isoformat()}' AND '{LATEST_HELD.isoformat()}'"
_SLOTS = "slot IN (" + ", ".join(f"'{s}'" for s in SLOTS) + ")"

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject", Text, nullable=False, unique=True),  # the OIDC provider's "sub"
    Column("name", Text, nullable=False, server_default=""),
    Column("role", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('patient', 'practitioner')", name="users_role"),
)

patients = Table(
    "patients",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("practitioner_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    # Bumped by every write to this journal: the key of its cached frames.
    Column("revision", BigInteger, nullable=False, server_default="0"),
    Column("prescription", Text),  # JSON (backtrack.prescription), None: the programme's
    # The revision of the latest write that changed anything but entries (None: not yet
    # recorded): the key of cached settings, answers and prescription (migration 0002).
    Column("other_revision", BigInteger),
)

invites = Table(
    "invites",
    metadata,
    Column("code_hash", Text, primary_key=True),  # sha256 of the code: never the code
    Column("practitioner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("redeemed_at", DateTime(timezone=True)),
)

entries = Table(
    "entries",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column(
        "patient_id", Integer, ForeignKey("patients.user_id", ondelete="CASCADE"), nullable=False
    ),
    Column("date", Date, nullable=False),
    Column("slot", Text, nullable=False),
    Column("pain", SmallInteger, nullable=False),
    Column("leg_pain", SmallInteger),
    Column("flags", Text, nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("patient_id", "date", "slot", name="entries_one_per_slot"),
    CheckConstraint(_DATES, name="entries_date"),
    CheckConstraint(_SLOTS, name="entries_slot"),
    CheckConstraint("pain BETWEEN 0 AND 10", name="entries_pain"),
    CheckConstraint("leg_pain IS NULL OR leg_pain BETWEEN 0 AND 10", name="entries_leg_pain"),
)

entry_reps = Table(
    "entry_reps",
    metadata,
    Column("entry_id", BigInteger, ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise_id", Text, primary_key=True),
    Column("reps", SmallInteger, nullable=False),
    CheckConstraint("reps BETWEEN 1 AND 100", name="entry_reps_reps"),
)

entry_reactions = Table(
    "entry_reactions",
    metadata,
    Column("entry_id", BigInteger, ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise_id", Text, primary_key=True),
    Column("reaction", Text, nullable=False),
    Column("position", SmallInteger, nullable=False),  # the order they were answered in
)

settings = Table(
    "settings",
    metadata,
    Column(
        "patient_id", Integer, ForeignKey("patients.user_id", ondelete="CASCADE"), primary_key=True
    ),
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

outcomes = Table(
    "outcomes",
    metadata,
    Column(
        "patient_id", Integer, ForeignKey("patients.user_id", ondelete="CASCADE"), primary_key=True
    ),
    Column("date", Date, primary_key=True),
    Column("measure", Text, primary_key=True),
    Column("item", SmallInteger, primary_key=True),
    Column("score", SmallInteger, nullable=False),
    Column("label", Text, nullable=False, server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("measure IN ('psfs', 'pgic')", name="outcomes_measure"),
    CheckConstraint("item BETWEEN 1 AND 5", name="outcomes_item"),
    CheckConstraint("score BETWEEN 0 AND 10", name="outcomes_score"),
    CheckConstraint(_DATES, name="outcomes_date"),
)

# Which (date, slot) each write touched, so a cached frame is patched rather than reloaded
# (as JournalStore's changes table); each write also leaves a marker row (date NULL).
changes = Table(
    "changes",
    metadata,
    Column(
        "patient_id", Integer, ForeignKey("patients.user_id", ondelete="CASCADE"), nullable=False
    ),
    Column("revision", BigInteger, nullable=False),
    Column("date", Date),
    Column("slot", Text),
    Index("changes_by_revision", "patient_id", "revision"),
)

# Who did what with whose journal, and when. No foreign keys: the record outlives a
# deleted journal and says it was deleted.
audit = Table(
    "audit",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer, nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("patient_id", Integer, nullable=False),
    Column("action", Text, nullable=False),
    Index("audit_by_patient", "patient_id", "at"),
)
