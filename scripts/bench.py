"""BackTrack benchmark: every page, the CLI, the check and the PDF on 1 month, 1 year and
10 years of twice-daily entries. Prints one table and writes docs/benchmark.md.

    bash scripts/bench.sh          (or: .venv/bin/python scripts/bench.py [--runs 5])
    bash scripts/bench.sh --only hold    (the hands-free hold timing alone)
    bash scripts/bench.sh --clinic [--clinic-seconds 60]   (clinic mode: scripts/bench_clinic.py)

Pages run server-side through AppTest, in this one process, interleaved, median of --runs
after a warm-up, as a running server runs them (serve_like_a_server): "cold" is the first
run after a save (the journal caches miss), "warm" a rerun with nothing changed. Two
yardsticks run the same way: an empty Streamlit page, and a reference page that reads the
journal's CSV export with pandas and draws one Altair chart of daily pain with its 7-day
mean. Each page is shown in ms and as a ratio to the reference.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from synthetic import journal_entries, outcome_records  # noqa: E402

from backtrack.csvio import export_csv, parse_csv  # noqa: E402
from backtrack.entries import Entry  # noqa: E402
from backtrack.frames import load_frame  # noqa: E402
from backtrack.programme import load_programme  # noqa: E402
from backtrack.progress import two_week_check  # noqa: E402
from backtrack.report import build_report, default_range  # noqa: E402
from backtrack.report_pdf import render_pdf  # noqa: E402
from backtrack.store import JournalStore  # noqa: E402

SIZES = (("1 month", 30), ("1 year", 365), ("10 years", 3650))
PAGES = {
    "Today": ("pages/today.py", None),
    "Log": ("pages/log.py", None),
    "Guided session": ("pages/session.py", None),
    "Exercises": ("pages/exercises.py", None),
    "Progress (4 weeks)": ("pages/progress.py", None),
    "Progress (all)": ("pages/progress.py", "All"),
    "Report (all)": ("pages/report.py", None),
    "Data": ("pages/data.py", None),
}
EMPTY_PAGE = "import streamlit as st\n"
REFERENCE_PAGE = textwrap.dedent(
    """
    import os
    import altair as alt
    import pandas as pd
    import streamlit as st

    journal = pd.read_csv(os.environ["BENCH_CSV"], parse_dates=["date"])
    daily = journal.groupby("date", as_index=False)["pain"].mean()
    daily["mean7"] = daily.rolling("7D", on="date")["pain"].mean()
    base = alt.Chart(daily).encode(alt.X("date:T").title("Date"))
    chart = alt.layer(
        base.mark_circle().encode(alt.Y("pain:Q").title("Pain (0-10)")),
        base.mark_line().encode(alt.Y("mean7:Q")),
    )
    st.altair_chart(chart, width="stretch")
    """
)
BUDGETS = {"warm": 1.5, "cold": 2.5, "chart_kb": 150, "import": 2.0, "export": 1.0,
           "check_ms": 50, "pdf": 3.0, "browser": 1.5}  # fmt: skip


def serve_like_a_server() -> None:
    """Make AppTest run pages as a running server does, not as a first visit each time.

    AppTest (streamlit/testing/v1/app_test.py, AppTest._run) sets up each run as a fresh
    server would: a new ScriptCache, so the app and its page are read, rewritten for
    "magic" and compiled again on every run; and `PagesManager.uses_pages_directory` reset,
    so an app with a pages/ folder starts in the legacy pages-directory mode, which
    ui.ensure_frame() switches off with a rerun (each run would run the app twice). A
    server compiles each script once and leaves that mode after the first run. The
    reference and empty pages (no pages/ folder) never paid either cost, so the app's pages
    were charged for work a server does not do. Here every run shares one ScriptCache, and
    the legacy mode stays off once the app has left it, as in a server process."""
    import streamlit.testing.v1.app_test as app_test
    import streamlit.testing.v1.local_script_runner as local_runner
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test.ScriptCache = local_runner.ScriptCache = lambda: shared

    class ServerPagesManager(PagesManager):
        def __init__(self, *args, **kwargs):
            PagesManager.uses_pages_directory = False  # as after the server's first run
            super().__init__(*args, **kwargs)

    app_test.PagesManager = ServerPagesManager


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def chart_bytes(at: AppTest) -> int:
    total = 0
    for el in at.get("vega_lite_chart"):
        p = el.proto
        total += len(p.spec) + len(p.data.data) + sum(len(d.data.data) for d in p.datasets)
    return total


class PageRunner:
    """One AppTest session on one page: timed warm reruns and cold runs after a save."""

    def __init__(
        self, script: Path, page: str | None, choice: str | None, user: dict | None = None
    ):
        self.at = AppTest.from_file(str(script), default_timeout=120)
        self.page, self.choice = page, choice
        if user is not None:  # clinic mode: who st.user says is signed in
            self.at.user = user
        self.at.run()
        if page:
            self.at.switch_page(page).run()
        if choice:
            self.at.radio(key="progress_range").set_value(choice).run()
        assert not self.at.exception, self.at.exception

    def time_run(self) -> float:
        t0 = time.perf_counter()
        self.at.run()
        elapsed = time.perf_counter() - t0
        assert not self.at.exception, self.at.exception
        return elapsed


def bench_pages(
    store, csv_path: Path, runs: int, tmp: Path, pages: dict | None = None
) -> dict[str, dict]:
    """Time the yardsticks and `pages` (name: (page, range choice, login or None); default
    PAGES, no login). Each round saves to `store`, the journal the pages read."""
    empty, reference = tmp / "empty.py", tmp / "reference.py"
    empty.write_text(EMPTY_PAGE)
    reference.write_text(REFERENCE_PAGE)
    os.environ["BENCH_CSV"] = str(csv_path)
    runners = {"(empty page)": PageRunner(empty, None, None),
               "(reference page)": PageRunner(reference, None, None)}  # fmt: skip
    if pages is None:
        pages = {name: (page, choice, None) for name, (page, choice) in PAGES.items()}
    for name, (page, choice, user) in pages.items():
        runners[name] = PageRunner(ROOT / "app.py", page, choice, user)
    warm = {name: [] for name in runners}
    cold = {name: [] for name in runners}
    probe = Entry(date.today() - timedelta(days=1), "evening", 4)
    for i in range(runs + 1):  # the first round is the warm-up
        for name, runner in runners.items():
            # A save makes this page's next run the first visit after a save (every cache
            # keyed on the journal's revision misses); the run after it changes nothing.
            store.save(Entry(probe.date, probe.slot, (probe.pain + i) % 11), replace=True)
            if name == "(reference page)":  # its "save" is a new CSV export
                csv_path.write_text(export_csv(store.entries(), store_ids()), encoding="utf-8")
            c = runner.time_run()
            w = runner.time_run()
            if i:
                warm[name].append(w)
                cold[name].append(c)
    return {
        name: {
            "warm": median_ms(warm[name]),
            "cold": median_ms(cold[name]),
            "chart_bytes": chart_bytes(runners[name].at),
        }  # fmt: skip
        for name in runners
    }


def store_ids() -> tuple[str, ...]:
    return load_programme().exercise_ids


def cli(*args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "backtrack", *args], check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - t0


def bench_size(label: str, days: int, runs: int, browser: bool) -> dict:
    programme = load_programme()
    tmp = Path(tempfile.mkdtemp(prefix="backtrack-bench-"))
    db, csv_path = tmp / "journal.db", tmp / "journal.csv"
    os.environ["BACKTRACK_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    entries = journal_entries(programme, days, date.today())
    store = JournalStore(db)
    store.import_entries(entries)
    store.save_outcomes(outcome_records(days, date.today()))
    csv_path.write_text(export_csv(entries, programme.exercise_ids), encoding="utf-8")
    out: dict = {"label": label, "entries": len(entries)}

    imports, exports, lib_imports = [], [], []
    for i in range(runs):
        scratch = tmp / f"import-{i}.db"
        imports.append(cli("import", str(csv_path), "--db", str(scratch)))
        exports.append(cli("export", "--db", str(db), "-o", str(tmp / "out.csv")))
        t0 = time.perf_counter()
        JournalStore(tmp / f"lib-{i}.db").import_entries(
            parse_csv(csv_path.read_bytes(), programme.exercise_ids, date.today())
        )
        lib_imports.append(time.perf_counter() - t0)  # fmt: skip
    out["import_cli"], out["export_cli"] = median_ms(imports), median_ms(exports)
    out["import_lib"] = median_ms(lib_imports)

    frame = load_frame(store, programme.exercise_ids)
    checks = []
    for _ in range(max(runs, 20)):
        t0 = time.perf_counter()
        two_week_check(frame, date.today(), store.start_date())
        checks.append(time.perf_counter() - t0)
    out["check"] = median_ms(checks)

    first, last = default_range(frame, store.start_date(), date.today())
    render_pdf(build_report(frame, programme, first, last, programme_start=None,
                            today=date.today()))  # warm-up  # fmt: skip
    pdfs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        render_pdf(build_report(frame, programme, first, last, programme_start=None,
                                today=date.today()))  # fmt: skip
        pdfs.append(time.perf_counter() - t0)
    out["pdf"] = median_ms(pdfs)

    out["pages"] = bench_pages(store, csv_path, runs, tmp)
    if browser:
        out["browser"] = bench_browser(db, runs)
    return out


CHART_DRAWN = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def bench_browser(db: Path, runs: int) -> float | None:
    """Median ms from opening the Progress page to its four charts drawn, in Chromium."""
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.e2e.conftest import CHROMIUM_ARGS, Server

    server = Server(db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 2400})
            page.goto(f"{server.url}/progress")  # warm-up: server and browser caches
            drawn = page.locator(CHART_DRAWN).nth(3)
            drawn.wait_for(timeout=60_000)
            samples = []
            for _ in range(runs):
                page.goto("about:blank")
                t0 = time.perf_counter()
                page.goto(f"{server.url}/progress")
                drawn.wait_for(timeout=60_000)
                samples.append(time.perf_counter() - t0)
            browser.close()
        return median_ms(samples)
    finally:
        server.stop()


HOLD_PROGRAMME = """
[groups]
g = "Benchmark"

[[exercise]]
id = "hold"
name = "Hold"
group = "g"
why = "Times the hands-free hold."
steps = ["Hold."]
reps = 20
sided = false
hold_seconds = 1
"""
HOLD_PACING = {"get_ready": 1, "rest": 1, "between": 5}
HOLD_BUDGET_MS = {"median": 50, "worst": 100}


def bench_hold(tmp: Path) -> dict | None:
    """The hands-free session in Chromium, in real time: 20 one-second holds. Each hold's end
    is the cue that follows it (release, or the end of the session), recorded by a wrapped
    AudioContext with the page's clock; its lateness is measured against the timeline from
    the run's first cue. Also counts the messages the page sends the server per rep."""
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None
    from playwright.sync_api import sync_playwright

    from backtrack.clock import CUE_TONES
    from backtrack.pacing import PACING_KEY, Pacing
    from backtrack.player import Player, StepKind
    from backtrack.programme import load_programme
    from tests.e2e.conftest import CHROMIUM_ARGS, Server
    from tests.e2e.test_session_browser import SPY

    programme_path = tmp / "hold.toml"
    programme_path.write_text(HOLD_PROGRAMME, encoding="utf-8")
    pacing = Pacing(**HOLD_PACING)
    timeline = Player.create(load_programme(programme_path), pacing=pacing).timeline
    hold_ends = [s.end for s in timeline if s.kind is StepKind.HOLD]
    db = tmp / "hold.db"
    JournalStore(db).set_setting(PACING_KEY, pacing.to_json())
    server = Server(db, env={"BACKTRACK_PROGRAMME": str(programme_path)})
    cue_of = {tones[0][0]: cue for cue, tones in CUE_TONES.items()}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(SPY)
            frames: list[int] = []
            page.on("websocket", lambda ws: ws.on("framesent", lambda f: frames.append(1)))
            page.goto(f"{server.url}/session")
            page.get_by_role("button", name="Start session").click()
            page.locator("[data-ref='word']").get_by_text("Next: Hold").wait_for()
            sent_at_start = len(frames)
            page.get_by_role("heading", name="Log a session").wait_for(
                timeout=(timeline[-1].end + 30) * 1000
            )
            sent = len(frames) - sent_at_start
            beeps = page.evaluate("window.__cues")
            browser.close()
    finally:
        server.stop()
    starts: list[float] = []  # one time (ms) per cue: its first beep; its other beeps follow
    i = 0
    while i < len(beeps):
        starts.append(beeps[i]["t"])
        i += len(CUE_TONES[cue_of[beeps[i]["f"]]])
    t0 = starts[0]
    times = [(t - t0) / 1000 for t in starts]
    late = []
    for due in hold_ends:
        heard = min(times, key=lambda t, due=due: abs(t - due))
        late.append((heard - due) * 1000)
    return {"late": late, "contacts_per_rep": sent / len(hold_ends), "holds": len(hold_ends)}


def hold_text(hold: dict | None) -> str:
    if not hold:
        return "Hands-free hold timing: not measured (no Chromium)."
    late = hold["late"]
    return (
        f"Hands-free session in Chromium, real time, {hold['holds']} one-second holds: a hold "
        f"ended (its cue played) {statistics.median(late):.1f} ms after its time on the "
        f"timeline (median; worst {max(late):.1f} ms; budget median < "
        f"{HOLD_BUDGET_MS['median']} ms, worst < {HOLD_BUDGET_MS['worst']} ms), timed from "
        "the run's first cue (a figure below 0 means that first cue was itself late). The page "
        f"contacted the server {hold['contacts_per_rep']:.2f} times per rep (one report of "
        "the finished rep, which reruns the session fragment, not the app; pauses and "
        "resumes stay in the browser)."
    )


def update_hold_section(path: Path, hold: dict | None) -> None:
    """Put the hold figures in an existing benchmark file (`--only hold`)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept: list[str] = []
    for line in lines:
        old = line.startswith(("Hands-free", "A 2 s hold"))
        if not old and not (line == "" and kept and kept[-1] == ""):
            kept.append(line)
    at = next((n for n, line in enumerate(kept) if line.startswith("Peak memory")), len(kept))
    kept[at:at] = [hold_text(hold), ""]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def report(results: list[dict], runs: int) -> str:
    lines = [
        "# BackTrack benchmark",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')} on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}. "
        f"Median of {runs} interleaved runs after a warm-up, each page run through AppTest as a "
        "running server runs it (compiled once, no legacy pages-directory rerun: "
        "scripts/bench.py, serve_like_a_server). Re-run: `bash scripts/bench.sh`.",
        "",
        f"Budgets (10 years): warm rerun <= {BUDGETS['warm']:g}x the reference page, first "
        f"visit after a save <= {BUDGETS['cold']:g}x, <= {BUDGETS['chart_kb']} KB of chart "
        f"data per page, import < {BUDGETS['import']:g} s, export < {BUDGETS['export']:g} s, "
        f"check < {BUDGETS['check_ms']} ms, PDF < {BUDGETS['pdf']:g} s, Progress charts drawn "
        f"in Chromium < {BUDGETS['browser']:g} s.",
        "",
    ]
    for r in results:
        ref = r["pages"]["(reference page)"]
        lines += [f"## {r['label']} ({r['entries']:,} entries)", "",
                  "| page | warm ms | x ref | cold ms | x ref | chart KB |",
                  "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for name, m in r["pages"].items():
            lines.append(
                f"| {name} | {m['warm']:.0f} | {m['warm'] / ref['warm']:.2f} | "
                f"{m['cold']:.0f} | {m['cold'] / ref['cold']:.2f} | {m['chart_bytes'] / 1000:.1f} |"
            )
        browser = r.get("browser")
        lines += [
            "",
            f"- import (CLI, whole process): {r['import_cli']:.0f} ms; "
            f"import (parse + store, in process): {r['import_lib']:.0f} ms",
            f"- export (CLI, whole process): {r['export_cli']:.0f} ms",
            f"- two-week check: {r['check']:.1f} ms",
            f"- PDF report (whole range): {r['pdf']:.0f} ms",
            "- Progress charts drawn in Chromium: "
            + (f"{browser:.0f} ms" if browser is not None else "not measured (no Chromium)"),
            "",
        ]
    if results and "hold" in results[0]:
        lines += [hold_text(results[0]["hold"]), ""]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"Peak memory of the benchmark process: {peak:.0f} MB.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", nargs="*", default=[s[0] for s in SIZES])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmark.md")
    parser.add_argument("--only", choices=["hold"],
                        help="run one section alone and update it in --out")  # fmt: skip
    parser.add_argument("--clinic", action="store_true",
                        help="run only the clinic-mode benchmark (needs PostgreSQL's programs) "
                        "and replace the Clinic mode section of --out")  # fmt: skip
    parser.add_argument("--clinic-seconds", type=float, default=60,
                        help="how long the concurrent sessions save entries")  # fmt: skip
    args = parser.parse_args()
    serve_like_a_server()
    if args.clinic:
        from bench_clinic import bench_clinic, clinic_section

        text = clinic_section(bench_clinic(args.runs, args.clinic_seconds), args.runs, BUDGETS)
        print(text)
        write_section(args.out, text)
        return
    if args.only == "hold":
        hold = bench_hold(Path(tempfile.mkdtemp(prefix="bench-hold-")))
        print(hold_text(hold))
        update_hold_section(args.out, hold)
        return
    results = []
    hold = None if args.no_browser else bench_hold(Path(tempfile.mkdtemp(prefix="bench-hold-")))
    for label, days in SIZES:
        if label in args.sizes:
            print(f"... {label}", file=sys.stderr, flush=True)
            results.append(bench_size(label, days, args.runs, not args.no_browser))
    if results:
        results[0]["hold"] = hold
    text = report(results, args.runs)
    print(text)
    args.out.parent.mkdir(exist_ok=True)
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    kept = old[old.index(CLINIC_HEADING) :] if CLINIC_HEADING in old else ""
    args.out.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")


CLINIC_HEADING = "## Clinic mode\n"


def write_section(out: Path, section: str) -> None:
    """Put the Clinic mode section at the end of `out`, in place of the one there (the
    local figures above it stay as they were measured)."""
    old = out.read_text(encoding="utf-8") if out.exists() else "# BackTrack benchmark\n"
    head = old[: old.index(CLINIC_HEADING)] if CLINIC_HEADING in old else old
    out.write_text(head.rstrip("\n") + "\n\n" + section, encoding="utf-8")


if __name__ == "__main__":
    main()
