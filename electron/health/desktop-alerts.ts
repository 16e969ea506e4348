/**
 * Desktop notifications (issue 12, point 1): a ticket that could not be created, and Oceane
 * becoming unreachable or reachable again, reach the operator even when the window is hidden.
 * The services call a small port; the Electron implementation (`Notification`, main process)
 * is in electron/platform/desktop-notifier.ts. A burst of failures during an outage gives one
 * notification, then one that counts the rest, so the desktop is not flooded.
 */
import type { IntegrationHealth, Notice } from '../../shared/domain.js';
import { withoutMarkup } from '../../shared/plain-text.js';
import type { Clock } from '../connector/ports.js';

/** What the services need to show a desktop notification. */
export interface DesktopNotifierPort {
  show(notification: { title: string; body: string }): void;
}

/** The title of the connector's notice for a request that failed for good. */
export const TICKET_FAILED_TITLE = 'Ticket not created';
/** Failures after the first one within this window are counted into one notification. */
export const FAILURE_BURST_MS = 30_000;
/** The longest body shown (desktops cut long ones anyway). */
const MAX_BODY = 300;

/** Dependencies of the desktop alerts. */
export interface DesktopAlertsDeps {
  notifier: DesktopNotifierPort;
  clock: Clock;
  /** The "Desktop notifications" setting, read at each alert. */
  enabled: () => boolean;
}

/** Decides which notices and health changes become desktop notifications. */
export class DesktopAlerts {
  private reachable: boolean | null = null;
  private burstTimer: unknown = null;
  private heldFailures = 0;
  private lastHeld = '';

  constructor(private readonly deps: DesktopAlertsDeps) {}

  /** A notice of the connector. */
  notice(notice: Notice): void {
    if (notice.level !== 'error' || notice.title !== TICKET_FAILED_TITLE) return;
    if (this.burstTimer !== null) {
      this.heldFailures++;
      this.lastHeld = notice.message;
      return;
    }
    this.show(TICKET_FAILED_TITLE, notice.message);
    this.burstTimer = this.deps.clock.setTimeout(() => this.endBurst(), FAILURE_BURST_MS);
  }

  /** The integration health changed. */
  health(health: IntegrationHealth): void {
    const was = this.reachable;
    if (health.reachable === null) {
      this.reachable = null;
      return;
    }
    this.reachable = health.reachable;
    if (was !== false && health.reachable === false) {
      this.show('Oceane is unreachable', health.summary);
    } else if (was === false && health.reachable) {
      this.show('Oceane is reachable again', 'Waiting ticket requests are being sent.');
    }
  }

  /** Stops the burst timer. */
  close(): void {
    if (this.burstTimer !== null) this.deps.clock.clearTimeout(this.burstTimer);
    this.burstTimer = null;
  }

  private endBurst(): void {
    this.burstTimer = null;
    const count = this.heldFailures;
    this.heldFailures = 0;
    if (count === 0) return;
    const title = count === 1 ? TICKET_FAILED_TITLE : `${count} more tickets not created`;
    this.show(title, count === 1 ? this.lastHeld : `Latest: ${this.lastHeld}`);
  }

  private show(title: string, body: string): void {
    if (!this.deps.enabled()) return;
    const text = withoutMarkup(body);
    this.deps.notifier.show({
      title,
      body: text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text,
    });
  }
}
