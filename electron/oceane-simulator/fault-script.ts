/**
 * Scripted faults (oceane-api.md section 6): their runtime schema, shared by `inject()` and the
 * `POST /__simulator/faults` control route, and the per-route FIFO queue that hands them out.
 */
import { z } from 'zod';
import { SIMULATOR_ROUTES, type SimulatorFault, type SimulatorRoute } from './types.js';

const httpStatus = z.number().int().min(200).max(599);
const delayMs = z.number().int().min(0).max(3_600_000);

/** Runtime schema of `SimulatorFault`. */
export const simulatorFaultSchema: z.ZodType<SimulatorFault> = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: httpStatus,
    body: z.enum(['orange', 'tmf630', 'html', 'text', 'empty']).optional(),
    code: z.union([z.number(), z.string()]).optional(),
    message: z.string().optional(),
    description: z.string().optional(),
    retryAfter: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('raw'),
    status: httpStatus,
    contentType: z.string().optional(),
    body: z.string(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ kind: z.literal('delay'), ms: delayMs }),
  z.strictObject({ kind: z.literal('drop') }),
  z.strictObject({
    kind: z.literal('ambiguous'),
    mode: z.enum(['drop', 'delay']),
    ms: delayMs.optional(),
  }),
  z.strictObject({ kind: z.literal('expire-token') }),
]);

/** Runtime schema of the body of `POST /__simulator/faults`. */
export const faultRequestSchema = z.strictObject({
  route: z.enum(SIMULATOR_ROUTES as [SimulatorRoute, ...SimulatorRoute[]]),
  fault: simulatorFaultSchema,
  times: z.number().int().min(1).optional(),
});

/** True for a valid repeat count: a positive integer, or Infinity for "until cleared". */
export function isValidTimes(times: number): boolean {
  return times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1);
}

interface QueuedFault {
  fault: SimulatorFault;
  remaining: number;
}

/** Faults waiting for the next requests of each route, first in, first out. */
export class FaultQueue {
  private readonly queues = new Map<SimulatorRoute, QueuedFault[]>();

  /** Queues `fault` for the next `times` requests of `route`. */
  push(route: SimulatorRoute, fault: SimulatorFault, times: number): void {
    const queue = this.queues.get(route) ?? [];
    queue.push({ fault: structuredClone(fault), remaining: times });
    this.queues.set(route, queue);
  }

  /** The fault for one request of `route` (used up by this call), or undefined. */
  take(route: SimulatorRoute): SimulatorFault | undefined {
    const queue = this.queues.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  /** Forgets every queued fault. */
  clear(): void {
    this.queues.clear();
  }
}
