/**
 * The SQL store's tables and their versioned migrations, written once against
 * `Kysely<StoreSchema>` (kysely used as a typed query builder only). Every query and every
 * migration step is compiled for a dialect: SQLite here (one console), PostgreSQL for team
 * mode, which reuses them with a pg driver.
 *
 * Each keyed table holds the row's JSON in `data` (so that optional fields added later
 * survive) and real, indexed columns for what is looked up, sorted or filtered in SQL.
 * `seq` keeps the first-insertion order (creation order), which retention and the queue use.
 */
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';

/** Columns every keyed table has. */
export interface KeyedTable {
  key: string;
  seq: number;
  data: string;
}

/** The Tickets table: keys, sort and filter columns of shared/table-page.ts. */
export interface TicketsTable extends KeyedTable {
  alarm_key: string;
  status: string;
  created_at: string;
  ticket_id: string;
  element_name: string;
  alarm_id: string;
  priority: string;
  urgency: string;
  technical_impact: string;
  /** The filter columns, lower-cased, separated by U+001F (a match never spans two). */
  search: string;
}

/** The Failed Ticket Requests table. */
export interface FailedRequestsTable extends KeyedTable {
  ticket_instance: string;
  failed_at: string;
  http_error_code: number | null;
  app_error_code: string;
  error_message: string;
  failed_call: string;
  search: string;
}

/** The Pending Ticket Creation Queue. */
export interface QueueTable extends KeyedTable {
  alarm_key: string;
  /**
   * Team mode (migration 6): the console holding the request's lease (null: free), and until
   * when, in the database's clock (epoch ms). Also a free request's "not before" (its wait).
   */
  lease_owner?: string | null;
  lease_until?: number | null;
}

/**
 * One row per alarm with an open request or ticket (migration 6): the primary key makes the
 * database refuse a second one, whichever console asks. A group request claims each member.
 */
export interface AlarmClaimsTable {
  alarm_key: string;
  request_key: string;
  console: string;
  claimed_at: string;
}

/** Alarm properties per `dmaId/alarmId`. */
export type AlarmPropertiesTable = KeyedTable;

/** Applied migrations. */
export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: string;
}

/** `.jsonl` tables of the journal release imported (each exactly once). */
export interface LegacyImportsTable {
  file: string;
  rows: number;
  bad_lines: number;
  imported_at: string;
}

/**
 * A ticket followed in Oceane after creation (issue 13): its status fields as real columns,
 * the rest (notes seen, clear action taken) in `data`. Looked up by id, batch by batch, so a
 * poll costs what changed, not what is followed.
 */
export interface FollowedTicketsTable {
  ticket_id: string;
  status: string | null;
  status_change_date: string | null;
  status_change_reason: string | null;
  resolution_date: string | null;
  last_update: string | null;
  /** 1 once the ticket is closed, cancelled or rejected. */
  final: number;
  followed_at: string;
  data: string;
}

/** One entry of a ticket's history (a status change or a note), in arrival order. */
export interface TicketHistoryTable {
  key: string;
  seq: number;
  ticket_id: string;
  at: string;
  data: string;
}

/** Small named state of the follow-up: the poll cursor, the events subscription. */
export interface FollowStateTable {
  name: string;
  data: string;
}

/** The durable queue of notes and status changes; `key` is the change's own id. */
export interface ChangeQueueTable {
  key: string;
  seq: number;
  ticket_id: string;
  kind: string;
  data: string;
}

/** The whole store. */
export interface StoreSchema {
  tickets: TicketsTable;
  failed_requests: FailedRequestsTable;
  queue: QueueTable;
  alarm_properties: AlarmPropertiesTable;
  schema_version: SchemaVersionTable;
  legacy_imports: LegacyImportsTable;
  alarm_claims: AlarmClaimsTable;
  followed_tickets: FollowedTicketsTable;
  ticket_history: TicketHistoryTable;
  follow_state: FollowStateTable;
  change_queue: ChangeQueueTable;
}

/** The keyed tables. */
export type KeyedTableName = 'tickets' | 'failed_requests' | 'queue' | 'alarm_properties';

/** A query builder without a connection: it only compiles. */
export function queryBuilder(dialect: 'sqlite' | 'postgres' = 'sqlite'): Kysely<StoreSchema> {
  const sqlite = dialect === 'sqlite';
  return new Kysely<StoreSchema>({
    dialect: {
      createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
      createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
  });
}

/** One migration: compiled steps, run in one transaction with its schema_version row. */
export interface Migration {
  version: number;
  name: string;
  steps: (db: Kysely<StoreSchema>) => CompiledQuery[];
}

function keyed(db: Kysely<StoreSchema>, table: KeyedTableName) {
  return db.schema
    .createTable(table)
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull());
}

/** `create index <name> on <table> (<columns>)`, compiled. */
function index<T extends keyof StoreSchema>(
  db: Kysely<StoreSchema>,
  name: string,
  table: T,
  columns: (keyof StoreSchema[T] & string)[],
): CompiledQuery {
  return db.schema.createIndex(name).on(table).columns<string>(columns).compile();
}

/** The schema_version row that records `migration` as applied, now. */
export function migrationRecord(db: Kysely<StoreSchema>, migration: Migration): CompiledQuery {
  return db
    .insertInto('schema_version')
    .values({
      version: migration.version,
      name: migration.name,
      applied_at: new Date().toISOString(),
    })
    .compile();
}

/** The migrations, in order. A released migration is never changed: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tickets, failed requests, queue, alarm properties',
    steps: (db) => [
      keyed(db, 'tickets')
        .addColumn('alarm_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'text', (c) => c.notNull())
        .addColumn('element_name', 'text', (c) => c.notNull())
        .addColumn('alarm_id', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('technical_impact', 'text', (c) => c.notNull())
        .addColumn('search', 'text', (c) => c.notNull())
        .compile(),
      keyed(db, 'failed_requests')
        .addColumn('ticket_instance', 'text', (c) => c.notNull())
        .addColumn('failed_at', 'text', (c) => c.notNull())
        .addColumn('http_error_code', 'integer')
        .addColumn('app_error_code', 'text', (c) => c.notNull())
        .addColumn('error_message', 'text', (c) => c.notNull())
        .addColumn('failed_call', 'text', (c) => c.notNull())
        .addColumn('search', 'text', (c) => c.notNull())
        .compile(),
      keyed(db, 'queue')
        .addColumn('alarm_key', 'text', (c) => c.notNull())
        .compile(),
      keyed(db, 'alarm_properties').compile(),
      db.schema
        .createTable('legacy_imports')
        .addColumn('file', 'text', (c) => c.primaryKey())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('bad_lines', 'integer', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .compile(),
      ...(['tickets', 'failed_requests', 'queue', 'alarm_properties'] as const).map((t) =>
        index(db, `${t}_by_seq`, t, ['seq']),
      ),
      index(db, 'tickets_by_alarm', 'tickets', ['alarm_key', 'status']),
      index(db, 'tickets_by_status', 'tickets', ['status', 'seq']),
      index(db, 'queue_by_alarm', 'queue', ['alarm_key']),
      ...(
        [
          'created_at',
          'ticket_id',
          'element_name',
          'alarm_id',
          'priority',
          'urgency',
          'technical_impact',
          'status',
        ] as const
      ).map((c) => index(db, `tickets_sorted_by_${c}`, 'tickets', [c, 'key'])),
      index(db, 'failed_by_ticket', 'failed_requests', ['ticket_instance']),
      ...(
        ['failed_at', 'http_error_code', 'app_error_code', 'error_message', 'failed_call'] as const
      ).map((c) => index(db, `failed_sorted_by_${c}`, 'failed_requests', [c, 'key'])),
    ],
  },
  {
    // Each Tickets write touched every sort index (a page of each, synced): the views keep an
    // index for the order they open on (newest first, also retention's) and the status filter;
    // a window sorted by another column reads the table once, as a filtered window does.
    version: 2,
    name: 'tickets: only the sort index of the default order',
    steps: (db) =>
      TICKET_SORTS_DROPPED.map((c) => db.schema.dropIndex(`tickets_sorted_by_${c}`).compile()),
  },
  {
    // Issue 13: the ticket's life after creation. Every look-up a poll makes is by ticket id
    // (the primary keys, and the Tickets rows of a ticket by `ticket_id`).
    version: 4,
    name: 'followed tickets, their history, the poll cursor, the changes queue',
    steps: (db) => [
      db.schema
        .createTable('followed_tickets')
        .addColumn('ticket_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text')
        .addColumn('status_change_date', 'text')
        .addColumn('status_change_reason', 'text')
        .addColumn('resolution_date', 'text')
        .addColumn('last_update', 'text')
        .addColumn('final', 'integer', (c) => c.notNull())
        .addColumn('followed_at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .compile(),
      db.schema
        .createIndex('followed_by_final')
        .on('followed_tickets')
        .columns(['final', 'followed_at'])
        .compile(),
      db.schema
        .createTable('ticket_history')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('ticket_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .compile(),
      db.schema
        .createIndex('history_by_ticket')
        .on('ticket_history')
        .columns(['ticket_id', 'seq'])
        .compile(),
      db.schema
        .createTable('follow_state')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .compile(),
      db.schema
        .createTable('change_queue')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('ticket_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .compile(),
      db.schema.createIndex('change_queue_by_seq').on('change_queue').column('seq').compile(),
      db.schema
        .createIndex('change_queue_by_ticket')
        .on('change_queue')
        .column('ticket_id')
        .compile(),
      db.schema.createIndex('tickets_by_ticket_id').on('tickets').column('ticket_id').compile(),
    ],
  },
  {
    // Team mode (issue 14): one open request or ticket per alarm, enforced by the primary key
    // of alarm_claims; the queue's leases (who sends a request, until when).
    version: 6,
    name: 'alarm claims and queue leases',
    steps: (db) => [
      db.schema
        .createTable('alarm_claims')
        .addColumn('alarm_key', 'text', (c) => c.primaryKey())
        .addColumn('request_key', 'text', (c) => c.notNull())
        .addColumn('console', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .compile(),
      db.schema.createIndex('claims_by_request').on('alarm_claims').column('request_key').compile(),
      db.schema.alterTable('queue').addColumn('lease_owner', 'text').compile(),
      db.schema.alterTable('queue').addColumn('lease_until', 'bigint').compile(),
      db.schema.createIndex('queue_by_lease').on('queue').columns(['lease_until', 'seq']).compile(),
    ],
  },
  {
    // Issue 9: each index of the queue is one more page written (and, for a new request,
    // synced) at every write of a request. On one console the queue is read whole at start
    // (ordered by seq: a sort of the work in progress, not of history), by alarm, and by key;
    // the leases are team mode's, in PostgreSQL, which keeps both indexes.
    version: 7,
    name: 'queue: no seq or lease index on one console',
    steps: (db) =>
      isSqlite(db)
        ? ['queue_by_seq', 'queue_by_lease'].map((name) =>
            db.schema.dropIndex(name).ifExists().compile(),
          )
        : [],
  },
  {
    // Issue 9: the queue by alarm (a request's refusal checks) is read from memory on one
    // console (sql-table.ts `cacheIndex`), where the whole queue is held: its index was one
    // more page in the synced write of every new request. Team mode's queue keeps it.
    version: 8,
    name: 'queue: no alarm index on one console',
    steps: (db) =>
      isSqlite(db) ? [db.schema.dropIndex('queue_by_alarm').ifExists().compile()] : [],
  },
  {
    // Issue 9: a request's row has no ticket id until its ticket exists, and no look-up asks
    // for an empty one (each says `ticket_id != ''`): without those rows in the index, a new
    // request's synced write touches one page fewer, and its Created row one fewer again.
    version: 9,
    name: 'tickets: the ticket id index without the rows that have none, on one console',
    steps: (db) =>
      isSqlite(db)
        ? [
            db.schema.dropIndex('tickets_by_ticket_id').ifExists().compile(),
            db.schema
              .createIndex('tickets_by_known_ticket_id')
              .ifNotExists()
              .on('tickets')
              .column('ticket_id')
              .where('ticket_id', '!=', '')
              .compile(),
          ]
        : [],
  },
];

/** True for the SQLite store (one console), false for team mode's PostgreSQL. */
function isSqlite(db: Kysely<StoreSchema>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** The Tickets sort indexes migration 2 drops (created_at, the default order, stays). */
const TICKET_SORTS_DROPPED = [
  'ticket_id',
  'element_name',
  'alarm_id',
  'priority',
  'urgency',
  'technical_impact',
  'status',
] as const;
