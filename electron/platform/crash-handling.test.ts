import { describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/domain.js';
import { silentLogger } from '../connector/ports.js';
import {
  createMainFaultHandler,
  FAULT_BUTTONS,
  guardRendererCrashes,
  rendererErrorPage,
  type CrashableWebContents,
  type FaultDialogOptions,
  type RenderProcessGoneDetails,
} from './crash-handling.js';

/** A fake WebContents that records what the guard does with it. */
function fakeContents() {
  let listener: ((event: unknown, details: RenderProcessGoneDetails) => void) | null = null;
  const actions: string[] = [];
  const contents: CrashableWebContents = {
    on: (_event, l) => (listener = l),
    reload: () => actions.push('reload'),
    loadURL: (url) => {
      actions.push(url.startsWith('data:') ? 'error page' : url);
      return Promise.resolve();
    },
  };
  const crash = (reason = 'crashed') => listener!({}, { reason, exitCode: 139 });
  return { contents, actions, crash };
}

function guarded(start = 1_000_000) {
  let time = start;
  const notices: Notice[] = [];
  const fake = fakeContents();
  guardRendererCrashes(fake.contents, {
    logger: silentLogger,
    notify: (n) => notices.push(n),
    entryUrl: 'app://oceane/index.html',
    logFile: '/home/op/.config/Oceane Alarm Console/logs/oceane-console.log',
    windowMs: 60_000,
    now: () => time,
  });
  return { ...fake, notices, advance: (ms: number) => (time += ms) };
}

describe('a crashed renderer', () => {
  it('is reloaded once, with a notice for the operator', () => {
    const g = guarded();
    g.crash('crashed');
    expect(g.actions).toEqual(['reload']);
    expect(g.notices).toHaveLength(1);
    expect(g.notices[0]).toMatchObject({ level: 'warning', title: 'The window was reloaded' });
    expect(g.notices[0]!.message).toContain('crashed');
  });

  it('shows the error page instead when it crashes again within the window', () => {
    const g = guarded();
    g.crash('crashed');
    g.advance(59_000);
    g.crash('oom');
    expect(g.actions).toEqual(['reload', 'error page']);
    expect(g.notices).toHaveLength(1);
  });

  it('is reloaded again when the crashes are far apart', () => {
    const g = guarded();
    g.crash();
    g.advance(61_000);
    g.crash();
    expect(g.actions).toEqual(['reload', 'reload']);
  });

  it('is left alone when it exits cleanly (the window closes)', () => {
    const g = guarded();
    g.crash('clean-exit');
    expect(g.actions).toEqual([]);
  });
});

describe('the error page', () => {
  it('is a script-free page that names the log file and links back to the app', () => {
    const url = rendererErrorPage({
      entryUrl: 'app://oceane/index.html',
      logFile: '/tmp/<b>&"log',
    });
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    const html = decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('href="app://oceane/index.html"');
    expect(html).toContain('/tmp/&lt;b&gt;&amp;&quot;log');
  });
});

/** A fault handler whose dialog answers with `responses`, one per fault. */
function faultHandler(responses: number[], restarts: boolean[] = [true]) {
  const dialogs: FaultDialogOptions[] = [];
  const events: string[] = [];
  let release: (() => void) | null = null;
  const handler = createMainFaultHandler({
    logger: silentLogger,
    logFile: () => '/data/logs/oceane-console.log',
    showDialog: (options) => {
      dialogs.push(options);
      const response = responses.shift() ?? 1;
      return new Promise((resolve) => {
        release = () => resolve({ response });
      });
    },
    restartServices: () => {
      events.push('restart');
      return Promise.resolve(restarts.shift() ?? true);
    },
    quit: () => events.push('quit'),
  });
  return { handler, dialogs, events, answer: () => release!() };
}

describe('a main-process fault', () => {
  it('shows what happened and where the log is, then restarts the services', async () => {
    const f = faultHandler([0]);
    const handled = f.handler(new Error('Cannot read properties of undefined'));
    f.answer();
    await handled;
    expect(f.dialogs).toHaveLength(1);
    expect(f.dialogs[0]!.buttons).toEqual([...FAULT_BUTTONS]);
    expect(f.dialogs[0]!.detail).toContain('Cannot read properties of undefined');
    expect(f.dialogs[0]!.detail).toContain('/data/logs/oceane-console.log');
    expect(f.events).toEqual(['restart']);
  });

  it('quits cleanly when the operator chooses Quit', async () => {
    const f = faultHandler([1]);
    const handled = f.handler(new Error('boom'));
    f.answer();
    await handled;
    expect(f.events).toEqual(['quit']);
  });

  it('quits when the services do not start again', async () => {
    const f = faultHandler([0], [false]);
    const handled = f.handler(new Error('boom'));
    f.answer();
    await handled;
    expect(f.events).toEqual(['restart', 'quit']);
  });

  it('logs further faults while the dialog is open without stacking dialogs', async () => {
    const f = faultHandler([0, 0]);
    const first = f.handler(new Error('first'));
    await f.handler(new Error('second'));
    expect(f.dialogs).toHaveLength(1);
    f.answer();
    await first;
    expect(f.events).toEqual(['restart']);
    // Once handled, the next fault asks again.
    const third = f.handler(new Error('third'));
    f.answer();
    await third;
    expect(f.dialogs).toHaveLength(2);
  });
});
