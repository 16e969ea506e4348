/**
 * Runs inside the page under test, before the app's own script: builds `window.oceane` with the
 * real `createRendererApi`, over a transport made of a Playwright binding (requests) and a
 * delivery function the harness calls (events). Only the transport differs from the desktop
 * app's preload.
 */
import { createRendererApi, type EventChannel, type Transport } from '../../shared/ipc-contract.js';

declare global {
  interface Window {
    __oceaneInvoke(channel: string, payload: unknown): Promise<unknown>;
    __oceaneDeliver(channel: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

window.__oceaneDeliver = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

const transport: Transport = {
  invoke: (channel, payload) => window.__oceaneInvoke(channel, payload),
  subscribe(channel: EventChannel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
};

Object.defineProperty(window, 'oceane', {
  value: Object.freeze(createRendererApi(transport)),
  writable: false,
  configurable: false,
});
