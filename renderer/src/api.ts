/**
 * The renderer's only way to the main process: `window.oceane`, typed by the shared contract.
 * Kept behind a function so that nothing reads it before the preload has run.
 */
import type { OceaneApi } from '../../shared/ipc-contract.js';

/** The bridge to main. */
export function oceane(): OceaneApi {
  return window.oceane;
}
