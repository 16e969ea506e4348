/**
 * The Oceane simulator (oceane-api.md section 6): start it with `startSimulator()`, script
 * faults with `inject()`, read what it created with `ledger()` and what it saw with
 * `requests()`.
 */
export { startSimulator } from './server.js';
export { DEMO_CREDENTIALS } from './types.js';
export type {
  FaultBodyShape,
  RunningSimulator,
  SimulatorFault,
  SimulatorOptions,
  SimulatorRequestLog,
  SimulatorRoute,
  TicketCharacteristic,
  TicketExternalIdentifier,
  TicketRelatedEntity,
  TicketRelatedParty,
  TroubleTicket,
  TroubleTicketBody,
} from './types.js';
