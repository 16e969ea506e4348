/**
 * Team mode's helpers (issue 14): pg's connection settings from the Team settings, the
 * console's default name, the rows of the tables changed since they were last read, and
 * the Ticket ID and URL written onto the alarms of Created rows where they are missing.
 */
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_URL,
  alarmKeyString,
  type TicketRow,
} from '../../shared/domain.js';
import type { TeamSettings } from '../../shared/team-settings.js';
import type { OceaneConnector } from '../connector/index.js';
import type { Logger } from '../connector/ports.js';
import type { RetentionLimits } from '../connector/retention.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import { tlsOptions } from './postgres-check.js';
import type { PostgresConfig, PostgresStore } from './postgres-store.js';
import type { TeamOceaneSettings } from './team-console.js';

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

/** Oceane's settings read at each use, so that a change in Settings reaches the team's sender. */
export function liveOceaneSettings(
  connector: OceaneConnector,
  clientSecret: () => string | undefined,
): TeamOceaneSettings {
  const api = (): ReturnType<OceaneConnector['getSettings']>['api'] => connector.getSettings().api;
  return {
    get baseUrl() {
      return api().baseUrl;
    },
    get clientId() {
      return api().clientId;
    },
    get clientSecret() {
      return clientSecret();
    },
    get userId() {
      return api().userId;
    },
    get ticketUrlTemplate() {
      return api().ticketUrlTemplate;
    },
  };
}

/** The storage limits of the element settings (retention of the team's tables). */
export function retentionLimits(
  settings: ReturnType<OceaneConnector['getSettings']>,
): RetentionLimits {
  return {
    durationDays: settings.element.ticketStorageDurationDays,
    countLimit: settings.element.ticketStorageCountLimit,
  };
}

/** Writes Ticket ID and URL onto the alarms of Created rows (a group's: all) where missing. */
export async function writeTicketProperties(
  alarms: DataMinerPort,
  logger: Logger,
  rows: readonly TicketRow[],
  stopped: () => boolean,
): Promise<void> {
  for (const row of rows) {
    if (row.status !== 'Created' || !row.ticketId) continue;
    // Every alarm of a ticket for several alarms (issue 11), the request's own first.
    for (const alarm of [row, ...(row.otherAlarms ?? [])]) {
      if (stopped()) return;
      await writeOne(alarms, logger, alarm, row);
    }
  }
}

async function writeOne(
  alarms: DataMinerPort,
  logger: Logger,
  alarm: { dmaId: string; alarmId: string },
  row: TicketRow,
): Promise<void> {
  if (!alarms.find(alarm.dmaId, alarm.alarmId)) return;
  const current = alarms.get(alarm.dmaId, alarm.alarmId);
  if (
    current[PROPERTY_TICKET_ID] === row.ticketId &&
    (current[PROPERTY_TICKET_URL] ?? '') === row.ticketUrl
  ) {
    return;
  }
  try {
    await alarms.set(alarm.dmaId, alarm.alarmId, {
      [PROPERTY_TICKET_ID]: row.ticketId,
      [PROPERTY_TICKET_URL]: row.ticketUrl,
    });
  } catch (error) {
    logger.warn('Team mode: the ticket could not be written onto its alarm', {
      alarm: alarmKeyString(alarm),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a console last read of a team table: each row by key, with its data's digest. */
export type KnownRows<T> = Map<string, { hash: string; row: T }>;

/**
 * Brings `known` up to `table` and returns the rows that changed and the keys removed. Only
 * the digests of the rows cross the network, then the data of the rows whose digest changed,
 * so a change costs little more than the table's key list whatever its rows hold.
 */
export async function readChanges<T>(
  store: PostgresStore,
  table: 'tickets' | 'failed_requests',
  known: KnownRows<T>,
): Promise<{ upserted: T[]; removed: string[] }> {
  const b = store.builder;
  const digests = await store.all<{ key: string; hash: string }>(
    b
      .selectFrom(table)
      .select(['key', sql<string>`md5(data)`.as('hash')])
      .orderBy('seq')
      .compile(),
  );
  const changed = digests.filter((d) => known.get(d.key)?.hash !== d.hash);
  const fetched = new Map<string, { hash: string; row: T }>();
  if (changed.length > 0) {
    const rows = await store.all<{ key: string; hash: string; data: string }>(
      b
        .selectFrom(table)
        .select(['key', 'data', sql<string>`md5(data)`.as('hash')])
        .where(
          'key',
          'in',
          changed.map((d) => d.key),
        )
        .compile(),
    );
    for (const r of rows) fetched.set(r.key, { hash: r.hash, row: JSON.parse(r.data) as T });
  }
  const upserted: T[] = [];
  const seen = new Set<string>();
  for (const d of digests) {
    seen.add(d.key);
    const got = fetched.get(d.key);
    if (!got) continue;
    known.set(d.key, got);
    upserted.push(got.row);
  }
  const removed = [...known.keys()].filter((key) => !seen.has(key));
  for (const key of removed) known.delete(key);
  return { upserted, removed };
}
