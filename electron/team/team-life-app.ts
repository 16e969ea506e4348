/**
 * The team's ticket life in the app (issue 14 with issue 13), beside ticket-life-services.ts:
 * in team mode "Add note to ticket…" and the ticket's history are the team's (team-life-
 * actions.ts), the alarms' clears feed the team's clear action (queued once whichever consoles
 * see the clear), the team's poll problem feeds the health light while this console follows
 * the team's tickets, the poll interval is the console's setting, and every console writes
 * the Oceane status of the team's Tickets rows onto its alarms ("Oceane Ticket Status") as it
 * hears the rows change.
 */
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_STATUS, type TicketRow } from '../../shared/domain.js';
import { fail, type Result } from '../../shared/result.js';
import type { AddNoteRequest, TicketHistory } from '../../shared/ticket-life.js';
import type { OceaneConnector } from '../connector/index.js';
import type { Clock, Logger } from '../connector/ports.js';
import { pollIntervalMs } from '../connector/ticket-follower.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import type { IntegrationHealthMonitor } from '../health/integration-health.js';
import type { TeamConsole } from './team-console.js';
import { addTeamNote, teamAlarmCleared, teamHistory } from './team-life-actions.js';
import type { TeamServices } from './team-services.js';

/** The router's part of the ticket life in team mode. */
export interface TeamLifeRoutes {
  addTicketNote(request: AddNoteRequest): Promise<Result<{ id: string }>>;
  ticketHistory(ticketId: string): Promise<Result<TicketHistory>>;
}

/** The wired team ticket life. */
export interface TeamLifeServices {
  routes: TeamLifeRoutes;
  /** Resolves once the clear actions and property writes started have ended. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wires the team's ticket life to the alarms, the health light and the router. */
export function wireTeamLife(deps: {
  team: TeamServices;
  connector: OceaneConnector;
  alarms: DataMinerPort;
  health: IntegrationHealthMonitor;
  clock: Clock;
  logger: Logger;
}): TeamLifeServices {
  const { team, connector, alarms, health, clock, logger } = deps;
  const work = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    work.add(p);
    void p.finally(() => work.delete(p));
  };
  const offs: (() => void)[] = [];
  let closed = false;
  // Once connected: the poll interval of the setting, and the poll problem to the health light.
  track(
    team.connected().then(() => {
      const life = team.console?.life;
      if (!life || closed) return;
      life.usePollInterval(() =>
        pollIntervalMs(connector.getSettings().element.ticketStatusPollSeconds),
      );
      offs.push(life.onPollProblem((message) => health.recordFollowProblem(message)));
    }),
  );
  const unreachable = (what: string, error?: unknown): string =>
    `The team database at ${team.where} cannot be reached${
      error === undefined ? '' : ` (${errorText(error)})`
    }, so ${what}. Check the network and PostgreSQL, then try again.`;
  const connectedConsole = (): TeamConsole | null => team.console;

  const clearTimeOf = (key: string): string | null => {
    const [dmaId = '', alarmId = ''] = key.split('/');
    const alarm = alarms.find(dmaId, alarmId);
    if (!alarm) return new Date(clock.now()).toISOString();
    return alarm.state?.clearedAt ?? null;
  };
  offs.push(
    alarms.onEvent((event) => {
      if (event.kind !== 'cleared' || closed) return;
      const setting = connector.getSettings().element.clearAction;
      const teamConsole = connectedConsole();
      if (setting === 'nothing' || !teamConsole) return;
      const at = event.alarm?.state?.clearedAt ?? new Date(clock.now()).toISOString();
      const [dmaId = '', alarmId = ''] = event.key.split('/');
      const input = {
        setting,
        userId: connector.getSettings().api.userId,
        alarmKey: event.key,
        clearedAt: at,
        ticketIdOfAlarm: alarms.get(dmaId, alarmId)[PROPERTY_TICKET_ID],
        clearTimeOf,
      };
      track(
        teamAlarmCleared(teamConsole.life.store, input)
          .then((decision) => {
            if (decision?.queued) {
              logger.info('Team clear action queued', { kind: decision.kind });
              teamConsole.life.kick();
            }
          })
          .catch((error: unknown) => {
            logger.warn('Team mode: the clear action could not be queued', {
              error: errorText(error),
            });
          }),
      );
    }),
  );
  offs.push(
    team.on('tickets:changed', (changes) => {
      if (!closed) track(writeStatuses(alarms, logger, changes.upserted));
    }),
  );

  return {
    routes: {
      async addTicketNote(request) {
        if (connector.getSettings().api.baseUrl === '') {
          return fail(
            'not-configured',
            'Oceane is not configured: set the Base URL in Settings → API Settings first.',
          );
        }
        const teamConsole = connectedConsole();
        if (!teamConsole) return fail('storage', unreachable('the note was not accepted'));
        try {
          const added = await addTeamNote(
            teamConsole.life.store,
            request.ticketId,
            request.text,
            connector.getSettings().api.userId,
          );
          if (added.ok) teamConsole.life.kick();
          return added;
        } catch (error) {
          return fail('storage', unreachable('the note was not accepted', error));
        }
      },
      async ticketHistory(ticketId) {
        const teamConsole = connectedConsole();
        if (!teamConsole) return fail('storage', unreachable('the history cannot be read'));
        try {
          const found = await teamHistory(teamConsole.life.store, ticketId);
          // A ticket this console followed on its own before joining the team.
          if (!found.ok && found.error.code === 'not-found') {
            const own = connector.life.history(ticketId);
            if (own.ok) return own;
          }
          return found;
        } catch (error) {
          return fail('storage', unreachable('the history cannot be read', error));
        }
      },
    },
    async settled() {
      while (work.size > 0) await Promise.allSettled([...work]);
    },
    async close() {
      closed = true;
      offs.forEach((off) => off());
      await this.settled();
    },
  };
}

/** Writes the Oceane status of Tickets rows onto their alarms where it differs. */
async function writeStatuses(
  alarms: DataMinerPort,
  logger: Logger,
  rows: readonly TicketRow[],
): Promise<void> {
  const written = new Set<string>();
  for (const row of rows) {
    if (row.status !== 'Created' || !row.oceaneStatus) continue;
    for (const alarm of [row, ...(row.otherAlarms ?? [])]) {
      const key = `${alarm.dmaId}/${alarm.alarmId}`;
      if (written.has(key) || !alarms.find(alarm.dmaId, alarm.alarmId)) continue;
      written.add(key);
      const props = alarms.get(alarm.dmaId, alarm.alarmId);
      // An alarm whose newer ticket is another one keeps that ticket's status.
      if (props[PROPERTY_TICKET_ID] && props[PROPERTY_TICKET_ID] !== row.ticketId) continue;
      if (props[PROPERTY_TICKET_STATUS] === row.oceaneStatus) continue;
      try {
        await alarms.set(alarm.dmaId, alarm.alarmId, {
          [PROPERTY_TICKET_STATUS]: row.oceaneStatus,
        });
      } catch (error) {
        logger.warn('Team mode: the ticket status could not be written onto its alarm', {
          alarm: key,
          error: errorText(error),
        });
      }
    }
  }
}
