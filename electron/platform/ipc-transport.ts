/**
 * The preload's transport (shared/ipc-contract.ts `Transport`) over `ipcRenderer`: a request
 * is `invoke('oceane:<channel>', payload)`; a subscription listens on `oceane:<channel>`,
 * drops the Electron event (the renderer never sees it, nor `ipcRenderer`) and returns the
 * function that unsubscribes. Only the contract's channels are reachable, whatever the
 * renderer passes at run time.
 */
import {
  EVENT_CHANNELS,
  IPC_PREFIX,
  requestSchemas,
  type Transport,
} from '../../shared/ipc-contract.js';

/** The part of `ipcRenderer` the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds the transport of `createRendererApi` over `ipcRenderer`. */
export function createIpcTransport(ipc: IpcRendererLike): Transport {
  return {
    invoke(channel, payload) {
      if (typeof channel !== 'string' || !Object.hasOwn(requestSchemas, channel)) {
        return Promise.reject(new Error(`Unknown request channel: ${String(channel)}`));
      }
      return ipc.invoke(IPC_PREFIX + channel, payload);
    },
    subscribe(channel, listener) {
      if (!EVENT_CHANNELS.includes(channel)) {
        throw new Error(`Unknown event channel: ${String(channel)}`);
      }
      const name = IPC_PREFIX + channel;
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(name, wrapped);
      return () => {
        ipc.removeListener(name, wrapped);
      };
    },
  };
}
