/**
 * Tickets that move on their own (oceane-api.md section 7.7): a script per ticket (statuses
 * one after the other, each a delay after the previous), or, for every ticket without one, an
 * automatic path (by default inProgress, resolved, closed) one step a delay after its last
 * status change: the demo mode. Time comes from the simulator's clock; `advance` applies what
 * is due and runs on a timer, or at once from a test that moved a fake clock.
 */
import { z } from 'zod';
import { FINAL_STATUSES, type TicketBook } from './ticket-book.js';
import {
  TICKET_LIFECYCLE_STATUSES,
  type AutoAdvance,
  type StatusStep,
  type TicketLifecycleStatus,
} from './types.js';

/** The path of the automatic movement unless told otherwise. */
export const DEFAULT_AUTO_PATH = ['inProgress', 'resolved', 'closed'] as const;

const delay = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3_600_000);
const status = z.enum(TICKET_LIFECYCLE_STATUSES);

/** Runtime schema of a status script. */
export const statusStepsSchema = z
  .array(
    z.strictObject({
      status,
      afterMs: delay,
      reason: z.string().min(1).max(500).optional(),
    }),
  )
  .max(50);

/** Runtime schema of the automatic movement (null turns it off). */
export const autoAdvanceSchema = z
  .strictObject({ afterMs: delay.min(1), path: z.array(status).min(1).max(10).optional() })
  .nullable();

interface Script {
  steps: StatusStep[];
  dueAt: number;
}

/** The scripts and the automatic movement. */
export class StatusScripts {
  private readonly scripts = new Map<string, Script>();

  constructor(
    private readonly book: TicketBook,
    private readonly now: () => number,
    private auto: AutoAdvance | null,
  ) {}

  /** Replaces the ticket's script; an empty list ends it. */
  script(id: string, steps: StatusStep[]): void {
    const first = steps[0];
    if (!first) {
      this.scripts.delete(id);
      return;
    }
    this.scripts.set(id, { steps: [...steps], dueAt: this.now() + first.afterMs });
  }

  setAuto(auto: AutoAdvance | null): void {
    this.auto = auto;
  }

  /** Applies every step that is due now: at most one per ticket per call. */
  advance(): void {
    const now = this.now();
    for (const [id, script] of this.scripts) {
      if (script.dueAt > now) continue;
      const ticket = this.book.get(id);
      const step = script.steps.shift();
      if (!ticket || !step) {
        this.scripts.delete(id);
        continue;
      }
      this.book.changeStatus(ticket, {
        status: step.status,
        reason: step.reason ?? `Scripted: ${step.status}`,
      });
      const next = script.steps[0];
      if (next) script.dueAt = now + next.afterMs;
      else this.scripts.delete(id);
    }
    const auto = this.auto;
    if (!auto) return;
    const path: readonly TicketLifecycleStatus[] = auto.path ?? DEFAULT_AUTO_PATH;
    for (const ticket of this.book.tickets) {
      if (FINAL_STATUSES.has(ticket.status) || this.scripts.has(ticket.id)) continue;
      const at = Date.parse(ticket.statusChangeDate ?? ticket.creationDate);
      if (at + auto.afterMs > now) continue;
      const index = path.indexOf(ticket.status);
      const next = index < 0 ? path[0] : path[index + 1];
      if (next === undefined || next === ticket.status) continue;
      this.book.changeStatus(ticket, { status: next, reason: `Demo: moved to ${next}` });
    }
  }
}
