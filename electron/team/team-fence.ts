/**
 * The local fence of a lease holder's sends (issue 14): the frozen-holder window closed.
 *
 * A console marks a create, a note or a status change "may have been sent" under its lease,
 * then sends it. Were it frozen between the mark and the send (a GC pause, SIGSTOP, a VM
 * stall) longer than its lease, another console could take over, look the request up in
 * Oceane (nothing yet) and send it: the frozen one, waking, would send it a second time.
 *
 * So, right before the HTTP call leaves (in the fetch itself, after the token is had), the
 * console checks on a monotonic clock (performance.now, which counts a frozen process's time)
 * that the time since its lease was last confirmed in the database is below the lease minus
 * the request time-out: the call, ended by its time-out, then ends while the lease is still
 * its own. A confirmation counts from when its statement was sent (the database's expiry is
 * later than that plus the lease). Otherwise nothing leaves: the row stays "may have been
 * sent", and the next holder looks it up before anything is sent again.
 */
import type { HttpTransport } from '../connector/http-transport.js';

/** The fence refused a send: nothing left this console. */
export class FenceClosed extends Error {
  constructor() {
    super('Not sent: the lease was not confirmed recently enough');
  }
}

/** One send's guarded transport, and whether the fence refused it. */
export interface GuardedSend {
  transport: HttpTransport;
  readonly refused: boolean;
}

/** The fence of one lease of one console. */
export class SendFence {
  private confirmedAt: number | null = null;
  /** How many sends the fence refused (tests, logs). */
  refusals = 0;

  constructor(
    /** The lease (ms). */
    private readonly leaseMs: number,
    /** The time-out of one call to Oceane (ms). */
    private readonly timeoutMs: number,
    /** The monotonic clock (ms). */
    readonly now: () => number = () => performance.now(),
  ) {}

  /** The lease held, as the statement sent at `startedAt` (this.now()) confirmed. */
  confirm(startedAt: number): void {
    if (this.confirmedAt === null || startedAt > this.confirmedAt) this.confirmedAt = startedAt;
  }

  /** The lease is not (or no longer) this console's. */
  lost(): void {
    this.confirmedAt = null;
  }

  /** True while a call that leaves now ends before the lease could run out. */
  isOpen(): boolean {
    return (
      this.confirmedAt !== null && this.now() - this.confirmedAt < this.leaseMs - this.timeoutMs
    );
  }

  /**
   * A transport for one send whose fetch checks the fence as the request leaves (also the
   * resend after a renewed token); a refused send throws FenceClosed before anything leaves.
   */
  guard(base: HttpTransport | undefined): GuardedSend {
    const fetchFn = base?.fetch ?? globalThis.fetch;
    const guarded = { refused: false } as GuardedSend & { refused: boolean };
    guarded.transport = {
      userAgent: base?.userAgent ?? 'OceaneAlarmConsole',
      fetch: (input, init) => {
        if (!this.isOpen()) {
          guarded.refused = true;
          this.refusals++;
          return Promise.reject(new FenceClosed());
        }
        return fetchFn(input, init);
      },
    };
    return guarded;
  }
}
