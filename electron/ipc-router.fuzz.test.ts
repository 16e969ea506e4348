/**
 * Hostile payloads from a renderer (issue 5), property-based with fast-check: for every request
 * channel of the contract, thousands of malformed payloads in total (wrong types, missing and
 * extra fields, huge strings, deep nesting, `__proto__` / `constructor` keys and polluted
 * prototypes) go through the real router over the real app services (a temporary data folder,
 * the simulator on 127.0.0.1). Each is refused as `invalid-payload`, no store file changes
 * (bytes and modification times), nothing is opened, and Object.prototype stays clean.
 *
 * Every payload is malformed by construction (a mutation that the contract forbids applied to
 * a valid payload), so the schemas under test are never used as their own oracle.
 */
import fc from 'fast-check';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_IMPACTS,
  PRIORITIES,
  SEVERITIES,
  TECHNICAL_IMPACTS,
  URGENCIES,
} from '../shared/domain.js';
import { requestSchemas, type RequestChannel } from '../shared/ipc-contract.js';
import { TABLE_PAGE_MAX_ROWS, TICKET_SORT_COLUMNS } from '../shared/table-page.js';
import { createAppServices, type AppServices } from './app-services.js';
import { ConfSettingsStore, createMemorySecretStore, silentLogger } from './connector/index.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from './oceane-simulator/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** What a field of a payload must be; `invalid` gives values the contract forbids there. */
interface Field {
  required: boolean;
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
}
type Shape = Record<string, Field>;

/** Objects and arrays nested `depth` levels deep. */
function nested(depth: number, useArrays: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = useArrays ? [value] : { a: value };
  return value;
}
const deep = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) => nested(depth, arrays));

/** Own `__proto__`, `constructor` and `prototype` keys, as JSON.parse (and IPC) make them. */
const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
const pollutingValue = fc.constantFrom<unknown>(
  { polluted: 'yes' },
  { prototype: { polluted: 'yes' } },
  JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
  'polluted',
);

/** Values of every other type than the one expected, deep structures included. */
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
  deep,
);
const notNumber = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.NaN, Infinity, -Infinity),
  fc.array(fc.integer(), { maxLength: 3 }),
  deep,
);
const notBoolean = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.constant(null),
  fc.constantFrom('true', 'false', 0, 1),
  deep,
);
/** A string longer than `max`, up to 200,000 characters. */
const hugeString = (max: number) =>
  fc
    .tuple(
      fc.integer({ min: max + 1, max: Math.max(max + 1, 200_000) }),
      fc.string({ minLength: 1, maxLength: 1 }),
    )
    .map(([length, c]) => (c.trim() === '' ? 'x' : c).repeat(length).slice(0, length));

/** A decimal identifier (DMA ID, Element ID, Alarm ID: at most 20 digits). */
const digits: Field = {
  required: true,
  valid: fc.integer({ min: 0, max: 2_000_000_000 }).map(String),
  invalid: fc.oneof(
    notString,
    fc.constantFrom('', ' ', 'abc', '12a', '-1', '1.5', '１２', '0x10', ' 12 3'),
    fc.integer({ min: 21, max: 5000 }).map((n) => '7'.repeat(n)),
  ),
};
const requiredText = (max: number): Field => ({
  required: true,
  valid: fc.string({ maxLength: 30 }).map((s) => `R${s}`.slice(0, max)),
  invalid: fc.oneof(notString, fc.constantFrom('', '   ', '\t\n'), hugeString(max)),
});
const optionalText = (max: number): Field => ({
  required: false,
  valid: fc.string({ maxLength: 30 }),
  invalid: fc.oneof(notString, hugeString(max)),
});
const oneOf = (values: readonly string[], required: boolean): Field => ({
  required,
  valid: fc.constantFrom(...values),
  invalid: fc.oneof(
    notString,
    fc.string({ maxLength: 12 }).filter((s) => !values.includes(s)),
    fc.constantFrom(...values).map((v) => v.toUpperCase() + ' '),
  ),
});
const wholeNumber = (min: number, max: number): Field => ({
  required: false,
  valid: fc.integer({ min, max }),
  invalid: fc.oneof(
    notNumber,
    fc.integer({ min: -1_000_000, max: min - 1 }),
    fc.integer({ min: max + 1, max: max + 1_000_000 }),
    fc.double({ min, max, noNaN: true }).filter((d) => !Number.isInteger(d)),
  ),
});
const flag: Field = { required: false, valid: fc.boolean(), invalid: notBoolean };

/** tickets:create (createTicketRequestSchema). */
const ticketShape: Shape = {
  dmaId: digits,
  elementId: digits,
  alarmId: digits,
  elementName: requiredText(200),
  alarmValue: optionalText(1000),
  rootTime: {
    required: false,
    valid: fc.constant('2025-03-01T10:00:00Z'),
    invalid: fc.oneof(
      notString,
      fc.constantFrom('', 'yesterday', '2025-13-01T00:00:00Z', '2025-03-01', '10:00', 'T'),
    ),
  },
  priority: oneOf(PRIORITIES, true),
  urgency: oneOf(URGENCIES, true),
  technicalImpact: oneOf(TECHNICAL_IMPACTS, true),
  clientImpact: oneOf(CLIENT_IMPACTS, false),
  description: optionalText(4000),
  parameter: optionalText(200),
  severity: oneOf(SEVERITIES, false),
};

/** The parts of a settings update (settingsUpdateSchema); every field is optional. */
const elementShape: Shape = {
  ticketStorageDurationDays: wholeNumber(1, 3650),
  ticketStorageCountLimit: wholeNumber(1, 1_000_000),
  ticketCreationRetryCount: wholeNumber(0, 10),
  displayDebugPage: flag,
  desktopNotifications: flag,
  ticketStatusPollSeconds: wholeNumber(10, 3600),
};
const apiShape: Shape = {
  baseUrl: {
    required: false,
    valid: fc.constantFrom('https://oceane.example.com', 'http://127.0.0.1:8080'),
    invalid: fc.oneof(
      notString,
      fc.constantFrom('ftp://oceane.example.com', 'javascript:alert(1)', 'not a url'),
      fc.constantFrom('http://oceane.example.com'),
      hugeString(2000).map((s) => `https://${s}`),
    ),
  },
  clientId: {
    required: false,
    valid: fc.string({ maxLength: 20 }),
    invalid: fc.oneof(notString, hugeString(200)),
  },
  userId: {
    required: false,
    valid: fc.string({ maxLength: 20 }),
    invalid: fc.oneof(notString, hugeString(200)),
  },
  ticketUrlTemplate: {
    required: false,
    valid: fc.constant('{base}/ticket/{id}'),
    invalid: fc.oneof(notString, fc.constantFrom('{base}/ticket/', ''), hugeString(2000)),
  },
  requestTimeoutSeconds: wholeNumber(1, 300),
};

/** A nested object field whose invalid values are malformed objects of `shape`. */
const objectField = (shape: Shape): Field => ({
  required: false,
  valid: validObject(shape),
  // Not undefined: an absent optional part is valid.
  invalid: fc.oneof(notAnObject(false), malformedObject(shape)),
});

const settingsShape: Shape = {
  element: objectField(elementShape),
  api: objectField(apiShape),
  clientSecret: {
    required: false,
    valid: fc.string({ minLength: 1, maxLength: 20 }),
    invalid: fc.oneof(notString, fc.constant(''), hugeString(1000)),
  },
  clearClientSecret: {
    required: false,
    valid: fc.constant(true),
    invalid: fc.oneof(fc.constant(false), notBoolean),
  },
  allowWeakSecretStorage: flag,
};

const alarmKeyShape: Shape = { dmaId: digits, alarmId: digits };

/** team:update and team:test-connection (teamSettingsUpdateSchema); every field optional. */
const teamShape: Shape = {
  postgresUrl: {
    required: false,
    valid: fc.constantFrom('', 'postgres://console@db.example.com:5432/oceane'),
    invalid: fc.oneof(
      notString,
      fc.constantFrom(
        'postgres://console:pw@db.example.com/oceane',
        'https://db.example.com/oceane',
        'postgres://db.example.com',
        'postgres://db.example.com/oceane?sslmode=disable',
      ),
      hugeString(2000).map((s) => `postgres://h/${s}`),
    ),
  },
  tls: oneOf(['off', 'require', 'verify-ca'], false),
  caFile: optionalText(4096),
  password: {
    required: false,
    valid: fc.string({ minLength: 1, maxLength: 20 }),
    invalid: fc.oneof(notString, fc.constant(''), hugeString(1000)),
  },
  clearPassword: {
    required: false,
    valid: fc.constant(true),
    invalid: fc.oneof(fc.constant(false), notBoolean),
  },
};

/** alarms:act (alarmActionSchema); the actions that need no comment, so any valid one is. */
const alarmActionShape: Shape = {
  keys: {
    required: true,
    valid: fc.array(
      fc.record({ dmaId: fc.integer({ min: 1, max: 999 }), alarmId: fc.nat() }).map((k) => ({
        dmaId: String(k.dmaId),
        alarmId: String(k.alarmId),
      })),
      { minLength: 1, maxLength: 3 },
    ),
    invalid: fc.oneof(
      notString,
      fc.constant([]),
      fc.array(fc.oneof(notString, fc.constant({ dmaId: '1x', alarmId: '2' })), {
        minLength: 1,
        maxLength: 3,
      }),
    ),
  },
  action: oneOf(['acknowledge', 'unacknowledge', 'take-ownership', 'release'], true),
};

/** console-settings:update (consoleSettingsUpdateSchema); every field is optional. */
const consoleSettingsShape: Shape = {
  operatorName: { ...requiredText(100), required: false },
  defaultPriority: oneOf(PRIORITIES, false),
  defaultUrgency: oneOf(URGENCIES, false),
  clearedVisibleSeconds: wholeNumber(0, 86_400),
  connectorAlarmMinutes: wholeNumber(1, 1440),
  dataMinerUrl: {
    required: false,
    valid: fc.constantFrom('', 'http://127.0.0.1:47830', 'https://dataminer.example.com'),
    invalid: fc.oneof(
      notString,
      fc.constantFrom('ftp://dataminer', 'http://h:1/path', 'http://u:p@h:1', 'not a url'),
      hugeString(500),
    ),
  },
};

/** A valid object: every required field and some optional ones. */
function validObject(shape: Shape): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(shape);
  return fc
    .tuple(
      ...entries.map(([, field]) =>
        field.required ? field.valid : fc.option(field.valid, { nil: undefined }),
      ),
    )
    .map((values) => {
      const object: Record<string, unknown> = {};
      entries.forEach(([key], i) => {
        if (values[i] !== undefined) object[key] = values[i];
      });
      return object;
    });
}

/** Anything that is not a plain object (undefined included when it stands for a payload). */
function notAnObject(withUndefined = true): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(withUndefined ? undefined : Number.NaN),
    fc.constant(null),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.anything(), { maxLength: 3 }),
    hugeString(10_000),
    deep,
  );
}

/** A valid object of `shape` made invalid by exactly one forbidden change. */
function malformedObject(shape: Shape): fc.Arbitrary<unknown> {
  const keys = Object.keys(shape);
  const required = keys.filter((k) => shape[k]?.required);
  const mutations: fc.Arbitrary<unknown>[] = [
    // A field with a value of the wrong type, too long, or out of its range.
    fc
      .constantFrom(...keys)
      .chain((key) =>
        fc
          .tuple(validObject(shape), (shape[key] as Field).invalid)
          .map(([object, bad]) => ({ ...object, [key]: bad })),
      ),
    // An unknown field (the objects are strict).
    fc
      .tuple(
        validObject(shape),
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !keys.includes(k)),
        fc.oneof(fc.anything(), deep),
      )
      .map(([object, key, value]) => ({ ...object, [key]: value })),
    // An own `__proto__` / `constructor` / `prototype` key, as JSON.parse and IPC create them.
    fc.tuple(validObject(shape), pollutingKey, pollutingValue).map(([object, key, value]) => {
      const json = JSON.stringify(object).replace(
        /^\{/,
        `{${JSON.stringify(key)}:${JSON.stringify(value)},`,
      );
      return JSON.parse(json.replace(/,}$/, '}')) as unknown;
    }),
    // A valid-looking object whose prototype carries the data (not plain data).
    fc
      .tuple(
        validObject(shape),
        pollutingValue.filter((v) => typeof v === 'object'),
      )
      .map(([object, proto]) => Object.assign(Object.create(proto as object) as object, object)),
  ];
  if (required.length > 0) {
    // A required field missing.
    mutations.push(
      fc.tuple(validObject(shape), fc.constantFrom(...required)).map(([object, key]) => {
        const copy = { ...object };
        delete copy[key];
        return copy;
      }),
    );
  }
  return fc.oneof(...mutations);
}

/** Malformed payloads of an object channel: not an object at all, or a malformed object. */
function malformedPayload(shape: Shape): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: notAnObject() },
    { weight: 6, arbitrary: malformedObject(shape) },
  );
}

/** Payloads of a channel that takes none: anything but undefined. */
const somethingForNothing = fc.oneof(
  fc.anything().filter((v) => v !== undefined),
  deep,
  hugeString(10_000),
  pollutingValue,
);

/** tables:page (tablePageQuerySchema), a window of the Tickets table. */
const ticketPageShape: Shape = {
  table: oneOf(['tickets'], true),
  sort: {
    ...objectField({
      column: oneOf(TICKET_SORT_COLUMNS, true),
      direction: oneOf(['asc', 'desc'], true),
    }),
    required: true,
  },
  filter: {
    required: true,
    valid: fc.string({ maxLength: 30 }),
    invalid: fc.oneof(notString, hugeString(200)),
  },
  statuses: {
    required: true,
    valid: fc.subarray(['Pending', 'Created', 'Failed']),
    invalid: fc.oneof(notString, fc.constant(['Done']), fc.constant(Array(4).fill('Failed'))),
  },
  offset: { ...wholeNumber(0, 100_000_000), required: true },
  limit: { ...wholeNumber(1, TABLE_PAGE_MAX_ROWS), required: true },
};

const OBJECT_CHANNELS: [RequestChannel, Shape, number][] = [
  ['tables:page', ticketPageShape, 300],
  ['tickets:create', ticketShape, 700],
  ['settings:update', settingsShape, 700],
  ['tickets:find-existing', alarmKeyShape, 300],
  ['alarms:menu', alarmKeyShape, 300],
  ['alarms:act', alarmActionShape, 300],
  ['console-settings:update', consoleSettingsShape, 300],
  ['team:update', teamShape, 200],
  ['team:test-connection', teamShape, 200],
  [
    'tickets:retry',
    {
      instance: {
        required: true,
        valid: fc.uuid(),
        invalid: fc.oneof(notString, fc.constant(''), hugeString(100)),
      },
    },
    300,
  ],
  [
    'shell:open-ticket-url',
    {
      url: {
        required: true,
        valid: fc.webUrl(),
        invalid: fc.oneof(notString, fc.constant(''), hugeString(4000)),
      },
    },
    300,
  ],
];
const NO_PAYLOAD_CHANNELS = (Object.keys(requestSchemas) as RequestChannel[]).filter(
  (c) => !OBJECT_CHANNELS.some(([name]) => name === c),
);

interface FileState {
  bytes: Buffer;
  mtimeMs: number;
}

async function snapshot(dir: string): Promise<Map<string, FileState>> {
  const files = new Map<string, FileState>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    // The WAL index (-shm) is shared memory that readers mark; it holds no data.
    if (!entry.isFile() || entry.name.endsWith('-shm')) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), {
      bytes: await readFile(file),
      mtimeMs: (await stat(file)).mtimeMs,
    });
  }
  return files;
}

let dir: string;
let sim: RunningSimulator;
let services: AppServices;
const opened: string[] = [];
let before: Map<string, FileState>;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
let payloadsSent = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-fuzz-'));
  sim = await startSimulator();
  services = await createAppServices({
    dataDir: dir,
    settingsStore: new ConfSettingsStore(dir),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
    openExternal: async (url) => {
      opened.push(url);
    },
    demo: 'off',
    alarms: { seed: 5, initialAlarms: 30, changesPerSecond: 0 },
  });
  // A configured app with a ticket, a failed request and alarm properties on disk.
  const configured = await services.router.handle('settings:update', {
    api: { baseUrl: sim.url, clientId: DEMO_CREDENTIALS.clientId, userId: DEMO_CREDENTIALS.userId },
    clientSecret: DEMO_CREDENTIALS.clientSecret,
    element: { ticketCreationRetryCount: 0 },
  });
  expect(configured.ok).toBe(true);
  const alarm = services.alarms.list()[0];
  if (!alarm) throw new Error('the mock DataMiner has no alarm');
  const base = {
    dmaId: alarm.dmaId,
    elementId: alarm.elementId,
    elementName: alarm.elementName,
    priority: 'High',
    urgency: 'Low',
    technicalImpact: 'Minor',
  };
  expect(
    (await services.router.handle('tickets:create', { ...base, alarmId: alarm.alarmId })).ok,
  ).toBe(true);
  sim.inject('create', { kind: 'status', status: 400 });
  expect((await services.router.handle('tickets:create', { ...base, alarmId: '999999' })).ok).toBe(
    true,
  );
  await services.connector.whenIdle();
  expect(services.connector.listFailedRequests()).toHaveLength(1);
  before = await snapshot(dir);
  expect([...before.keys()].sort()).toEqual(
    expect.arrayContaining(['oceane-console.db', 'oceane-console.db-wal', 'settings.json']),
  );
});

afterAll(async () => {
  await services?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

async function expectRefused(channel: string, payload: unknown): Promise<void> {
  payloadsSent++;
  const result = await services.router.handle(channel, payload);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('invalid-payload');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('malformed payloads on every request channel are refused and change nothing', () => {
  it.each(OBJECT_CHANNELS.map(([channel, shape, runs]) => ({ channel, shape, runs })))(
    '$channel refuses $runs malformed payloads as invalid-payload',
    async ({ channel, shape, runs }) => {
      await fc.assert(
        fc.asyncProperty(malformedPayload(shape), (payload) => expectRefused(channel, payload)),
        { numRuns: runs, seed: 20250301 },
      );
    },
  );

  it.each(NO_PAYLOAD_CHANNELS)('%s refuses any payload at all', async (channel) => {
    await fc.assert(
      fc.asyncProperty(somethingForNothing, (payload) => expectRefused(channel, payload)),
      { numRuns: 150, seed: 20250301 },
    );
  });

  it('answers unknown channels, inherited names included, as unknown-channel', async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 40 }).filter((c) => !Object.hasOwn(requestSchemas, c)),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'),
    );
    await fc.assert(
      fc.asyncProperty(names, fc.anything(), async (channel, payload) => {
        const result = await services.router.handle(channel, payload);
        expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
      }),
      { numRuns: 300, seed: 20250301 },
    );
  });

  it('left every store file as it was, opened nothing and kept Object.prototype clean', async () => {
    // Runs after the properties above (Vitest runs the tests of a file in order).
    expect(payloadsSent).toBeGreaterThanOrEqual(3000);
    await services.connector.whenIdle();
    const after = await snapshot(dir);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, state] of before) {
      const now = after.get(name);
      expect(now?.bytes.equals(state.bytes), `${name} bytes`).toBe(true);
      expect(now?.mtimeMs, `${name} modification time`).toBe(state.mtimeMs);
    }
    expect(opened).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
