"""Alembic's environment for the clinic database: run with the engine backtrack.clinic.db
hands over (never a URL from a file), one transaction per migration run."""

from __future__ import annotations

from alembic import context

from backtrack.clinic.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    context.run_migrations()
