"""A clinic administrator's commands: python -m backtrack.clinic migrate|add-practitioner|invite.

The database is $BACKTRACK_DATABASE_URL (or --database-url). The first practitioner is
added here: nobody can make themselves a practitioner from the app.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from backtrack.clinic.accounts import INVITE_DAYS, AccessDenied, add_practitioner, create_invite
from backtrack.clinic.db import ClinicConfigError, make_engine, migrate, schema_current
from backtrack.modes import DATABASE_URL_ENV, database_url

EXIT_BAD_INPUT = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backtrack.clinic", description=__doc__)
    parser.add_argument("--database-url", help=f"postgresql://... (default: ${DATABASE_URL_ENV})")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the clinic database up to the latest schema")
    add = sub.add_parser("add-practitioner", help="let a login use BackTrack as a practitioner")
    add.add_argument("subject", help="their 'sub' at the login provider (OIDC subject)")
    add.add_argument("--name", required=True, help="as patients will read it, e.g. 'Dr Ames'")
    invite = sub.add_parser("invite", help="print a new invite code from a practitioner")
    invite.add_argument("subject", help="the practitioner's 'sub' (as given to add-practitioner)")
    invite.add_argument("--days", type=int, default=INVITE_DAYS, help="how long it works")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = args.database_url or database_url()
    if not url:
        print(f"error: no database: set {DATABASE_URL_ENV} or give --database-url", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        engine = make_engine(url)
        if args.command == "migrate":
            migrate(engine)
            print("The clinic database is at the latest schema.")
            return 0
        if not schema_current(engine):
            print("error: the database is not at the latest schema: run "
                  "'python -m backtrack.clinic migrate' first", file=sys.stderr)  # fmt: skip
            return EXIT_BAD_INPUT
        if args.command == "invite":
            code = create_invite(engine, args.subject, datetime.now(UTC), args.days)
            print(f"{code}  (works once, for {args.days} days)")
            return 0
        add_practitioner(engine, args.subject, args.name, datetime.now(UTC))
        print(f"{args.name} ({args.subject}) can now sign in as a practitioner.")
        return 0
    except (ClinicConfigError, ValueError, AccessDenied) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"error: cannot reach the clinic database ({reason})", file=sys.stderr)
        return EXIT_BAD_INPUT
