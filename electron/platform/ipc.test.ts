import { describe, expect, it } from 'vitest';
import { IPC_PREFIX, requestSchemas } from '../../shared/ipc-contract.js';
import { ok, type Result } from '../../shared/result.js';
import type { Logger } from '../connector/ports.js';
import type { EventSink, IpcRouter } from '../ipc-router.js';
import {
  senderProblem,
  wireIpc,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
  type IpcWebContents,
} from './ipc.js';

const APP = 'app://oceane';

function frame(
  url: string,
  processId = 4,
  routingId = 1,
  parent: FrameLike | null = null,
): FrameLike {
  return { url, processId, routingId, parent };
}

function fakeWindow(id = 7, url = 'app://oceane/index.html') {
  const sent: [string, unknown][] = [];
  const contents: IpcWebContents = {
    id,
    mainFrame: frame(url),
    isDestroyed: () => false,
    send: (channel, payload) => {
      sent.push([channel, payload]);
    },
  };
  return { contents, sent };
}

function fakeIpcMain() {
  const handlers = new Map<
    string,
    (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>
  >();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
  return { ipcMain, handlers };
}

function recordingRouter() {
  const calls: [string, unknown][] = [];
  const router: IpcRouter = {
    handle: async (channel, payload): Promise<Result<unknown>> => {
      calls.push([channel, payload]);
      return ok('handled');
    },
  };
  return { router, calls };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
}

function setup() {
  const win = fakeWindow();
  const { ipcMain, handlers } = fakeIpcMain();
  const { router, calls } = recordingRouter();
  const logger = recordingLogger();
  let sink: EventSink | null = null;
  let unsubscribed = false;
  const dispose = wireIpc({
    ipcMain,
    router,
    subscribe: (s) => {
      sink = s;
      return () => {
        unsubscribed = true;
      };
    },
    target: () => win.contents,
    appOrigin: APP,
    logger,
  });
  const invoke = (channel: string, event: InvokeEventLike, payload?: unknown) => {
    const handler = handlers.get(IPC_PREFIX + channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload);
  };
  return {
    win,
    handlers,
    calls,
    logger,
    invoke,
    dispose,
    emit: (...args: Parameters<EventSink>) => sink!(...args),
    unsubscribed: () => unsubscribed,
  };
}

describe('IPC wiring', () => {
  it('registers one prefixed handler per request channel of the contract', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(requestSchemas)
        .map((c) => IPC_PREFIX + c)
        .sort(),
    );
  });

  it('passes a message from our main frame on the app origin to the router', async () => {
    const s = setup();
    const event = { sender: { id: 7 }, senderFrame: frame('app://oceane/index.html') };
    await expect(s.invoke('tickets:list', event)).resolves.toEqual(ok('handled'));
    expect(s.calls).toEqual([['tickets:list', undefined]]);
  });

  it('drops a message from a foreign origin loaded in our frame, and logs it', async () => {
    const s = setup();
    const event = { sender: { id: 7 }, senderFrame: frame('https://attacker.example/') };
    const answer = await s.invoke('settings:update', event, { clientSecret: 'x' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(s.calls).toEqual([]);
    expect(s.logger.warnings).toEqual(['Dropped an IPC message from an untrusted sender']);
  });

  it('drops a message from a subframe, even on the app origin', async () => {
    const s = setup();
    const parent = frame('app://oceane/index.html');
    const event = { sender: { id: 7 }, senderFrame: frame('app://oceane/x.html', 4, 9, parent) };
    await s.invoke('tickets:list', event);
    expect(s.calls).toEqual([]);
  });

  it('drops a message from another web contents', async () => {
    const s = setup();
    const event = { sender: { id: 99 }, senderFrame: frame('app://oceane/index.html') };
    await s.invoke('tickets:list', event);
    expect(s.calls).toEqual([]);
  });

  it('drops a message whose frame is gone or is not the main frame of our window', async () => {
    const s = setup();
    await s.invoke('tickets:list', { sender: { id: 7 }, senderFrame: null });
    await s.invoke('tickets:list', {
      sender: { id: 7 },
      senderFrame: frame('app://oceane/', 5, 1),
    });
    expect(s.calls).toEqual([]);
  });

  it('explains each refusal', () => {
    const win = fakeWindow();
    const ok = { sender: { id: 7 }, senderFrame: frame('app://oceane/index.html') };
    expect(senderProblem(ok, win.contents, APP)).toBeNull();
    expect(senderProblem(ok, null, APP)).toBe('no app window');
    expect(senderProblem({ ...ok, senderFrame: frame('app://other/') }, win.contents, APP)).toBe(
      'sender frame is not on the app origin',
    );
  });

  it('sends the events of the services to our window, prefixed', () => {
    const s = setup();
    s.emit('queue:changed', { locked: false, lockedBy: null, pending: [] });
    expect(s.win.sent).toEqual([
      [IPC_PREFIX + 'queue:changed', { locked: false, lockedBy: null, pending: [] }],
    ]);
  });

  it('removes its handlers and its subscription when disposed', () => {
    const s = setup();
    s.dispose();
    expect(s.handlers.size).toBe(0);
    expect(s.unsubscribed()).toBe(true);
  });
});
