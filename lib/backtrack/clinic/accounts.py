"""Who may use the clinic database: practitioners (the first one added from the command
line) and patients (who join by redeeming a practitioner's invite code, once, before it
expires). A person is known by their OIDC subject (st.user.sub), never by anything a page
or URL could change."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from backtrack.clinic.schema import invites, patients, users

INVITE_DAYS = 7  # an invite code works for this many days
# Invite codes: 12 letters and digits without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX-XXXX.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
NAME_MAX = 200


class AccessDenied(PermissionError):
    """The signed-in person may not do this; the message says what they can do instead."""


class InviteError(ValueError):
    """An invite code cannot be redeemed; the message says why."""


def role_of(engine: Engine, subject: str) -> str | None:
    """'patient', 'practitioner', or None for someone not (or no longer) known here."""
    with engine.connect() as conn:
        return conn.execute(select(users.c.role).where(users.c.subject == subject)).scalar()


def _clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if len(name) > NAME_MAX:
        raise ValueError(f"name: {len(name)} characters long, at most {NAME_MAX} allowed")
    return name


def add_practitioner(engine: Engine, subject: str, name: str, now: datetime) -> int:
    """Make `subject` a practitioner (the command line's job: nobody can make themselves
    one from the app). Returns their user id."""
    if not subject or not subject.strip():
        raise ValueError("subject: is required (the login provider's 'sub' for this person)")
    try:
        with engine.begin() as conn:
            return conn.execute(
                insert(users)
                .values(
                    subject=subject, name=_clean_name(name), role="practitioner", created_at=now
                )
                .returning(users.c.id)
            ).scalar_one()
    except IntegrityError:
        raise ValueError(f"subject: {subject!r} is already a user here") from None


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_hash(code: str) -> str:
    """What the database keeps of a code: its hash, so a copy of the database holds no
    usable codes. Case, spaces and dashes do not matter when typing one."""
    normal = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def create_invite(engine: Engine, subject: str, now: datetime, days: int = INVITE_DAYS) -> str:
    """A new single-use invite code from the practitioner `subject`, valid for `days`."""
    if not 1 <= days <= 90:
        raise ValueError(f"days: {days} is outside 1-90")
    code = new_code()
    with engine.begin() as conn:
        practitioner = conn.execute(
            select(users.c.id).where(users.c.subject == subject, users.c.role == "practitioner")
        ).scalar()
        if practitioner is None:
            raise AccessDenied("only a practitioner can create invite codes")
        conn.execute(
            insert(invites).values(
                code_hash=code_hash(code),
                practitioner_id=practitioner,
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    return code


def redeem_invite(engine: Engine, subject: str, name: str, code: str, now: datetime) -> None:
    """Join as a patient of the practitioner who made `code`. The code is used up in the
    same transaction that creates the patient: two people racing for one code, one wins."""
    with engine.begin() as conn:
        found = conn.execute(
            select(invites.c.practitioner_id, invites.c.expires_at, invites.c.redeemed_at)
            .where(invites.c.code_hash == code_hash(code))
            .with_for_update()
        ).first()
        if found is None:
            raise InviteError("invite code: not known here (check the code, or ask for a new one)")
        if found.redeemed_at is not None:
            raise InviteError("invite code: already used (each code works once; ask for a new one)")
        if found.expires_at <= now:
            raise InviteError(
                f"invite code: expired on {found.expires_at:%Y-%m-%d} (ask for a new one)"
            )
        role = conn.execute(select(users.c.role).where(users.c.subject == subject)).scalar()
        if role is not None:
            raise InviteError(f"invite code: you are already signed up here as a {role}")
        user = conn.execute(
            insert(users)
            .values(subject=subject, name=_clean_name(name), role="patient", created_at=now)
            .returning(users.c.id)
        ).scalar_one()
        conn.execute(insert(patients).values(user_id=user, practitioner_id=found.practitioner_id))
        conn.execute(
            update(invites).where(invites.c.code_hash == code_hash(code)).values(redeemed_at=now)
        )
