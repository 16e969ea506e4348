/**
 * Runs inside the console page (bundled and injected with addInitScript): the stopwatch of the
 * browser benchmarks (issue 6, targets 6 to 9). Times are taken in the page, on the page's own
 * clock, so that Playwright's round trips are not part of them:
 *
 * - start: the `timeStamp` of the operator's input event (input, pointerdown, contextmenu),
 *   i.e. when the browser received the input;
 * - end: once the DOM shows the result (checked on every DOM mutation), two animation frames
 *   later: the first frame callback runs before the frame that contains the result is
 *   painted, the second one after it, so the end is the start of the next frame. "Painted"
 *   therefore means "a frame with the result was produced", as close as a page can observe.
 *
 * Frame times are the intervals between consecutive animation frames.
 */

/** What ends a timed interaction. */
export type ProbeCondition =
  | { kind: 'rowcount-change' }
  | { kind: 'sort-change'; column: string }
  | { kind: 'menu-open' }
  | { kind: 'menu-closed' }
  | { kind: 'rowcount'; value: number };

/** The probe's API on `window.__bench`. */
export interface PageProbe {
  /** Starts listening for `startEvent`; the interaction then ends when `until` holds. */
  arm(startEvent: string, until: ProbeCondition): void;
  /** The duration of the armed interaction in ms (rejects after `timeoutMs`). */
  result(timeoutMs?: number): Promise<number>;
  /** Resolves once `until` holds (no timing), for the untimed steps between measurements. */
  waitFor(until: ProbeCondition, timeoutMs?: number): Promise<void>;
  /**
   * Frame intervals (ms) over `durationMs`; with `scroll`, the grid is scrolled back and
   * forth over the same pixel range by `stepPx` per frame.
   */
  frames(durationMs: number, scroll?: { rangePx: number; stepPx: number }): Promise<number[]>;
  /** Resolves when the main thread has been quiet for about `quietFrames` × 3 frames. */
  settle(quietFrames?: number, timeoutMs?: number): Promise<void>;
}

declare global {
  interface Window {
    __bench: PageProbe;
  }
}

function grid(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="grid"][aria-label="Alarms"]');
}

function sortOf(column: string): string | null {
  for (const button of Array.from(
    document.querySelectorAll<HTMLElement>('[role="columnheader"] button'),
  )) {
    if (button.textContent?.replace(/[▲▼]/g, '').trim() === column) {
      return button.closest('[role="columnheader"]')?.getAttribute('aria-sort') ?? null;
    }
  }
  return null;
}

/** A check that is true once the condition holds, relative to the state when it was made. */
function checker(until: ProbeCondition): () => boolean {
  switch (until.kind) {
    case 'rowcount-change': {
      const before = grid()?.getAttribute('aria-rowcount');
      return () => grid()?.getAttribute('aria-rowcount') !== before;
    }
    case 'rowcount':
      return () => grid()?.getAttribute('aria-rowcount') === String(until.value + 1);
    case 'sort-change': {
      const before = sortOf(until.column);
      return () => sortOf(until.column) !== before;
    }
    case 'menu-open':
      return () => document.querySelector('[role="menu"] [role="menuitem"]') !== null;
    case 'menu-closed':
      return () => document.querySelector('[role="menu"]') === null;
  }
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** Resolves when `check()` holds, looking at every DOM mutation and every frame. */
function whenTrue(check: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const observer = new MutationObserver(() => {
      if (check()) finish();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    const timer = setTimeout(() => finish(new Error('probe: condition not reached')), timeoutMs);
    const poll = (): void => {
      if (done) return;
      if (check()) finish();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

let armed: { start: number | null; shown: Promise<number> } | null = null;

const probe: PageProbe = {
  arm(startEvent, until) {
    const state: { start: number | null; shown: Promise<number> } = {
      start: null,
      shown: Promise.resolve(0),
    };
    const check = checker(until);
    let startSeen: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (startSeen = resolve));
    document.addEventListener(
      startEvent,
      (event) => {
        state.start = event.timeStamp;
        startSeen();
      },
      { capture: true, once: true },
    );
    state.shown = started
      .then(() => whenTrue(check, 30_000))
      .then(async () => {
        await nextFrame();
        await nextFrame();
        return performance.now();
      });
    armed = state;
  },

  async result(timeoutMs = 30_000) {
    const state = armed;
    armed = null;
    if (!state) throw new Error('probe: nothing armed');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('probe: no result')), timeoutMs);
    });
    try {
      const end = await Promise.race([state.shown, timeout]);
      return end - (state.start ?? end);
    } finally {
      clearTimeout(timer);
    }
  },

  waitFor(until, timeoutMs = 30_000) {
    return whenTrue(checker(until), timeoutMs);
  },

  async frames(durationMs, scroll) {
    const g = grid();
    if (!g) throw new Error('probe: no alarm grid');
    const intervals: number[] = [];
    let position = 0;
    let direction = 1;
    if (scroll) g.scrollTop = 0;
    let last = await nextFrame();
    const end = last + durationMs;
    for (;;) {
      if (scroll) {
        position += direction * scroll.stepPx;
        if (position >= scroll.rangePx || position <= 0) {
          position = Math.min(Math.max(position, 0), scroll.rangePx);
          direction = -direction;
        }
        g.scrollTop = position;
      }
      const now = await nextFrame();
      intervals.push(now - last);
      last = now;
      if (now >= end) break;
    }
    return intervals;
  },

  async settle(quietFrames = 3, timeoutMs = 20_000) {
    // Quiet: timers of one frame's length fire on time, `quietFrames` times three in a row,
    // so the previous interaction's work (renders, deferred renders) is over. (Idle callbacks
    // are no good for this: Chromium withholds them for a while after some inputs even when
    // the main thread does nothing.)
    const deadline = performance.now() + timeoutMs;
    let quiet = 0;
    while (quiet < quietFrames * 3 && performance.now() < deadline) {
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 16));
      quiet = performance.now() - start < 16 + 4 ? quiet + 1 : 0;
    }
  },
};

window.__bench = probe;
