/**
 * The attempts of each queued request (issue 12): every create and look-up this run made, with
 * its outcome, kept in memory and written on the request's row when it settles. The row's
 * earlier attempts (other runs, before a Retry) come first; the row keeps the last
 * ATTEMPTS_KEPT.
 */
import type { TicketAttempt, TicketRow } from '../../shared/domain.js';
import { ATTEMPTS_KEPT } from '../../shared/schemas.js';
import type { ConnectorCore } from './connector-core.js';

export class AttemptHistory {
  /** Instance -> its attempts so far. */
  private readonly byInstance = new Map<string, TicketAttempt[]>();

  constructor(private readonly core: ConnectorCore) {}

  /** Notes one attempt. */
  record(
    instance: string,
    call: TicketAttempt['call'],
    outcome: string,
    status: number | null,
  ): void {
    const list = this.byInstance.get(instance) ?? [
      ...(this.core.ticketRow(instance)?.attempts ?? []),
    ];
    list.push({
      at: new Date(this.core.clock.now()).toISOString(),
      call,
      outcome,
      httpStatus: status,
    });
    this.byInstance.set(instance, list.slice(-ATTEMPTS_KEPT));
  }

  /** The attempts to write on a settled row (none noted: the row's own). */
  of(instance: string, row: TicketRow): { attempts?: TicketAttempt[] } {
    const attempts = this.byInstance.get(instance) ?? row.attempts;
    return attempts ? { attempts } : {};
  }

  /** Forgets a request's attempts (settled, or replaced by a new request or a Retry). */
  forget(instance: string): void {
    this.byInstance.delete(instance);
  }
}
