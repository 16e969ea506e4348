/**
 * The team's life lease (issue 14 with issue 13): one follow_state row naming the console that
 * follows the team's tickets in Oceane and sends their notes and status changes, and until
 * when (the database's clock, epoch ms). A console takes it when it is free or ran out, and
 * renews it while it works; every write of the holder runs in a transaction that first renews
 * the lease and fails with `LeaseLost` when the lease is no longer its own.
 */
import { sql } from 'kysely';
import type { PostgresStore, PostgresTransaction } from './postgres-store.js';
import { TEAM_CHANNEL } from './team-claims.js';
import type { SendFence } from './team-fence.js';

/** The follow_state row of the team's life lease. */
export const LIFE_LEASE = 'team-life-lease';
/** The follow_state row of the holder's poll problem (NOTIFY payload too). */
export const LIFE_PROBLEM = 'team-life-problem';

/** The poll problem the holder of the lease recorded, with its name. */
export interface LifeProblem {
  holder: string;
  message: string;
}

/** The lease was lost (another console follows the team's tickets now): nothing was written. */
export class LeaseLost extends Error {
  constructor() {
    super('The team life lease is held by another console');
  }
}

/** The lease row's holder and expiry (the database's clock, epoch ms). */
export interface LifeLeaseView {
  holder: string;
  until: number;
}

const NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** The life lease of one console. */
export class TeamLifeLease {
  /** The send fence this lease confirms (team-fence.ts), when one is attached. */
  fence: SendFence | null = null;

  constructor(
    private readonly store: PostgresStore,
    readonly consoleName: string,
    /** How long the lease lasts without renewal (ms); longer than one call to Oceane. */
    readonly leaseMs: number,
  ) {}

  private get b() {
    return this.store.builder;
  }

  private data() {
    return sql<string>`json_build_object('holder', ${this.consoleName}::text, 'until', ${NOW_MS} + ${this.leaseMs}::bigint)::text`;
  }

  /** Takes or renews the lease; true while this console holds it. */
  async take(): Promise<boolean> {
    const query = sql`INSERT INTO follow_state (name, data) VALUES (${LIFE_LEASE}, ${this.data()})
      ON CONFLICT (name) DO UPDATE SET data = excluded.data
      WHERE follow_state.data::jsonb->>'holder' = ${this.consoleName}
         OR (follow_state.data::jsonb->>'until')::bigint <= ${NOW_MS}
      RETURNING name`.compile(this.b);
    const at = this.fence?.now() ?? 0;
    const rows = await this.store.raw(query.sql, [...query.parameters]).catch((error: unknown) => {
      this.fence?.lost();
      throw error;
    });
    if (rows.length === 1) this.fence?.confirm(at);
    else this.fence?.lost();
    return rows.length === 1;
  }

  /** Gives the lease up (a console that closes), so that another takes it at once. */
  async release(): Promise<void> {
    this.fence?.lost();
    const query = sql`DELETE FROM follow_state WHERE name = ${LIFE_LEASE}
      AND data::jsonb->>'holder' = ${this.consoleName}`.compile(this.b);
    await this.store.raw(query.sql, [...query.parameters]);
  }

  /** Who holds the lease (null: nobody, or it ran out). */
  async holder(): Promise<LifeLeaseView | null> {
    const query = sql`SELECT data::jsonb->>'holder' AS holder, data::jsonb->>'until' AS until
      FROM follow_state WHERE name = ${LIFE_LEASE}
      AND (data::jsonb->>'until')::bigint > ${NOW_MS}`.compile(this.b);
    const [row] = await this.store.raw<{ holder: string; until: string }>(query.sql, [
      ...query.parameters,
    ]);
    return row ? { holder: row.holder, until: Number(row.until) } : null;
  }

  /** Runs `fn` in a transaction that first renews this console's lease (LeaseLost if lost). */
  async fenced<T>(fn: (tx: PostgresTransaction) => Promise<T>): Promise<T> {
    const at = this.fence?.now() ?? 0;
    let held = false;
    const result = await this.store.transaction(async (tx) => {
      const query = sql`UPDATE follow_state SET data = ${this.data()}
        WHERE name = ${LIFE_LEASE} AND data::jsonb->>'holder' = ${this.consoleName}
        AND (data::jsonb->>'until')::bigint > ${NOW_MS} RETURNING name`.compile(this.b);
      const renewed = await tx.raw(query.sql, [...query.parameters]);
      if (renewed.length !== 1) {
        this.fence?.lost();
        throw new LeaseLost();
      }
      held = true;
      return fn(tx);
    });
    // Renewed once the transaction committed: the send fence counts from its start.
    if (held) this.fence?.confirm(at);
    return result;
  }

  /**
   * Records this holder's poll problem (null: the polls work) for every console, under the
   * lease (LeaseLost: not recorded), and announces it.
   */
  async recordProblem(message: string | null): Promise<void> {
    const data = JSON.stringify({ holder: this.consoleName, message });
    await this.fenced(async (tx) => {
      const query = sql`INSERT INTO follow_state (name, data) VALUES (${LIFE_PROBLEM}, ${data})
        ON CONFLICT (name) DO UPDATE SET data = excluded.data`.compile(this.b);
      await tx.raw(query.sql, [...query.parameters]);
      await tx.raw('SELECT pg_notify($1, $2)', [TEAM_CHANNEL, LIFE_PROBLEM]);
    });
  }

  /** The poll problem of the console holding the lease now (null: none, or no holder). */
  async problem(): Promise<LifeProblem | null> {
    const query = sql`SELECT p.data FROM follow_state p JOIN follow_state l
      ON l.name = ${LIFE_LEASE} AND l.data::jsonb->>'holder' = p.data::jsonb->>'holder'
      AND (l.data::jsonb->>'until')::bigint > ${NOW_MS}
      WHERE p.name = ${LIFE_PROBLEM}`.compile(this.b);
    const [row] = await this.store.raw<{ data: string }>(query.sql, [...query.parameters]);
    if (!row) return null;
    const recorded = JSON.parse(row.data) as { holder: string; message: string | null };
    return recorded.message ? { holder: recorded.holder, message: recorded.message } : null;
  }
}
