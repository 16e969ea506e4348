/**
 * Team mode's helpers (issue 14): pg's connection settings from the Team settings, the
 * console's default name, the comparison of the tables read with what was read before, and
 * the Ticket ID and URL written onto the alarms of Created rows where they are missing.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type TicketRow,
} from '../../shared/domain.js';
import type { TeamSettings } from '../../shared/team-settings.js';
import type { Logger } from '../connector/ports.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import { tlsOptions } from './postgres-check.js';
import type { PostgresConfig } from './postgres-store.js';

/** A console name unique on this machine and in this process. */
export function defaultConsoleName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 4)}`;
}

/** pg's connection settings for the Team settings, or the sentence saying why there are none. */
export async function postgresConfigFor(
  settings: TeamSettings,
  password: string | undefined,
): Promise<{ config: PostgresConfig; where: string } | { problem: string; where: string }> {
  const url = new URL(settings.postgresUrl);
  const where = `${url.hostname}:${url.port || '5432'}`;
  const ssl = await tlsOptions(settings);
  if (!ssl.ok) return { problem: ssl.error.message, where };
  return {
    where,
    config: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username) || undefined,
      database: decodeURIComponent(url.pathname.slice(1)),
      ...(password === undefined ? {} : { password }),
      ssl: ssl.value,
      connectionTimeoutMillis: 10_000,
      // A link that died without a word (no reset) fails the query instead of hanging on it.
      query_timeout: 15_000,
      keepAlive: true,
      application_name: 'Oceane Alarm Console',
    },
  };
}

/** Writes Ticket ID and URL onto the alarms of Created rows where they are missing. */
export async function writeTicketProperties(
  alarms: DataMinerPort,
  logger: Logger,
  rows: readonly TicketRow[],
  stopped: () => boolean,
): Promise<void> {
  for (const row of rows) {
    if (row.status !== 'Created' || !row.ticketId || stopped()) continue;
    if (!alarms.find(row.dmaId, row.alarmId)) continue;
    const current = alarms.get(row.dmaId, row.alarmId);
    if (
      current[PROPERTY_TICKET_ID] === row.ticketId &&
      (current[PROPERTY_TICKET_URL] ?? '') === row.ticketUrl
    ) {
      continue;
    }
    try {
      await alarms.set(row.dmaId, row.alarmId, {
        [PROPERTY_TICKET_ID]: row.ticketId,
        [PROPERTY_TICKET_URL]: row.ticketUrl,
      });
    } catch (error) {
      logger.warn('Team mode: the ticket could not be written onto its alarm', {
        alarm: alarmKeyString(row),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Updates `known` to `rows` and returns the rows that changed and the keys removed. */
export function diff<T>(
  known: Map<string, { json: string; row: T }>,
  rows: readonly T[],
  keyOf: (row: T) => string,
): { upserted: T[]; removed: string[] } {
  const upserted: T[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    seen.add(key);
    const json = JSON.stringify(row);
    if (known.get(key)?.json === json) continue;
    known.set(key, { json, row });
    upserted.push(row);
  }
  const removed = [...known.keys()].filter((key) => !seen.has(key));
  for (const key of removed) known.delete(key);
  return { upserted, removed };
}
