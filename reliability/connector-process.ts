/**
 * The child process of the crash test (issue 5): the real Oceane connector on a data folder
 * (settings through `conf`, the Tickets, Failed Ticket Requests and queue journals, the alarm
 * properties journal) against an Oceane URL. The crash harness kills it with SIGKILL at random
 * moments and starts it again on the same folder.
 *
 * Run: `node --import tsx reliability/connector-process.ts --data <dir> --url <base URL>
 * [--alarms N] [--dma 321] [--timeout-ms 500] [--retry-count 10] [--kill-when-created K]`,
 * with the Client Secret in the environment variable OCEANE_CLIENT_SECRET (the secret store is
 * in memory, so it is supplied again at every start, as the OS key store would).
 * `--kill-when-created K`: SIGKILL itself while it announces its K-th Created row.
 *
 * With `--alarms N` it asks for a ticket for alarms 1..N of DMA `--dma` (an alarm the app
 * already knows is reported `known`, as an operator who clicks again after a crash is told;
 * two alarms in three are first looked up in Oceane, as the Create Ticket dialog does),
 * then processes the queue and exits with code 0 once it is empty. Progress goes to stdout, one
 * line per fact (see ChildLine in crash-protocol.ts); the harness reads nothing else.
 */
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS } from '../electron/oceane-simulator/index.js';
import {
  ConfSettingsStore,
  OceaneConnector,
  createMemorySecretStore,
  openSqlAlarmPropertyStore,
} from '../electron/connector/index.js';
import { CRASH_DMA_ID, SECRET_ENV, crashTestRequest } from './crash-protocol.js';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      url: { type: 'string' },
      alarms: { type: 'string', default: '0' },
      dma: { type: 'string', default: CRASH_DMA_ID },
      'timeout-ms': { type: 'string', default: '500' },
      'retry-count': { type: 'string', default: '10' },
      'kill-when-created': { type: 'string', default: '0' },
    },
  });
  const dataDir = values.data;
  const url = values.url;
  if (!dataDir || !url) throw new Error('--data and --url are required');
  const secret = process.env[SECRET_ENV];
  if (!secret) throw new Error(`${SECRET_ENV} is not set`);
  const alarms = Number(values.alarms);
  const retryCount = Number(values['retry-count']);

  say('opening');
  const settingsStore = new ConfSettingsStore(dataDir);
  const props = await openSqlAlarmPropertyStore(dataDir);
  const connector = await OceaneConnector.open({
    dataDir,
    settingsStore,
    secretStore: createMemorySecretStore(secret),
    alarmProperties: props,
    requestTimeoutMs: Number(values['timeout-ms']),
    // The shortest delays the policy allows (half of each step), so that runs stay short.
    random: () => 0,
    closeWaitMs: 0,
  });
  // Issue 13: each created ticket gets a note, and every other one its resolution, once.
  const acted = new Set<string>();
  // Not while this start asks for its alarms: a ticket resolved meanwhile no longer counts for
  // its alarm (issue 13), and asking again would rightly queue a new request for it.
  const deferred: [string, string][] | null = alarms > 0 ? [] : null;
  let asking = deferred !== null;
  const actOn = (alarmId: string, ticketId: string): void => {
    if (asking) {
      deferred?.push([alarmId, ticketId]);
      return;
    }
    if (acted.has(alarmId)) return;
    acted.add(alarmId);
    const history = connector.life.history(ticketId);
    if (history.ok && !history.value.entries.some((e) => e.kind === 'note')) {
      const note = connector.life.addNote(ticketId, `Crash test note for alarm ${alarmId}`);
      if (note.ok) say(`note ${alarmId} ${note.value.id}`);
    }
    if (Number(alarmId) % 2 === 0) {
      const key = `${values.dma}/${alarmId}`;
      const decision = connector.life.alarmCleared(key, '2025-03-01T11:00:00Z', () => null);
      if (decision?.kind === 'resolve') say(`resolving ${alarmId}`);
    }
  };
  // The crash test's `settled` moment: killed while the k-th Created row is announced, saved
  // before its alarm properties and its removal from the queue.
  const killWhenCreated = Number(values['kill-when-created']);
  let createdSeen = 0;
  connector.on('tickets:changed', (change) => {
    for (const row of change.upserted) {
      if (row.status === 'Created' && ++createdSeen === killWhenCreated)
        process.kill(process.pid, 'SIGKILL');
      if (row.status === 'Created') {
        say(`created ${row.alarmId} ${row.ticketId}`);
        actOn(row.alarmId, row.ticketId);
      }
      if (row.status === 'Failed') say(`failed ${row.alarmId}`);
    }
  });
  const current = connector.getSettings();
  if (
    current.api.baseUrl !== url ||
    current.api.clientId !== DEMO_CREDENTIALS.clientId ||
    current.element.ticketCreationRetryCount !== retryCount ||
    current.element.clearAction !== 'resolve'
  ) {
    const result = await connector.updateSettings({
      api: { baseUrl: url, clientId: DEMO_CREDENTIALS.clientId, userId: DEMO_CREDENTIALS.userId },
      element: { ticketCreationRetryCount: retryCount, clearAction: 'resolve' },
      // A new Base URL needs its secret in the same update.
      clientSecret: secret,
    });
    if (!result.ok) throw new Error(`settings refused: ${result.error.message}`);
  }
  say(`ready ${connector.getQueueStatus().pending.length} ${connector.listTickets().length}`);
  for (const row of connector.listTickets()) {
    if (row.status === 'Created') actOn(row.alarmId, row.ticketId);
  }

  for (let alarmId = 1; alarmId <= alarms; alarmId++) {
    const request = crashTestRequest(values.dma, alarmId);
    // Two alarms in three are asked for as the Create Ticket dialog does: Oceane is asked
    // first, so that the idle queue sends the request at once (its create leaves before
    // createTicket answers, its send written by the request's one synced write); before one
    // in three, the child waits until the queue is idle, or the queue is rarely idle.
    if (alarmId % 3 === 1) await connector.whenQuiet();
    if (alarmId % 3 !== 0) await connector.findExistingTicket(request);
    const result = await connector.createTicket(request);
    if (result.ok) {
      const { instance } = result.value;
      const line = connector.getQueueStatus().pending.find((p) => p.instance === instance);
      // A create already counted: it left in the turn that answered.
      say(`queued ${alarmId} ${instance}${(line?.attempts ?? 0) > 0 ? ' sent' : ''}`);
    } else if (result.error.code === 'duplicate') say(`known ${alarmId}`);
    else say(`refused ${alarmId} ${result.error.code}`);
  }
  if (alarms > 0) say('enqueued');
  asking = false;
  for (const [alarmId, ticketId] of deferred ?? []) actOn(alarmId, ticketId);

  await connector.whenIdle();
  // The notes and resolutions too (a change may wait for its retry time).
  while (connector.life.pendingChanges() > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connector.whenIdle();
  }
  await connector.close();
  await props.close();
  say('idle');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
