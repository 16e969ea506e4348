import type { OceaneApi } from '../../shared/ipc-contract.js';

declare global {
  interface Window {
    /** The bridge to the main process, exposed by the preload (or the browser test harness). */
    readonly oceane: OceaneApi;
  }
}

export {};
