/** Re-exports of the shared types the router speaks, so router code reads in one place. */
export type * from '../shared/domain.js';
export type { EventMap } from '../shared/ipc-contract.js';
