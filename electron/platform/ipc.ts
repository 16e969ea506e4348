/**
 * Wires the IPC router to Electron (checklist item 17): one `ipcMain.handle` per request
 * channel of the contract, and before the router sees a message, a check that it comes from
 * the main frame of our own window showing our own origin. Anything else is dropped (the
 * router never runs) and logged. Events from the services go to our window only.
 *
 * Electron's objects are passed in, so tests use small fakes and never load Electron.
 */
import { IPC_PREFIX, requestSchemas, type EventChannel } from '../../shared/ipc-contract.js';
import { fail, type Result } from '../../shared/result.js';
import type { Logger } from '../connector/ports.js';
import type { EventSink, IpcRouter } from '../ipc-router.js';
import { isAppUrl } from './web-security.js';

/** The part of a `WebFrameMain` the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: FrameLike | null;
}

/** The part of a `WebContents` the IPC wiring uses. */
export interface IpcWebContents {
  readonly id: number;
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The part of an `IpcMainInvokeEvent` the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The part of `ipcMain` the wiring uses. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/**
 * Why a message must be dropped, or null when it comes from the main frame of `target`
 * (our window) and that frame shows `appOrigin`.
 */
export function senderProblem(
  event: InvokeEventLike,
  target: IpcWebContents | null,
  appOrigin: string,
): string | null {
  if (!target || target.isDestroyed()) return 'no app window';
  if (event.sender.id !== target.id) return 'sender is not the app window';
  const frame = event.senderFrame;
  if (!frame) return 'sender frame is gone';
  if (frame.parent !== null) return 'sender is a subframe';
  const main = target.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) {
    return 'sender is not the main frame';
  }
  if (!isAppUrl(frame.url, appOrigin)) return 'sender frame is not on the app origin';
  return null;
}

/** Options of `wireIpc`. */
export interface WireIpcOptions {
  ipcMain: IpcMainLike;
  router: IpcRouter;
  /** `services.subscribe`: events of the services. */
  subscribe: (sink: EventSink) => () => void;
  /** Our window's web contents (null before it exists or after it closed). */
  target: () => IpcWebContents | null;
  /** `app://oceane` in production, the dev server's origin in development. */
  appOrigin: string;
  logger: Logger;
}

/**
 * Registers `oceane:<channel>` handlers for every request channel and forwards every event
 * of the services to our window. Returns the function that undoes both.
 */
export function wireIpc(options: WireIpcOptions): () => void {
  const { ipcMain, router, logger, appOrigin } = options;
  const channels = Object.keys(requestSchemas);
  for (const channel of channels) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, payload): Promise<Result<unknown>> => {
      const problem = senderProblem(event, options.target(), appOrigin);
      if (problem !== null) {
        logger.warn('Dropped an IPC message from an untrusted sender', {
          channel,
          problem,
          url: event.senderFrame?.url.slice(0, 500) ?? null,
        });
        return fail('refused', 'Request refused.');
      }
      return router.handle(channel, payload);
    });
  }
  const unsubscribe = options.subscribe((channel: EventChannel, payload: unknown) => {
    const target = options.target();
    if (!target || target.isDestroyed()) return;
    target.send(IPC_PREFIX + channel, payload);
  });
  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(IPC_PREFIX + channel);
  };
}
