import { afterEach, describe, expect, it } from 'vitest';
import { createRendererApi, type Transport } from '../../shared/ipc-contract.js';
import { callMain, reasonOf } from './api.js';

/** Installs `window.oceane` as the real renderer API over `transport` (what the preload does). */
function installBridge(transport: Transport): void {
  Object.defineProperty(globalThis, 'window', {
    value: { oceane: createRendererApi(transport) },
    configurable: true,
  });
}

const noEvents: Transport['subscribe'] = () => () => undefined;

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'window');
});

describe('callMain', () => {
  it("passes main's answer through, failures included", async () => {
    installBridge({
      invoke: async () => ({ ok: false, error: { code: 'refused', message: 'Not Oceane' } }),
      subscribe: noEvents,
    });

    const result = await callMain((api) => api.openTicketUrl('https://elsewhere.example/x'));

    expect(result).toEqual({ ok: false, error: { code: 'refused', message: 'Not Oceane' } });
  });

  it('turns a call that main threw on into a failure an operator can act on', async () => {
    installBridge({
      invoke: () =>
        Promise.reject(
          new Error(
            "Error invoking remote method 'oceane:shell:open-ticket-url': Error: xdg-open not found",
          ),
        ),
      subscribe: noEvents,
    });

    const result = await callMain((api) => api.openTicketUrl('https://oceane.example/ticket/1'));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('call-failed');
    expect(result.error.message).toBe(
      "The app's background service failed (xdg-open not found). " +
        'Try again; if it keeps failing, restart the app.',
    );
  });
});

describe('reasonOf', () => {
  it('keeps the reason of anything thrown, never an empty one', () => {
    expect(reasonOf('plain text')).toBe('plain text');
    expect(reasonOf(new Error(''))).toBe('no reason given');
  });
});
