/**
 * Wires the ticket's life after creation (issue 13) into the app's services, beside
 * app-services.ts: the alarms' clears feed the clear action, the polls' problem feeds the
 * health light, Oceane's events reach the connector through the listener (when its address
 * is set), and the router gets "Add note to ticket…" and the ticket's history.
 */
import type { AlarmKey } from '../shared/domain.js';
import { fail, type Result } from '../shared/result.js';
import type { AddNoteRequest, TicketHistory } from '../shared/ticket-life.js';
import type { OceaneConnector } from './connector/index.js';
import type { Clock, Logger } from './connector/ports.js';
import type { DataMinerPort } from './dataminer/dataminer-port.js';
import type { IntegrationHealthMonitor } from './health/integration-health.js';
import { TicketEventListener } from './connector/ticket-event-listener.js';

/** The router's part of the ticket life. */
export interface TicketLifeRoutes {
  addTicketNote(request: AddNoteRequest): Result<{ id: string }>;
  ticketHistory(ticketId: string): Result<TicketHistory>;
}

/** The wired ticket life: its routes, and how to stop it. */
export interface TicketLifeServices {
  routes: TicketLifeRoutes;
  /** The events listener (listening only while its address is set). */
  listener: TicketEventListener;
  /** Unsubscribes from the events and stops listening (before the connector closes). */
  close(): Promise<void>;
}

function splitKey(key: string): AlarmKey | null {
  const [dmaId, alarmId] = key.split('/');
  return dmaId && alarmId ? { dmaId, alarmId } : null;
}

/** Wires the ticket life of `connector` to the alarms, the health light and the router. */
export function wireTicketLife(deps: {
  connector: OceaneConnector;
  alarms: DataMinerPort;
  health: IntegrationHealthMonitor;
  clock: Clock;
  logger: Logger;
}): TicketLifeServices {
  const { connector, alarms, health, clock, logger } = deps;
  const life = connector.life;
  /** When an alarm cleared: its clear time, now for an alarm already gone, null if active. */
  const clearTimeOf = (key: string): string | null => {
    const k = splitKey(key);
    const alarm = k ? alarms.find(k.dmaId, k.alarmId) : undefined;
    if (!alarm) return new Date(clock.now()).toISOString();
    return alarm.state?.clearedAt ?? null;
  };
  const offs = [
    alarms.onEvent((event) => {
      if (event.kind !== 'cleared') return;
      const at = event.alarm?.state?.clearedAt ?? new Date(clock.now()).toISOString();
      try {
        life.alarmCleared(event.key, at, clearTimeOf);
      } catch (error) {
        logger.warn('The clear action could not be decided', { error: String(error) });
      }
    }),
    life.onPollProblem((message) => health.recordFollowProblem(message)),
  ];
  const listener = new TicketEventListener({ life, logger });
  const address = connector.getSettings().element.eventListenerUrl.trim();
  // Listens and subscribes in the background: a refused port or subscription leaves polling.
  const started =
    address === ''
      ? Promise.resolve()
      : listener.start(address).catch((error: unknown) => {
          logger.warn('Oceane events: the listener could not start, polling only', {
            address,
            error: String(error),
          });
        });
  return {
    listener,
    routes: {
      addTicketNote: (request) => {
        if (connector.getSettings().api.baseUrl === '') {
          return fail(
            'not-configured',
            'Oceane is not configured: set the Base URL in Settings → API Settings first.',
          );
        }
        return life.addNote(request.ticketId, request.text);
      },
      ticketHistory: (ticketId) => life.history(ticketId),
    },
    async close() {
      offs.forEach((off) => off());
      await started;
      await listener.stop();
    },
  };
}
