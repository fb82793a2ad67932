"""Each journal's other revision: the revision of the latest write that changed anything
but entries (a setting, an outcome answer, the prescription), so a patient's cached
settings and answers survive an entry save. NULL (a journal from before): every write
counts as changing everything until the next such write.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("other_revision", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("patients", "other_revision")
