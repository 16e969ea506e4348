/**
 * The app services as main.ts composes them (issue 5, "Hostile and broken input"), each test
 * on its own data folder and simulator: store files damaged before start, a store that cannot
 * be written, and hostile answers from Oceane. Everything goes through the router, as a
 * renderer would, with an `openExternal` spy in place of the user's browser.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import type {
  Alarm,
  AppInfo,
  CreateTicketRequest,
  ExistingTicket,
  FailedRequestRow,
  MenuItem,
  SettingsView,
  TicketRow,
} from '../shared/domain.js';
import type { Result } from '../shared/result.js';
import { createAppServices, type AppServices } from './app-services.js';
import { DATABASE_FILE } from './storage/sqlite-database.js';
import { failWrites } from './storage/store-faults.js';
import {
  ConfSettingsStore,
  FakeClock,
  createMemorySecretStore,
  silentLogger,
  type SecretStorePort,
} from './connector/index.js';
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
  type SimulatorFault,
} from './oceane-simulator/index.js';
import { requestTicketFor } from './app-services-test-support.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** `<name>.broken-<ISO time stamp with - for : and .>` */
const brokenName = (name: string): RegExp =>
  new RegExp(
    `^${name.replace('.', '\\.')}\\.broken-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z$`,
  );

/** One app installation: a data folder, its Oceane, and the services when running. */
class Host {
  services: AppServices | null = null;
  readonly opened: string[] = [];
  /** The secret store survives restarts, as the OS key store would. */
  readonly secrets: SecretStorePort = createMemorySecretStore();

  private constructor(
    readonly dir: string,
    readonly sim: RunningSimulator,
    private readonly clock?: FakeClock,
  ) {}

  /** A new installation, removed when the test `context` finishes. */
  static async create(context: TestContext, clock?: FakeClock): Promise<Host> {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-app-'));
    const host = new Host(dir, await startSimulator(), clock);
    context.onTestFinished(async () => {
      await host.stop();
      await host.sim.close();
      await rm(host.dir, { recursive: true, force: true });
    });
    return host;
  }

  get app(): AppServices {
    if (!this.services) throw new Error('the services are not running');
    return this.services;
  }

  async start(): Promise<AppServices> {
    this.services = await createAppServices({
      dataDir: this.dir,
      settingsStore: new ConfSettingsStore(this.dir),
      secretStore: this.secrets,
      logger: silentLogger,
      hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
      openExternal: async (url) => {
        this.opened.push(url);
      },
      demo: 'off',
      alarms: { seed: 11, initialAlarms: 40, changesPerSecond: 0 },
      ...(this.clock ? { clock: this.clock } : {}),
    });
    return this.services;
  }

  async stop(): Promise<void> {
    await this.services?.close();
    this.services = null;
  }

  /** A router call that must succeed; returns its value. */
  async call<T>(channel: string, payload?: unknown): Promise<T> {
    const result = await this.app.router.handle(channel, payload);
    if (!result.ok)
      throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
    return result.value as T;
  }

  async configure(retryCount = 1): Promise<void> {
    await this.call<SettingsView>('settings:update', {
      api: {
        baseUrl: this.sim.url,
        clientId: DEMO_CREDENTIALS.clientId,
        userId: DEMO_CREDENTIALS.userId,
        // A request in doubt at a restart is looked up only after its send plus the time-out.
        requestTimeoutSeconds: 1,
      },
      clientSecret: DEMO_CREDENTIALS.clientSecret,
      element: { ticketCreationRetryCount: retryCount },
    });
  }

  async alarms(): Promise<Alarm[]> {
    return this.call<Alarm[]>('alarms:list');
  }

  async alarm(key: { dmaId: string; alarmId: string }): Promise<Alarm | undefined> {
    return (await this.alarms()).find((a) => a.dmaId === key.dmaId && a.alarmId === key.alarmId);
  }

  /** What the Create Ticket dialog sends for an alarm, after asking for an existing ticket. */
  async requestTicket(alarm: Alarm): Promise<Result<unknown>> {
    const request: CreateTicketRequest = {
      dmaId: alarm.dmaId,
      elementId: alarm.elementId,
      alarmId: alarm.alarmId,
      elementName: alarm.elementName,
      alarmValue: alarm.value,
      priority: 'High',
      urgency: 'Medium',
      technicalImpact: 'Major',
    };
    await this.call<ExistingTicket | null>('tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    return this.app.router.handle('tickets:create', request);
  }

  async notices(): Promise<AppInfo['notices']> {
    return (await this.call<AppInfo>('app:info')).notices;
  }

  ticketCalls(): number {
    return this.sim.requests().filter((r) => r.path.includes('/troubleTicket')).length;
  }
}

/**
 * A host whose files all hold data: alarm A has a ticket, B a failed request, C a request
 * waiting in the queue (Oceane asked it to come back in a second; the wait holds across a
 * restart). Stopped on return.
 */
async function populatedHost(
  context: TestContext,
): Promise<{ host: Host; a: Alarm; b: Alarm; c: Alarm; d: Alarm }> {
  const host = await Host.create(context);
  await host.start();
  await host.configure(1);
  const [a, b, c, d] = await host.alarms();
  if (!a || !b || !c || !d) throw new Error('too few alarms');
  expect((await host.requestTicket(a)).ok).toBe(true);
  await host.app.connector.whenIdle();
  host.sim.inject('create', { kind: 'status', status: 400 });
  expect((await host.requestTicket(b)).ok).toBe(true);
  await host.app.connector.whenIdle();
  host.sim.inject('create', { kind: 'status', status: 503, retryAfter: '1' });
  expect((await host.requestTicket(c)).ok).toBe(true);
  await host.app.connector.whenQuiet();
  expect(host.app.connector.getQueueStatus().pending).toHaveLength(1);
  await host.stop();
  return { host, a, b, c, d };
}

/** Deterministic binary noise with a few newlines. */
function garbage(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = i % 97 === 96 ? 0x0a : state >>> 24;
  }
  return bytes;
}

type Damage = 'garbage' | 'truncated';

/** Fills the file with garbage, or cuts it in the middle of a record. */
async function damage(file: string, how: Damage): Promise<void> {
  const bytes = await readFile(file);
  if (how === 'garbage') {
    await writeFile(file, garbage(Math.max(2048, bytes.length)));
    return;
  }
  let cut = Math.floor(bytes.length * 0.6);
  while (cut > 1 && (bytes[cut - 1] === 0x0a || bytes[cut] === 0x0a)) cut--;
  await writeFile(file, bytes.subarray(0, cut));
}

describe.concurrent('a store file damaged before start', () => {
  it.for(['garbage', 'truncated'] as const)(
    'the database %s: starts, keeps it aside, says so, keeps working',
    async (how, context) => {
      const file = DATABASE_FILE;
      const { host, a, d } = await populatedHost(context);
      await damage(path.join(host.dir, file), how);

      await host.start();

      const names = await readdir(host.dir);
      expect(names.filter((n) => brokenName(file).test(n))).toHaveLength(1);
      const notices = await host.notices();
      const notice = notices.find((n) => n.title === 'Database kept aside');
      expect(notice, JSON.stringify(notices)).toBeDefined();
      expect(notice?.level).toBe('warning');
      // Which file, why, and where the damaged file was kept.
      expect(notice?.message).toMatch(
        /^The database .*oceane-console\.db could not be read \(.+\)/,
      );
      expect(notice?.message).toContain(`${file}.broken-`);

      // A's ticket is found in Oceane by the dialog's look-up: never a second one.
      const again = await host.requestTicket(a);
      expect(again).toMatchObject({ ok: false, error: { code: 'duplicate' } });
      expect((await host.requestTicket(d)).ok).toBe(true);
      await host.app.connector.whenIdle();
      const rows = await host.call<TicketRow[]>('tickets:list');
      expect(rows.find((r) => r.alarmId === d.alarmId)?.status).toBe('Created');
      const ledger = host.sim.ledger();
      expect(new Set(ledger.map((t) => t.externalIdentifier[0]?.id)).size).toBe(ledger.length);
      expect((await host.alarm(d))?.properties['Oceane Ticket ID']).toBe(
        ledger.find((t) => t.externalIdentifier[0]?.id === `${d.dmaId}/${d.alarmId}`)?.id,
      );
    },
  );

  it.for(['garbage', 'truncated'] as const)(
    'settings.json %s: falls back to the defaults and says so, then works once configured',
    async (how, context) => {
      const { host, d } = await populatedHost(context);
      await damage(path.join(host.dir, 'settings.json'), how);

      await host.start();

      expect(
        (await readdir(host.dir)).filter((n) => brokenName('settings.json').test(n)),
      ).toHaveLength(1);
      const settings = await host.call<SettingsView>('settings:get');
      expect(settings.api.baseUrl).toBe('');
      expect(settings.element).toEqual({
        ticketStorageDurationDays: 90,
        ticketStorageCountLimit: 1000,
        ticketCreationRetryCount: 1,
        displayDebugPage: false,
        desktopNotifications: true,
        ticketStatusPollSeconds: 60,
        clearAction: 'nothing',
        eventListenerUrl: '',
      });
      const notices = await host.notices();
      expect(notices.map((n) => n.message)).toContainEqual(
        expect.stringMatching(
          /^Settings file was damaged, defaults restored; the old file was moved aside to .*settings\.json\.broken-/,
        ),
      );
      // Not configured: refused with the reason, nothing sent.
      expect(await host.requestTicket(d)).toMatchObject({
        ok: false,
        error: { code: 'not-configured' },
      });
      await host.configure(1);
      expect((await host.requestTicket(d)).ok).toBe(true);
      await host.app.connector.whenIdle();
      expect((await host.alarm(d))?.properties['Oceane Ticket ID']).toMatch(/^OCE-/);
    },
  );

  it('settings.json with values out of bounds or an unsafe ticket URL template: defaults, said so', async (context) => {
    const { host } = await populatedHost(context);
    await writeFile(
      path.join(host.dir, 'settings.json'),
      JSON.stringify({
        element: { ticketCreationRetryCount: 99 },
        api: { baseUrl: host.sim.url, ticketUrlTemplate: 'javascript:alert({id})' },
      }),
    );
    await host.start();
    const settings = await host.call<SettingsView>('settings:get');
    expect(settings.api.ticketUrlTemplate).toBe('{base}/ticket/{id}');
    expect(settings.element.ticketCreationRetryCount).toBe(1);
    expect((await host.notices()).map((n) => n.message)).toContainEqual(
      expect.stringMatching(/^Settings file was invalid, defaults restored/),
    );
  });
});

describe('demo mode with a damaged simulator ledger', () => {
  it('starts anyway: the ledger is kept aside, the operator told, tickets created', async (context) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-demo-ledger-'));
    const running: { services?: AppServices } = {};
    context.onTestFinished(async () => {
      await running.services?.close();
      await rm(dir, { recursive: true, force: true });
    });
    await writeFile(path.join(dir, 'demo-simulator-ledger.json'), '{"version":1,"tickets":[{"id":');
    const services = await createAppServices({
      dataDir: dir,
      settingsStore: new ConfSettingsStore(dir),
      secretStore: createMemorySecretStore(),
      logger: silentLogger,
      hyperLinksPath: path.join(ROOT, 'assets/HyperLinks.xml'),
      openExternal: async () => undefined,
      demo: 'auto',
      demoPort: 0,
      alarms: { seed: 3, initialAlarms: 10, changesPerSecond: 0 },
    });
    running.services = services;
    expect(services.demo.active).toBe(true);
    expect(
      (await readdir(dir)).filter((n) => brokenName('demo-simulator-ledger.json').test(n)),
    ).toHaveLength(1);
    const info = await services.router.handle('app:info', undefined);
    expect(info.ok && info.value).toMatchObject({
      notices: [expect.objectContaining({ title: 'Demo simulator ledger was damaged' })],
    });
    const alarm = services.alarms.list()[0];
    if (!alarm) throw new Error('no alarm');
    const created = await requestTicketFor(services, alarm);
    expect(created.ok).toBe(true);
    await services.connector.whenIdle();
    expect(services.connector.listTickets()[0]?.status).toBe('Created');
  });
});

describe.concurrent('a store that cannot be written', () => {
  /** A configured host with one ticket, restarted: no journal file is open yet. */
  async function restartedHost(context: TestContext): Promise<{ host: Host; next: Alarm }> {
    const host = await Host.create(context);
    await host.start();
    await host.configure(1);
    const [first, next] = await host.alarms();
    if (!first || !next) throw new Error('too few alarms');
    await host.requestTicket(first);
    await host.app.connector.whenIdle();
    await host.stop();
    await host.start();
    await host.app.connector.whenIdle();
    return { host, next };
  }

  /** The request is refused with a clear error and Oceane hears nothing of it. */
  async function expectRefusedBeforeOceane(host: Host, alarm: Alarm): Promise<void> {
    const rowsBefore = await host.call<TicketRow[]>('tickets:list');
    const callsBefore = host.ticketCalls();
    const result = await host.requestTicket(alarm);
    const callsAfterLookup = host.ticketCalls();
    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(result.ok ? '' : result.error.message).toMatch(
      /could not be saved .*nothing was sent to Oceane\. Check the free disk space and the permissions of the data folder/,
    );
    await host.app.connector.whenIdle();
    // Only the dialog's look-up reached Oceane; no create, no further look-up.
    expect(callsAfterLookup - callsBefore).toBe(1);
    expect(host.ticketCalls()).toBe(callsAfterLookup);
    expect(
      host.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('troubleTicket')),
    ).toHaveLength(1);
    expect(await host.call<TicketRow[]>('tickets:list')).toEqual(rowsBefore);
    expect((await host.call<{ pending: unknown[] }>('queue:status')).pending).toEqual([]);
  }

  it.for(['tickets', 'queue'] as const)(
    'a full disk under the %s table (its writes fail): refused before anything is sent',
    async (table, context) => {
      const { host, next } = await restartedHost(context);
      const fault = failWrites(host.dir, [table]);
      await expectRefusedBeforeOceane(host, next);
      // Space is back: the same request goes through.
      fault.restore();
      expect((await host.requestTicket(next)).ok).toBe(true);
      await host.app.connector.whenIdle();
      expect(host.sim.ledger()).toHaveLength(2);
    },
  );

  it('a full disk when the outcome is saved: the request stays, and its ticket is adopted later', async (context) => {
    const clock = new FakeClock(Date.now());
    const host = await Host.create(context, clock);
    await host.start();
    await host.configure(1);
    const [first, next] = await host.alarms();
    if (!first || !next) throw new Error('too few alarms');
    await host.requestTicket(first);
    await host.app.connector.whenIdle();
    await host.stop();
    await host.start();
    const fault = failWrites(host.dir, ['alarm_properties']);
    const notices: string[] = [];
    host.app.subscribe((channel, payload) => {
      if (channel === 'notice') notices.push((payload as { title: string }).title);
    });

    expect((await host.requestTicket(next)).ok).toBe(true);
    await host.app.connector.whenQuiet();
    expect(host.sim.ledger()).toHaveLength(2);
    expect((await host.alarm(next))?.properties).toEqual({});
    expect((await host.call<{ pending: unknown[] }>('queue:status')).pending).toHaveLength(1);
    // Events leave in batches, once per turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(notices).toContain('Storage problem');

    fault.restore();
    await clock.advanceAsync(30_000);
    await host.app.connector.whenIdle();
    expect(host.sim.ledger()).toHaveLength(2);
    const ticketId = host.sim.ledger()[1]?.id;
    expect((await host.alarm(next))?.properties['Oceane Ticket ID']).toBe(ticketId);
    const rows = await host.call<TicketRow[]>('tickets:list');
    expect(rows.find((r) => r.alarmId === next.alarmId)).toMatchObject({
      status: 'Created',
      ticketId,
    });
  });
});

describe.concurrent('hostile answers from Oceane', () => {
  const json = 'application/json';
  const createAnswers: [string, SimulatorFault][] = [
    [
      'a huge body',
      { kind: 'raw', status: 201, contentType: json, body: `{"id":"${'x'.repeat(3_000_000)}"}` },
    ],
    ['invalid JSON', { kind: 'raw', status: 201, contentType: json, body: '{"id": "OCE-1",' }],
    [
      'a wrong content type',
      { kind: 'raw', status: 201, contentType: 'text/html', body: '{"id":"OCE-1"}' },
    ],
    ['no content type', { kind: 'raw', status: 201, body: '{"id":"OCE-1"}' }],
    ['a numeric ticket id', { kind: 'raw', status: 201, contentType: json, body: '{"id":12345}' }],
    [
      'an object as ticket id',
      { kind: 'raw', status: 201, contentType: json, body: '{"id":{"toString":"x"}}' },
    ],
    ['a null ticket id', { kind: 'raw', status: 201, contentType: json, body: '{"id":null}' }],
    [
      'a ticket id with control characters',
      { kind: 'raw', status: 201, contentType: json, body: '{"id":"OCE\\u0000\\u202e1"}' },
    ],
    [
      'a polluting body',
      {
        kind: 'raw',
        status: 201,
        contentType: json,
        body: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
      },
    ],
  ];
  it.for(createAnswers)(
    'a create answered with %s: Failed with the reason, nothing on the alarm, the app goes on',
    async ([, fault], context) => {
      const host = await Host.create(context);
      await host.start();
      await host.configure(3);
      const [alarm] = await host.alarms();
      if (!alarm) throw new Error('no alarm');
      host.sim.inject('create', fault);
      expect((await host.requestTicket(alarm)).ok).toBe(true);
      await host.app.connector.whenIdle();
      const rows = await host.call<TicketRow[]>('tickets:list');
      expect(rows.map((r) => r.status)).toEqual(['Failed']);
      const failed = await host.call<FailedRequestRow[]>('failed:list');
      expect(failed[0]).toMatchObject({
        httpErrorCode: 201,
        errorMessage: 'Invalid answer from Oceane',
      });
      // Not sent again: Oceane said "created", so a second create could duplicate it.
      expect(
        host.sim.requests().filter((r) => r.method === 'POST' && r.path.includes('troubleTicket')),
      ).toHaveLength(1);
      expect((await host.alarm(alarm))?.properties).toEqual({});
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await host.call<AppInfo>('app:info')).version).toBeDefined();
      expect(host.opened).toEqual([]);
    },
  );

  const searchAnswers: [string, SimulatorFault][] = [
    ['invalid JSON', { kind: 'raw', status: 200, contentType: json, body: '[{"id":' }],
    [
      'an HTML page',
      { kind: 'raw', status: 200, contentType: 'text/html', body: '<html>hi</html>' },
    ],
    [
      'an object instead of a list',
      { kind: 'raw', status: 200, contentType: json, body: '{"id":"OCE-1"}' },
    ],
    [
      'a huge body',
      { kind: 'raw', status: 200, contentType: json, body: `[${'1,'.repeat(700_000)}1]` },
    ],
  ];
  it.for(searchAnswers)(
    'a look-up answered with %s: Failed with the reason, no ticket created, nothing on the alarm',
    async ([, fault], context) => {
      const host = await Host.create(context);
      await host.start();
      await host.configure(0);
      const [alarm] = await host.alarms();
      if (!alarm) throw new Error('no alarm');
      // No dialog look-up before: the request itself is looked up before its create.
      host.sim.inject('find', fault);
      const result = await host.app.router.handle('tickets:create', {
        dmaId: alarm.dmaId,
        elementId: alarm.elementId,
        alarmId: alarm.alarmId,
        elementName: alarm.elementName,
        priority: 'Low',
        urgency: 'Low',
        technicalImpact: 'Warning',
      });
      expect(result.ok).toBe(true);
      await host.app.connector.whenIdle();
      expect((await host.call<TicketRow[]>('tickets:list')).map((r) => r.status)).toEqual([
        'Failed',
      ]);
      expect((await host.call<FailedRequestRow[]>('failed:list'))[0]).toMatchObject({
        httpErrorCode: 200,
        errorMessage: 'Invalid answer from Oceane',
      });
      expect(host.sim.ledger()).toEqual([]);
      expect((await host.alarm(alarm))?.properties).toEqual({});
    },
  );

  it('a javascript: ticket id becomes an encoded http(s) link on the Oceane server', async (context) => {
    const host = await Host.create(context);
    await host.start();
    await host.configure(0);
    const [alarm] = await host.alarms();
    if (!alarm) throw new Error('no alarm');
    host.sim.inject('create', {
      kind: 'raw',
      status: 201,
      contentType: json,
      body: JSON.stringify({ id: 'javascript:alert(1)', href: 'javascript:alert(2)' }),
    });
    expect((await host.requestTicket(alarm)).ok).toBe(true);
    await host.app.connector.whenIdle();
    const url = (await host.alarm(alarm))?.properties['Oceane Ticket URL'] ?? '';
    expect(url).toBe(`${host.sim.url}/ticket/javascript%3Aalert(1)`);
    expect(new URL(url).origin).toBe(host.sim.url);
    const menu = await host.call<MenuItem[]>('alarms:menu', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(menu.find((m) => m.name === 'Go To Ticket')?.url).toBe(url);
  });

  it('a javascript: ticket URL template is refused and the stored settings stay', async (context) => {
    const host = await Host.create(context);
    await host.start();
    await host.configure(0);
    for (const ticketUrlTemplate of [
      'javascript:alert({id})',
      'data:text/html,{id}',
      '{id}',
      'vbscript:{id}',
    ]) {
      const result = await host.app.router.handle('settings:update', {
        api: { ticketUrlTemplate },
      });
      expect(result, ticketUrlTemplate).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
    expect((await host.call<SettingsView>('settings:get')).api.ticketUrlTemplate).toBe(
      '{base}/ticket/{id}',
    );
  });

  it('never opens a URL that is not an http(s) link on the Oceane server', async (context) => {
    const host = await Host.create(context);
    await host.start();
    await host.configure(0);
    const [alarm] = await host.alarms();
    if (!alarm) throw new Error('no alarm');
    // A property a hostile source left on an alarm.
    await host.app.alarms.set(alarm.dmaId, alarm.alarmId, {
      'Oceane Ticket ID': 'OCE-1',
      'Oceane Ticket URL': 'javascript:alert(1)',
    });
    const existing = await host.call<ExistingTicket | null>('tickets:find-existing', {
      dmaId: alarm.dmaId,
      alarmId: alarm.alarmId,
    });
    expect(existing).toMatchObject({ ticketId: 'OCE-1', ticketUrl: null });
    const goTo = (
      await host.call<MenuItem[]>('alarms:menu', { dmaId: alarm.dmaId, alarmId: alarm.alarmId })
    ).find((m) => m.name === 'Go To Ticket');
    expect(goTo).toMatchObject({ url: null });
    expect(goTo?.error).toMatch(/only http and https/);

    const { host: simHost } = new URL(host.sim.url);
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'http://evil.example/ticket/1',
      `https://${simHost}/ticket/1`,
      `http://user:secret@${simHost}/ticket/1`,
      `ftp://${simHost}/ticket/1`,
      'not a url',
    ]) {
      const result = await host.app.router.handle('shell:open-ticket-url', { url });
      expect(result, url).toMatchObject({ ok: false, error: { code: 'refused' } });
    }
    expect(host.opened).toEqual([]);
    // The control: a ticket link on the Oceane server is opened.
    const good = `${host.sim.url}/ticket/OCE-000001`;
    expect(await host.app.router.handle('shell:open-ticket-url', { url: good })).toEqual({
      ok: true,
      value: true,
    });
    expect(host.opened).toEqual([good]);
  });
});
