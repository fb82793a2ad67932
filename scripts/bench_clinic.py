"""The clinic-mode benchmark (scripts/bench.py --clinic): a throwaway PostgreSQL cluster
(tests/postgres.py) holding 200 patients x 1 year of twice-daily entries, each made the
way the app makes them (an invite redeemed, the journal imported through ClinicStore).

- The practitioner's Patients page and one patient's pages, through AppTest with a faked
  login, against the same reference page as local mode (warm rerun and first run after a
  save, median of --runs).
- Concurrent sessions (threads, each its own ClinicStore on the process's one pooled
  engine, as the app's sessions are) saving entries for --clinic-seconds: two sessions per
  patient (a phone and a laptop: one logs mornings, the other evenings of the same days),
  then every saved entry is looked for: lost, duplicated or changed entries are counted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synthetic import journal_entries, outcome_records  # noqa: E402

from backtrack.clinic import schema as t  # noqa: E402
from backtrack.clinic.accounts import add_practitioner, create_invite, redeem_invite  # noqa: E402
from backtrack.clinic.db import POOL_OVERFLOW, POOL_SIZE, make_engine, migrate  # noqa: E402
from backtrack.clinic.store import ClinicStore  # noqa: E402
from backtrack.csvio import export_csv  # noqa: E402
from backtrack.entries import Entry  # noqa: E402
from backtrack.modes import DATABASE_URL_ENV  # noqa: E402
from backtrack.programme import load_programme  # noqa: E402
from tests.postgres import cluster  # noqa: E402

PRACTITIONER = "bench-practitioner"
PATIENTS, DAYS = 200, 365
SEED_THREADS = 4
SESSIONS = 20  # concurrent sessions, two per patient
CASELOAD_BUDGET = 2.0  # the Patients page's warm rerun, x the reference page


def login(subject: str) -> dict:
    return {"is_logged_in": True, "sub": subject, "name": subject}


def patient_subject(i: int) -> str:
    return f"bench-patient-{i:03d}"


def seed(engine, patients: int, days: int) -> tuple[float, int]:
    """The practitioner and their patients, each with their own synthetic year (seeded by
    their number, so their statuses differ). Returns (seconds, entries)."""
    programme, now, today = load_programme(), datetime.now(UTC), date.today()
    t0 = time.perf_counter()
    add_practitioner(engine, PRACTITIONER, "Dr Bench", now)

    def one(i: int) -> int:
        subject = patient_subject(i)
        redeem_invite(engine, subject, f"Patient {i:03d}", create_invite(engine, PRACTITIONER, now),
                      now)  # fmt: skip
        store = ClinicStore(engine, subject)
        entries = journal_entries(programme, days, today, seed=i)
        store.import_entries(entries)
        store.save_outcomes(outcome_records(days, today, seed=i))
        if i % 20 == 19:
            print(f"... patient {i + 1} seeded", file=sys.stderr, flush=True)
        return len(entries)

    with ThreadPoolExecutor(SEED_THREADS) as pool:  # the database works while Python waits
        total = sum(pool.map(one, range(patients)))
    return time.perf_counter() - t0, total


def concurrent_saves(engine, sessions: int, seconds: float) -> dict:
    """`sessions` threads save entries for `seconds`; then count what the database kept."""
    now = datetime.now(UTC)
    pairs = sessions // 2
    subjects = [f"bench-device-{i:02d}" for i in range(pairs)]
    for s in subjects:
        redeem_invite(engine, s, s, create_invite(engine, PRACTITIONER, now), now)
    before = {s: ClinicStore(engine, s).revision() for s in subjects}
    saved: list[list[Entry]] = [[] for _ in range(sessions)]
    times: list[list[float]] = [[] for _ in range(sessions)]
    errors: list[str] = []
    start = threading.Barrier(sessions)
    yesterday = date.today() - timedelta(days=1)

    def device(n: int) -> None:
        store = ClinicStore(engine, subjects[n // 2])  # its own store, as a session has
        slot = ("morning", "evening")[n % 2]
        start.wait()
        stop, k = time.monotonic() + seconds, 0
        while time.monotonic() < stop:
            entry = Entry(yesterday - timedelta(days=k), slot, (n + k) % 11, {}, (), f"d{n} {k}")
            t0 = time.perf_counter()
            try:
                store.save(entry)
            except Exception as exc:  # counted and reported, never hidden
                errors.append(f"session {n}: {exc!r}")
            else:
                times[n].append(time.perf_counter() - t0)
                saved[n].append(entry)
            k += 1

    threads = [threading.Thread(target=device, args=(n,)) for n in range(sessions)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    lost = changed = revisions_missing = 0
    for i, s in enumerate(subjects):
        store = ClinicStore(engine, s)
        stored = {e.key: e for e in store.entries()}
        mine = saved[2 * i] + saved[2 * i + 1]
        for e in mine:
            found = stored.get(e.key)
            if found is None:
                lost += 1
            elif (found.pain, found.notes) != (e.pain, e.notes):
                changed += 1
        revisions_missing += len(mine) - (store.revision() - before[s])
    e = t.entries
    with engine.connect() as conn:
        dup = conn.execute(
            select(func.count()).select_from(
                select(e.c.patient_id, e.c.date, e.c.slot)
                .group_by(e.c.patient_id, e.c.date, e.c.slot)
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar()
        stored_total = conn.execute(
            select(func.count())
            .select_from(e)
            .join(t.users, t.users.c.id == e.c.patient_id)
            .where(t.users.c.subject.in_(subjects))
        ).scalar()
    flat = sorted(x for ts in times for x in ts)
    return {
        "sessions": sessions,
        "patients": pairs,
        "seconds": seconds,
        "saves": len(flat),
        "stored": stored_total,
        "lost": lost,
        "changed": changed,
        "duplicated": dup,
        "revisions_missing": revisions_missing,
        "errors": errors,
        "p50_ms": statistics.median(flat) * 1000 if flat else None,
        "p95_ms": flat[int(0.95 * (len(flat) - 1))] * 1000 if flat else None,
        "max_ms": flat[-1] * 1000 if flat else None,
    }


def settle(pg) -> None:
    """VACUUM ANALYZE the freshly seeded database before anything is timed: otherwise
    autovacuum works through the rows just written while the pages are timed, on the same
    two cores (a clinic's database has long been vacuumed by its first busy day)."""
    import psycopg

    with psycopg.connect(pg.url("bench"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def with_login_secrets(tmp: Path) -> None:
    """Give Streamlit a secrets.toml with an [auth] section, as every clinic has (st.login
    needs it; the benchmark's logins are faked). Without one, Streamlit looks for the file
    again at each read of st.user (streamlit/runtime/secrets.py, Secrets._parse), about 30
    times a page run, which no clinic's server does."""
    from streamlit import config

    secrets = tmp / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
        'cookie_secret = "benchmark-only-not-a-secret"\nclient_id = "bench"\n'
        'client_secret = "bench"\n'
        'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    config.set_option("secrets.files", [str(secrets)])


def bench_clinic(runs: int, seconds: float, patients: int = PATIENTS) -> dict:
    """Seed, time the pages (bench.bench_pages), then the concurrent saves."""
    import streamlit as st
    from bench import PAGES, bench_pages

    programme = load_programme()
    tmp = Path(tempfile.mkdtemp(prefix="backtrack-bench-clinic-"))
    with cluster() as pg:
        with pg.admin() as conn:
            conn.execute("CREATE DATABASE bench")
        url = pg.url("bench")
        engine = make_engine(url)
        migrate(engine)
        seeded, entries = seed(engine, patients, DAYS)
        settle(pg)
        os.environ[DATABASE_URL_ENV] = url
        os.environ["BACKTRACK_DB"] = str(tmp / "unused.db")
        st.cache_data.clear()
        st.cache_resource.clear()
        with_login_secrets(tmp)
        patient = ClinicStore(engine, patient_subject(0))
        csv_path = tmp / "journal.csv"
        csv_path.write_text(export_csv(patient.entries(), programme.exercise_ids), "utf-8")
        pages = {"Patients (practitioner)": ("pages/patients.py", None, login(PRACTITIONER))}
        pages |= {f"{name} (one patient)": (page, choice, login(patient_subject(0)))
                  for name, (page, choice) in PAGES.items()}  # fmt: skip
        timed = bench_pages(patient, csv_path, runs, tmp, pages)
        print("... concurrent saves", file=sys.stderr, flush=True)
        saves = concurrent_saves(engine, SESSIONS, seconds)
        engine.dispose()
    del os.environ[DATABASE_URL_ENV]
    return {"patients": patients, "entries": entries, "seed_s": seeded, "pages": timed,
            "saves": saves}  # fmt: skip


def clinic_section(r: dict, runs: int, budgets: dict) -> str:
    """The "## Clinic mode" section of docs/benchmark.md."""
    ref = r["pages"]["(reference page)"]
    s = r["saves"]
    caseload = r["pages"]["Patients (practitioner)"]["warm"] / ref["warm"]
    lines = [
        "## Clinic mode",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} with `bash scripts/bench.sh --clinic "
        f"--runs {runs} --clinic-seconds {s['seconds']:g}`: a throwaway PostgreSQL cluster "
        f"(tests/postgres.py: fsync off) on this machine, {r['patients']} patients of one "
        f"practitioner, each with their own synthetic year of twice-daily entries and outcomes "
        f"({r['entries']:,} entries in all; seeding through ClinicStore took "
        f"{r['seed_s']:.0f} s), then VACUUM ANALYZE. Pages through AppTest as a running "
        "server runs them, with a faked login and a secrets.toml with an [auth] section as a "
        f"clinic has, median of {runs} interleaved runs after a warm-up; the reference page "
        "reads one patient's CSV export.",
        "",
        f"Budgets: the Patients page's warm rerun <= {CASELOAD_BUDGET:g}x the reference page; "
        f"one patient's pages as local mode (warm <= {budgets['warm']:g}x, "
        f"cold <= {budgets['cold']:g}x).",
        "",
        "| page | warm ms | x ref | cold ms | x ref | chart KB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in r["pages"].items():
        lines.append(
            f"| {name} | {m['warm']:.0f} | {m['warm'] / ref['warm']:.2f} | "
            f"{m['cold']:.0f} | {m['cold'] / ref['cold']:.2f} | {m['chart_bytes'] / 1000:.1f} |"
        )
    lines += [
        "",
        f"- Patients page, warm rerun: {caseload:.2f}x the reference page "
        f"({'within' if caseload <= CASELOAD_BUDGET else 'over'} the {CASELOAD_BUDGET:g}x "
        "budget). Its cold run (after a patient saves) reads that patient's journal again "
        "and keeps every other status.",
        f"- Concurrent saves: {s['sessions']} sessions (threads, each its own ClinicStore; two "
        f"per patient, {s['patients']} patients; one engine with a pool of {POOL_SIZE}+"
        f"{POOL_OVERFLOW} connections) saving for {s['seconds']:g} s: {s['saves']:,} saves, "
        f"{s['stored']:,} entries stored; {s['lost']} lost, {s['duplicated']} duplicated, "
        f"{s['changed']} changed, {s['revisions_missing']} revision bumps missing, "
        f"{len(s['errors'])} errors. Save time p50 {s['p50_ms']:.0f} ms, "
        f"p95 {s['p95_ms']:.0f} ms, worst {s['max_ms']:.0f} ms.",
    ]
    lines += [f"  - {e}" for e in s["errors"][:5]]
    return "\n".join(lines) + "\n"
