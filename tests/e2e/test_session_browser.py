"""The hands-free session in Chromium: Playwright's clock drives the browser's time, an init
script records the cues (a wrapped AudioContext) and the wake-lock requests."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

import pytest

from backtrack.clock import CUE_TONES
from backtrack.pacing import Pacing
from backtrack.player import Cue, Player
from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.e2e.conftest import Server, wait_ready

pytestmark = pytest.mark.browser

# Every oscillator started, with the page's clock (faked by page.clock) and its frequency;
# navigator.wakeLock stubbed so the request is seen (Chromium headless has none to give).
SPY = """
window.__cues = [];
window.__wake = [];
const Real = window.AudioContext;
if (Real) {
  window.AudioContext = class extends Real {
    createOscillator() {
      const osc = super.createOscillator();
      const start = osc.start.bind(osc);
      osc.start = (when) => {
        window.__cues.push({ t: performance.now(), f: osc.frequency.value });
        return start(when);
      };
      return osc;
    }
  };
}
"""
WAKE_LOCK = """
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request: async (type) => {
    window.__wake.push(type);
    return { released: false, release: async () => { window.__wake.push("released"); },
             addEventListener: () => {} };
  },
}});
"""
# A browser with one voice: what it is asked to say is recorded.
VOICE = """
window.__said = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  getVoices: () => [{ name: "Test voice", lang: "en-GB" }],
  speak: (u) => window.__said.push(u.text),
  cancel: () => {},
  addEventListener: () => {},
}});
"""
NO_WAKE_LOCK = 'Object.defineProperty(navigator, "wakeLock", { value: undefined });'
CUE_OF = {tones[0][0]: cue for cue, tones in CUE_TONES.items()}

SHORT_PROGRAMME = """
[groups]
g = "Test group"

[[exercise]]
id = "knee_hugs"
name = "Knee Hugs"
group = "g"
why = "Short test dose."
steps = ["Lie down.", "Hold the knees.", "Hold for 5 seconds."]
reps = 10
sided = false
hold_seconds = 5
hold_step = 3
picture = "knee_hugs.svg"

[[exercise]]
id = "clam"
name = "The Clam"
group = "g"
why = "Short test dose."
steps = ["Lie on your side.", "Lift the top knee."]
reps = 1
sided = true
side_word = "leg"
"""


@pytest.fixture
def short_server(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text(SHORT_PROGRAMME, encoding="utf-8")
    srv = Server(tmp_path / "journal.db", env={"BACKTRACK_PROGRAMME": str(path)})
    yield srv
    srv.stop()


def cues(page) -> list[tuple[Cue, float]]:
    """The cues played, in order, with their time (ms on the page's clock): a cue's first
    beep says which it is (each has its own first frequency); its other beeps follow."""
    out: list[tuple[Cue, float]] = []
    beeps = page.evaluate("window.__cues")
    i = 0
    while i < len(beeps):
        cue = CUE_OF[beeps[i]["f"]]
        out.append((cue, beeps[i]["t"]))
        i += len(CUE_TONES[cue])
    return out


def clock_text(page, ref: str) -> str:
    return page.locator(f"[data-ref='{ref}']").inner_text()


def start_session(page, url: str) -> None:
    page.goto(f"{url}/session")
    page.get_by_role("heading", name="Guided session").wait_for()
    wait_ready(page)
    page.get_by_role("button", name="Start session").click()
    page.locator("[data-ref='word']").get_by_text("Next: Knee Hugs").wait_for()


def run(page, seconds: float, step: float = 5.0) -> None:
    """Let `seconds` pass on the page's clock, a few at a time, so the server keeps up.
    Waits aim mid-step: on a loaded machine the page's clock can end up a second off."""
    left = seconds
    while left > 0:
        page.clock.run_for(int(min(step, left) * 1000))
        left -= step
        page.wait_for_timeout(30)


def test_a_whole_session_runs_itself_after_start_and_opens_the_log(server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append("frame")))
    page.add_init_script(SPY + WAKE_LOCK)
    page.clock.install()
    start_session(page, server.url)
    frames_at_start = len(sent)
    timeline = Player.create(load_programme()).timeline
    run(page, timeline[-1].end + 1)
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    reps = len(Player.create(load_programme()).plan)
    per_rep = (len(sent) - frames_at_start) / reps
    print(f"server contacts per rep: {per_rep:.2f} ({len(sent) - frames_at_start} frames)")
    assert per_rep <= 1.5  # one report per rep (and the switch to the log at the end)

    # The cues, in the programme's order, at the programme's times.
    played = cues(page)
    expected = [(s.cue, s.start) for s in timeline if s.cue] + [(Cue.DONE, timeline[-1].end)]
    assert [c for c, _ in played] == [c for c, _ in expected]
    t0 = played[0][1]
    for (cue, t), (_, due) in zip(played, expected, strict=True):
        # 0.1 s: the few timers that fire in real time between run_for calls may be late by
        # a loaded machine (the benchmark measures real-time lateness)
        assert abs((t - t0) / 1000 - due) < 0.1, f"{cue} at {(t - t0) / 1000:.3f} s, due {due}"
    # e.g. the first hold starts after the 15 s next-exercise pause and 3 s get-ready
    assert expected[1] == (Cue.HOLD, Pacing().between + Pacing().get_ready)
    assert page.evaluate("window.__wake")[0] == "screen"

    # The log form is filled with the whole session: only the pain is left to give.
    page.get_by_role("radiogroup", name="Back pain now, 0-10").get_by_text("2", exact=True).click()
    wait_ready(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()
    (entry,) = JournalStore(server.db).entries()
    programme = load_programme()
    assert (entry.date, entry.pain) == (date.today(), 2)
    assert entry.reps == {ex.id: ex.reps_max for ex in programme.exercises}
    hosts = {urlparse(u).hostname for u in requests if urlparse(u).scheme in ("http", "https")}
    assert hosts == {"localhost"}


def test_space_pauses_and_resumes_and_arrows_skip_and_go_back(short_server, page):
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append("frame")))
    page.add_init_script(SPY + WAKE_LOCK)
    page.clock.install()
    start_session(page, short_server.url)
    run(page, 15 + 3 + 2)  # about 2 s into the first hold
    assert clock_text(page, "word") == "Hold"
    frames = len(sent)
    page.keyboard.press("Space")
    assert clock_text(page, "word") == "Paused"
    left = clock_text(page, "count")
    assert left in ("2", "3", "4")
    assert page.get_by_role("button", name="Resume").is_visible()
    run(page, 30)
    assert clock_text(page, "count") == left  # paused: the hold does not run out
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 1 of 10"
    page.keyboard.press("Space")
    assert clock_text(page, "word") == "Hold"
    assert len(sent) == frames  # pause and resume stay in the browser
    run(page, int(left) + 1.5)  # the hold's last seconds, into the 3 s rest
    assert clock_text(page, "word") == "Rest"
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 2 of 10"
    page.keyboard.press("ArrowRight")  # skip rep 2
    page.locator("[data-ref='labels']").get_by_text("Rep 3 of 10").wait_for()
    assert clock_text(page, "word") == "Get ready"
    page.keyboard.press("ArrowLeft")  # back to rep 2
    page.locator("[data-ref='labels']").get_by_text("Rep 2 of 10").wait_for()
    page.keyboard.press("Shift+ArrowRight")  # skip the exercise
    page.locator("[data-ref='word']").get_by_text("Next: The Clam").wait_for()
    run(page, 15 + 3 + 1)  # 1 s into the first lift (2 s up, 2 s down)
    assert clock_text(page, "word") == "Up"
    played = [c for c, _ in cues(page)]
    assert played[:3] == [Cue.NEXT, Cue.HOLD, Cue.RELEASE] and played[-2:] == [Cue.NEXT, Cue.UP]


def test_mute_silences_the_cues_and_is_remembered(short_server, page):
    page.add_init_script(SPY)
    page.clock.install()
    start_session(page, short_server.url)
    page.get_by_role("button", name="Mute").click()
    wait_ready(page)
    before = len(page.evaluate("window.__cues"))
    run(page, 15 + 3 + 5 + 1.5)  # the first hold starts and ends: muted, no tone
    assert len(page.evaluate("window.__cues")) == before
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 2 of 10"
    page.get_by_role("button", name="Unmute").click()
    wait_ready(page)
    run(page, 3 + 3)  # rest, get ready: the second hold starts with its tone
    assert [c for c, _ in cues(page)][-1] is Cue.HOLD
    volume = page.get_by_label("Volume")
    volume.fill("30")
    wait_ready(page)
    page.reload()
    page.get_by_role("button", name="Resume").wait_for()
    page.get_by_role("button", name="Mute").wait_for()  # the choices were kept: sound on,
    assert page.get_by_label("Volume").input_value() == "30"  # at 30%


def test_spoken_cues_where_the_browser_has_a_voice(short_server, page):
    page.add_init_script(SPY + VOICE)
    page.clock.install()
    start_session(page, short_server.url)
    assert page.get_by_label("Spoken cues").is_checked()
    run(page, 15 + 3 + 5 + 1.5)
    assert page.evaluate("window.__said") == ["Next: Knee Hugs", "Get ready", "Hold", "Rest"]
    page.get_by_label("Spoken cues").uncheck()
    run(page, 3 + 3)  # rest, get ready: into the next hold
    assert page.evaluate("window.__said")[-1] == "Rest"  # tones only from now on
    assert [c for c, _ in cues(page)][-1] is Cue.HOLD


def test_no_voice_no_speech_option(short_server, page):
    page.add_init_script(SPY + VOICE.replace('[{ name: "Test voice", lang: "en-GB" }]', "[]"))
    start_session(page, short_server.url)
    assert not page.get_by_label("Spoken cues").is_visible()


def test_a_reload_resumes_at_the_rep_it_had_reached(short_server, page):
    page.add_init_script(SPY)
    page.clock.install()
    start_session(page, short_server.url)
    run(page, 15 + 3 + 5 + 3 + 3 + 5 + 1.5)  # two holds done, resting before rep 3
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 3 of 10"
    wait_ready(page)
    page.reload()
    page.get_by_role("button", name="Resume").wait_for()
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 3 of 10"
    assert clock_text(page, "word").startswith("Paused")
    page.keyboard.press("Space")
    page.locator("[data-ref='word']").get_by_text("Get ready").wait_for()
    run(page, 3 + 5 + 1.5)
    assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 4 of 10"
    page.get_by_role("button", name="Quit session").click()
    page.get_by_role("button", name="Log the part I did").click()
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Back pain now, 0-10").get_by_text("1", exact=True).click()
    wait_ready(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()
    (entry,) = JournalStore(short_server.db).entries()
    assert entry.reps == {"knee_hugs": 3}


@pytest.mark.parametrize("available", [True, False])
def test_the_screen_is_kept_on_where_the_browser_can(short_server, page, available):
    page.add_init_script(SPY + (WAKE_LOCK if available else NO_WAKE_LOCK))
    page.clock.install()
    start_session(page, short_server.url)
    run(page, 16)
    assert clock_text(page, "word") == "Get ready"  # runs either way
    if available:
        assert page.evaluate("window.__wake") == ["screen"]
        assert clock_text(page, "status") == "The screen stays on."
    else:
        assert clock_text(page, "status") == ""


def test_reduced_motion_turns_the_step_pulse_off(short_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 1400}, reduced_motion="reduce")
    page = context.new_page()
    try:
        start_session(page, short_server.url)
        word = page.locator("[data-ref='word']")
        assert word.evaluate("e => getComputedStyle(e).animationName") == "none"
        assert "pulse" not in (word.get_attribute("class") or "")
    finally:
        context.close()


def test_the_app_restarted_after_a_lost_connection_resumes_the_session(tmp_path, page):
    path = tmp_path / "short.toml"
    path.write_text(SHORT_PROGRAMME, encoding="utf-8")
    env = {"BACKTRACK_PROGRAMME": str(path)}
    first = Server(tmp_path / "journal.db", env=env)
    try:
        page.add_init_script(SPY)
        page.clock.install()
        start_session(page, first.url)
        run(page, 15 + 3 + 5 + 1.5)  # one hold done
        assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 2 of 10"
        wait_ready(page)
    finally:
        first.stop()  # the connection is lost; the server's memory with it
    second = Server(tmp_path / "journal.db", env=env)
    try:
        page.goto(f"{second.url}/session")
        page.get_by_role("button", name="Resume").wait_for()
        assert clock_text(page, "labels") == "Exercise 1 of 2 · Rep 2 of 10"
    finally:
        second.stop()


def test_leaving_the_page_and_coming_back_goes_on_with_the_same_run(short_server, page):
    page.set_viewport_size({"width": 1280, "height": 1000})  # the sidebar's links in view
    page.add_init_script(SPY)
    page.clock.install()
    start_session(page, short_server.url)
    run(page, 15 + 3 + 2)  # 2 s into the first hold
    page.get_by_role("link", name="Today").click()
    page.get_by_role("heading", name="Today").first.wait_for()
    page.get_by_role("link", name="Guided session").click()
    page.locator("[data-ref='word']").get_by_text("Hold").wait_for()  # not "Next: ..." again
    run(page, 10)  # real time passed while away too: the run is a rep or two further on
    assert "Rep 1 of 10" not in clock_text(page, "labels")
    played = [c for c, _ in cues(page)]
    assert played.count(Cue.NEXT) == 1  # the run went on, it did not start again
    assert played[:3] == [Cue.NEXT, Cue.HOLD, Cue.RELEASE]
