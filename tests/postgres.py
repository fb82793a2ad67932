"""A throwaway PostgreSQL cluster for the clinic tests: initdb into a temporary folder,
pg_ctl start on a free localhost port, one fresh database per test, removed at the end.

PostgreSQL refuses to run as root; as root the cluster runs as the 'postgres' user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg


def pg_bin() -> Path:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if versions:
        return Path(versions[-1]).parent
    raise RuntimeError(
        "PostgreSQL is not installed (no pg_ctl): run 'bash scripts/setup.sh --test' as root, "
        "or 'sudo apt-get install postgresql'"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Cluster:
    port: int
    user: str = "backtrack"

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url("postgres"), autocommit=True)


@contextmanager
def cluster() -> Iterator[Cluster]:
    bindir = pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="backtrack-pg-"))
    run_as: dict = {}
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    data, port = folder / "data", free_port()
    quiet = {"check": True, "capture_output": True, "cwd": folder, **run_as}
    try:
        subprocess.run([bindir / "initdb", "-D", data, "-U", "backtrack", "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"], **quiet)  # fmt: skip
        options = (f"-p {port} -h 127.0.0.1 -k {folder} -c fsync=off -c full_page_writes=off "
                   "-c synchronous_commit=off -c max_connections=60")  # fmt: skip
        subprocess.run([bindir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log",
                        "-w", "start"], **quiet)  # fmt: skip
        try:
            yield Cluster(port)
        finally:
            subprocess.run([bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"], **quiet)
    except subprocess.CalledProcessError as exc:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.decode()}{log}") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
