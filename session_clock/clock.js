// The hands-free session's clock (see session_clock/__init__.py and backtrack/clock.py).
// It runs the timeline Python sends, from the browser's own clock: one timer per step
// boundary, a cue at each step's start, a report to Python at each finished rep. Python
// answers with the same timeline (same epoch) until a jump starts a new run.

const EPS = 1e-6;
const controllers = new WeakMap();
// Runs by id (session and epoch). Streamlit may mount the component afresh while the page
// stays open (a script run re-lays the page out); the run then goes on where it was,
// instead of starting its timeline again.
const runs = new Map();
let active = null; // the clock that gets the keys

if (!window.__backtrackClockKeys) {
  window.__backtrackClockKeys = true;
  document.addEventListener("keydown", (e) => active?.onKey(e));
  document.addEventListener("visibilitychange", () => active?.onVisible());
}

const reducedMotion = () => window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;

class Clock {
  constructor(root) {
    this.root = root;
    this.ref = {};
    for (const el of root.querySelectorAll("[data-ref]")) this.ref[el.dataset.ref] = el;
    this.box = root.querySelector(".clock");
    this.run = null;
    this.waiting = false;
    this.sound = null;
    this.lock = null;
    const r = this.ref;
    r.pause.onclick = () => this.togglePause();
    r.back.onclick = () => this.act("back");
    r.skipRep.onclick = () => this.act("skip_rep");
    r.skipEx.onclick = () => this.act("skip_exercise");
    r.quit.onclick = () => this.act("quit");
    r.mute.onclick = () => this.setSound({ muted: !this.sound.muted });
    r.volume.onchange = () => this.setSound({ volume: Number(r.volume.value) / 100 });
    r.speak.onchange = () => this.setSound({ speak: r.speak.checked });
    if (window.speechSynthesis) {
      this.checkVoices();
      window.speechSynthesis.addEventListener?.("voiceschanged", () => this.checkVoices());
    }
    this.ticker = setInterval(() => this.render(), reducedMotion() ? 250 : 100);
    active = this;
    // Made now, not at the first cue: creating it takes tens of ms, which would make that
    // cue late. The Start press gave the page the user gesture that lets it play.
    this.ensureAudio();
  }

  // ----- data from Python ---------------------------------------------------------------

  update(data, setTriggerValue) {
    this.send = setTriggerValue;
    this.data = data;
    if (this.sound === null) this.showSound(data.sound);
    if (data.finished) return this.stop("Session complete. Opening the log...");
    if (this.run && this.run.epoch === data.epoch) {
      if (this.run.over && data.index < data.slots.length) this.retryFinal();
      return; // the same run: Python caught up with a report; the clock keeps going
    }
    this.waiting = false;
    this.setBusy(false);
    const known = runs.get(data.run);
    if (known && !known.over) {
      this.run = known; // the same run, mounted again: it goes on, silently
      if (known.t0 === null || known.pausedAt !== null) return this.showPaused();
      this.box.dataset.state = "running";
      this.enter(known.i, false);
      this.schedule();
      return this.wake();
    }
    const at = data.steps[data.at] ? data.at : 0;
    this.run = { epoch: data.epoch, steps: data.steps, i: at,
                 offset: data.steps[at]?.start ?? 0, t0: null, pausedAt: null, pausedTotal: 0 };
    runs.clear();
    runs.set(data.run, this.run);
    if (data.autostart) this.start();
    else this.showPaused();
  }

  // ----- time -----------------------------------------------------------------------------

  elapsed() {
    const r = this.run;
    if (r.t0 === null) return r.offset;
    const now = r.pausedAt ?? performance.now();
    return r.offset + (now - r.t0 - r.pausedTotal) / 1000;
  }

  start() {
    const r = this.run;
    r.t0 = performance.now();
    this.box.dataset.state = "running";
    this.ref.pause.textContent = "Pause";
    this.enter(r.i);
    this.schedule();
    this.wake();
  }

  schedule() {
    clearTimeout(this.timer);
    const r = this.run;
    const step = r.steps[r.i];
    const ms = (step.start + step.seconds - this.elapsed()) * 1000;
    this.timer = setTimeout(() => this.boundary(), Math.max(0, ms));
  }

  boundary() {
    const r = this.run;
    if (!r || r.pausedAt !== null || r.over) return;
    const t = this.elapsed();
    let i = r.i;
    let rep = false;
    while (i < r.steps.length && r.steps[i].start + r.steps[i].seconds <= t + EPS) {
      rep = rep || r.steps[i].ends_rep;
      i += 1;
    }
    if (i === r.i) return this.schedule(); // woke a little early
    r.i = i;
    if (i >= r.steps.length) {
      r.over = true;
      this.cue("done", this.data.done_words[0]);
      this.report(t);
      return this.stop(this.data.done_words[1]);
    }
    this.enter(i);
    if (rep) this.report(t);
    this.schedule();
  }

  report(t) {
    this.lastReport = { epoch: this.run.epoch, elapsed: t };
    this.send("report", this.lastReport);
  }

  retryFinal() {
    // The last report may have been lost (connection): say it again until Python has it.
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.lastReport && this.send("report", this.lastReport), 2000);
  }

  // ----- what the person sees and hears ------------------------------------------------------

  enter(i, sound = true) {
    const step = this.run.steps[i];
    if (sound && step.cue) this.cue(step.cue, step.say);
    else if (sound) this.say(step.say);
    const slot = this.data.slots[step.slot];
    const ex = this.data.exercises[slot.exercise];
    const r = this.ref;
    r.labels.textContent = slot.labels;
    r.name.textContent = ex.name;
    r.word.textContent = step.word;
    r.instruction.textContent = step.instruction;
    if (r.picture.getAttribute("src") !== ex.picture) {
      r.picture.setAttribute("src", ex.picture);
      r.picture.setAttribute("alt", ex.alt);
    }
    this.box.dataset.step = step.kind;
    r.word.classList.remove("pulse");
    if (!reducedMotion()) {
      void r.word.offsetWidth; // restart the animation
      r.word.classList.add("pulse");
    }
    this.render();
  }

  render() {
    const r = this.run;
    if (!r || r.over || !r.steps[r.i]) return;
    const step = r.steps[r.i];
    const left = Math.max(0, step.start + step.seconds - this.elapsed());
    const whole = String(Math.ceil(left - 1e-9));
    if (this.ref.count.textContent !== whole) this.ref.count.textContent = whole;
    const done = step.seconds > 0 ? 1 - left / step.seconds : 1;
    const shown = reducedMotion() ? Math.floor(done * step.seconds) / step.seconds : done;
    this.ref.bar.style.width = `${Math.min(100, Math.max(0, shown * 100)).toFixed(1)}%`;
  }

  showPaused() {
    const r = this.run;
    clearTimeout(this.timer);
    this.box.dataset.state = "paused";
    if (r.t0 === null) {
      const step = r.steps[r.i];
      const slot = this.data.slots[step.slot];
      const ex = this.data.exercises[slot.exercise];
      this.ref.labels.textContent = slot.labels;
      this.ref.name.textContent = ex.name;
      this.ref.instruction.textContent = step.instruction;
      this.ref.picture.setAttribute("src", ex.picture);
      this.ref.picture.setAttribute("alt", ex.alt);
      this.ref.word.textContent = "Paused: press Resume to go on";
      this.render();
    } else {
      this.ref.word.textContent = "Paused";
      this.render(); // the seconds left, as of the press
    }
    this.ref.pause.textContent = "Resume";
  }

  stop(text) {
    clearTimeout(this.timer);
    this.box.dataset.state = "finished";
    this.ref.word.textContent = text;
    this.ref.count.textContent = "0";
    this.release();
    if (this.run?.over) this.retryFinal();
  }

  setBusy(busy) {
    for (const b of [this.ref.pause, this.ref.back, this.ref.skipRep, this.ref.skipEx, this.ref.quit]) {
      b.disabled = busy;
    }
    if (busy) this.ref.word.textContent = "One moment...";
  }

  // ----- the person's presses ------------------------------------------------------------

  togglePause() {
    const r = this.run;
    if (!r || r.over || this.waiting) return;
    if (r.t0 === null) return this.act("restart"); // a page opened again: a new run here
    if (r.pausedAt === null) {
      r.pausedAt = performance.now();
      this.showPaused();
    } else {
      r.pausedTotal += performance.now() - r.pausedAt;
      r.pausedAt = null;
      this.box.dataset.state = "running";
      this.ref.pause.textContent = "Pause";
      this.ref.word.textContent = r.steps[r.i].word;
      this.schedule();
      this.wake();
    }
  }

  act(name) {
    const r = this.run;
    if (!r || r.over || this.waiting) return;
    const elapsed = this.elapsed();
    clearTimeout(this.timer);
    r.pausedAt = r.pausedAt ?? performance.now();
    this.waiting = true;
    this.setBusy(true);
    this.ensureAudio(); // a press is a user gesture: let the tones play from now on
    this.send("action", { name, epoch: r.epoch, elapsed });
  }

  onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const target = e.composedPath()[0];
    const tag = target?.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target?.isContentEditable) return;
    if (e.key === " ") {
      if (tag === "BUTTON" || target?.getAttribute?.("role") === "button") return; // it presses
      e.preventDefault();
      this.ensureAudio();
      this.togglePause();
    } else if (e.key === "ArrowRight") {
      e.preventDefault();
      this.act(e.shiftKey ? "skip_exercise" : "skip_rep");
    } else if (e.key === "ArrowLeft") {
      e.preventDefault();
      this.act("back");
    }
  }

  // ----- sound ---------------------------------------------------------------------------

  showSound(sound) {
    this.sound = { ...sound };
    this.ref.mute.textContent = this.sound.muted ? "Unmute" : "Mute";
    this.ref.volume.value = String(Math.round(this.sound.volume * 100));
    this.ref.speak.checked = this.sound.speak;
  }

  setSound(change) {
    this.showSound({ ...this.sound, ...change });
    this.ensureAudio();
    this.send("sound", this.sound);
  }

  ensureAudio() {
    try {
      const AC = window.AudioContext || window.webkitAudioContext;
      if (!AC) return null;
      if (!this.audio) this.audio = new AC();
      if (this.audio.state === "suspended") this.audio.resume().catch(() => {});
      return this.audio;
    } catch (err) {
      return null;
    }
  }

  cue(name, words) {
    if (this.sound.muted) return;
    const ctx = this.ensureAudio();
    const volume = this.sound.volume;
    if (ctx && volume > 0) {
      let t = ctx.currentTime;
      for (const [freq, seconds] of this.data.tones[name]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0, t);
        gain.gain.linearRampToValueAtTime(volume, t + 0.01);
        gain.gain.linearRampToValueAtTime(0, t + seconds);
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.start(t);
        osc.stop(t + seconds + 0.02);
        t += seconds + 0.05;
      }
    }
    this.say(words);
  }

  checkVoices() {
    const voices = window.speechSynthesis.getVoices?.() ?? [];
    this.hasVoice = voices.length > 0;
    this.ref.speakBox.hidden = !this.hasVoice;
  }

  say(words) {
    if (!words || !this.hasVoice || this.sound.muted || !this.sound.speak) return;
    try {
      const u = new SpeechSynthesisUtterance(words);
      u.volume = this.sound.volume;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(u);
    } catch (err) {
      // no voice after all: the tones are enough
    }
  }

  // ----- the screen stays on ---------------------------------------------------------------

  async wake() {
    if (this.lock || !navigator.wakeLock?.request) {
      this.ref.status.textContent = this.lock ? "The screen stays on." : "";
      return;
    }
    try {
      this.lock = await navigator.wakeLock.request("screen");
      this.lock.addEventListener?.("release", () => { this.lock = null; });
      this.ref.status.textContent = "The screen stays on.";
    } catch (err) {
      this.lock = null;
      this.ref.status.textContent = "";
    }
  }

  release() {
    this.lock?.release?.().catch?.(() => {});
    this.lock = null;
    this.ref.status.textContent = "";
  }

  onVisible() {
    const r = this.run;
    if (document.visibilityState === "visible" && r && r.t0 !== null && !r.over) this.wake();
  }

  destroy() {
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    clearInterval(this.ticker);
    this.release();
    this.audio?.close?.().catch?.(() => {});
    if (active === this) active = null;
  }
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  let clock = controllers.get(parentElement);
  if (!clock) {
    clock = new Clock(parentElement);
    controllers.set(parentElement, clock);
  }
  clock.update(data, setTriggerValue);
  // Streamlit keeps only the last cleanup and calls it when the component unmounts.
  return () => {
    clock.destroy();
    controllers.delete(parentElement);
  };
}
