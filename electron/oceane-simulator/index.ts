/**
 * The Oceane simulator (oceane-api.md section 6): start it with `startSimulator()`, script
 * faults with `inject()`, read what it created with `ledger()` and what it saw with
 * `requests()`, move tickets with `setStatus()`, `scriptStatuses()` or `setAutoAdvance()`.
 */
export { startSimulator } from './server.js';
export { DEMO_AUTO_ADVANCE, DEMO_CREDENTIALS, TICKET_LIFECYCLE_STATUSES } from './types.js';
export type {
  AutoAdvance,
  SimulatorDelivery,
  SimulatorHub,
  StatusStep,
  TicketLifecycleStatus,
  TicketNote,
  TicketStatusChange,
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
