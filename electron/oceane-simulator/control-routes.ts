/**
 * The `/__simulator/` routes: scripting and inspection for manual testing with curl and for
 * tests that run the simulator in another process. They exist only on the simulator; a real
 * Oceane has nothing like them. Each does what a method of `RunningSimulator` does.
 */
import { z } from 'zod';
import {
  errorAnswer,
  json,
  methodNotAllowed,
  NO_CONTENT,
  notFound,
  parseJsonBody,
  unknownTicket,
  type Answer,
} from './http-answers.js';
import { faultRequestSchema } from './fault-script.js';
import { ORANGE_CODES, orangeError } from './orange-errors.js';
import { autoAdvanceSchema, statusStepsSchema } from './status-scripts.js';
import {
  TICKET_LIFECYCLE_STATUSES,
  type RunningSimulator,
  type SimulatorRequestLog,
} from './types.js';

/** What the control routes act on. */
export type ControlTarget = Omit<RunningSimulator, 'url' | 'port' | 'close' | 'requests'> & {
  /** The request log itself (not a copy). */
  requestLog(): SimulatorRequestLog[];
  /** True when a ticket has this id. */
  hasTicket(id: string): boolean;
};

const setStatusSchema = z.strictObject({
  status: z.enum(TICKET_LIFECYCLE_STATUSES),
  reason: z.string().min(1).max(500).optional(),
});
const latencySchema = z.strictObject({ ms: z.number().min(0).finite() });

function refused(detail: string): Answer {
  return errorAnswer(orangeError(400, ORANGE_CODES.invalidBodyField, 'Invalid body field', detail));
}

/** Parses the JSON body with a schema, or answers 400. */
function read<T>(
  schema: z.ZodType<T>,
  body: Buffer,
): { ok: true; value: T } | { ok: false; answer: Answer } {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return parsed;
  const checked = schema.safeParse(parsed.value);
  return checked.success
    ? { ok: true, value: checked.data }
    : { ok: false, answer: refused(checked.error.message) };
}

/** `/__simulator/tickets/{id}/status` and `/__simulator/tickets/{id}/script`. */
function ticketControl(sim: ControlTarget, method: string, name: string, body: Buffer): Answer {
  const match = /^tickets\/([^/]+)\/(status|script)$/.exec(name);
  if (!match?.[1]) return notFound('No such control route');
  let id: string;
  try {
    id = decodeURIComponent(match[1]);
  } catch {
    return notFound('No such control route');
  }
  if (method !== 'POST') return methodNotAllowed('POST');
  if (!sim.hasTicket(id)) return unknownTicket(id);
  if (match[2] === 'status') {
    const request = read(setStatusSchema, body);
    if (!request.ok) return request.answer;
    return json(200, sim.setStatus(id, request.value.status, request.value.reason));
  }
  const request = read(z.strictObject({ steps: statusStepsSchema }), body);
  if (!request.ok) return request.answer;
  sim.scriptStatuses(id, request.value.steps);
  return NO_CONTENT;
}

/** Serves one control route. */
export function serveControl(
  sim: ControlTarget,
  method: string,
  name: string,
  body: Buffer,
): Answer {
  switch (name) {
    case 'faults': {
      if (method === 'DELETE') {
        sim.clearFaults();
        return NO_CONTENT;
      }
      if (method !== 'POST') return methodNotAllowed('POST, DELETE');
      const request = read(faultRequestSchema, body);
      if (!request.ok) return request.answer;
      const { route, fault, times = 1 } = request.value;
      try {
        sim.inject(route, fault, times);
      } catch (error) {
        return refused(error instanceof Error ? error.message : String(error));
      }
      return json(200, { route, fault, times });
    }
    case 'revoke-tokens':
      if (method !== 'POST') return methodNotAllowed('POST');
      sim.revokeTokens();
      return NO_CONTENT;
    case 'latency': {
      if (method !== 'POST') return methodNotAllowed('POST');
      const request = read(latencySchema, body);
      if (!request.ok) return refused('Send { "ms": <number >= 0> }');
      sim.setLatency(request.value.ms);
      return NO_CONTENT;
    }
    case 'auto-advance': {
      if (method !== 'POST') return methodNotAllowed('POST');
      const request = read(z.strictObject({ auto: autoAdvanceSchema }), body);
      if (!request.ok) return request.answer;
      sim.setAutoAdvance(request.value.auto);
      return NO_CONTENT;
    }
    case 'advance':
      if (method !== 'POST') return methodNotAllowed('POST');
      sim.advanceStatuses();
      return NO_CONTENT;
    case 'ledger':
      return method === 'GET' ? json(200, sim.ledger()) : methodNotAllowed('GET');
    case 'requests':
      return method === 'GET' ? json(200, sim.requestLog()) : methodNotAllowed('GET');
    case 'hubs':
      return method === 'GET' ? json(200, sim.hubs()) : methodNotAllowed('GET');
    case 'deliveries':
      return method === 'GET' ? json(200, sim.deliveries()) : methodNotAllowed('GET');
    default:
      return name.startsWith('tickets/')
        ? ticketControl(sim, method, name, body)
        : notFound('No such control route');
  }
}
