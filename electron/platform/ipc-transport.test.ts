import { describe, expect, it } from 'vitest';
import {
  createRendererApi,
  IPC_PREFIX,
  type EventChannel,
  type RequestChannel,
} from '../../shared/ipc-contract.js';
import { createIpcTransport, type IpcRendererLike } from './ipc-transport.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcRendererLike = {
    invoke: async (channel, payload) => {
      invoked.push([channel, payload]);
      return { ok: true, value: 'answer' };
    },
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'electron event' }, payload);
  };
  return { ipc, invoked, listeners, emit };
}

describe('the preload transport', () => {
  it('invokes the prefixed channel with the payload', async () => {
    const fake = fakeIpcRenderer();
    const api = createRendererApi(createIpcTransport(fake.ipc));
    await expect(api.retryTicket('inst-1')).resolves.toEqual({ ok: true, value: 'answer' });
    expect(fake.invoked).toEqual([[IPC_PREFIX + 'tickets:retry', { instance: 'inst-1' }]]);
  });

  it('refuses a channel outside the contract', async () => {
    const fake = fakeIpcRenderer();
    const transport = createIpcTransport(fake.ipc);
    await expect(
      transport.invoke('electron-store-get-data' as RequestChannel, undefined),
    ).rejects.toThrow('Unknown request channel');
    expect(() => transport.subscribe('anything' as EventChannel, () => undefined)).toThrow(
      'Unknown event channel',
    );
    expect(fake.invoked).toEqual([]);
  });

  it('hands listeners the payload only, never the Electron event', () => {
    const fake = fakeIpcRenderer();
    const api = createRendererApi(createIpcTransport(fake.ipc));
    const received: unknown[][] = [];
    api.on('notice', (...args: unknown[]) => received.push(args));
    fake.emit(IPC_PREFIX + 'notice', { id: 'n1' });
    expect(received).toEqual([[{ id: 'n1' }]]);
  });

  it('returns an unsubscribe function that stops delivery', () => {
    const fake = fakeIpcRenderer();
    const api = createRendererApi(createIpcTransport(fake.ipc));
    const received: unknown[] = [];
    const off = api.on('queue:changed', (p) => received.push(p));
    off();
    fake.emit(IPC_PREFIX + 'queue:changed', { locked: true });
    expect(received).toEqual([]);
    expect(fake.listeners.get(IPC_PREFIX + 'queue:changed')?.size).toBe(0);
  });
});
