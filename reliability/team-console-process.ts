/**
 * A console of the team test (issue 14), as a child process: the console's services on the
 * team's PostgreSQL (electron/team/team-console.ts), no Electron. The team harness kills it
 * with SIGKILL at random moments and starts it again.
 *
 * Run: `node --import tsx reliability/team-console-process.ts --postgres <url> --oceane <url>
 * --name <console> [--timeout-ms 4000] [--lease-ms 3000]`, with the Client Secret in the
 * environment variable OCEANE_CLIENT_SECRET.
 *
 * It reads one command per line on stdin, `ask <alarmId>` (a ticket request for that alarm
 * of the team test's DMA), and prints one fact per line on stdout (read by team-harness.ts):
 * `ready`, then for each command `queued <alarmId> <instance>`, `known <alarmId>` (another
 * request or ticket holds the alarm) or `refused <alarmId> <code>`. `note <alarmId> <ticketId>`
 * queues a note on the team's ticket (team-life-actions.ts) and prints `note <alarmId> <noteId>`
 * once it is queued in PostgreSQL, or `note-refused <alarmId> <code>`. `freeze` freezes the
 * console at its next send, between the mark "may have been sent" and the HTTP call: it prints
 * `frozen <refusals>` and stops itself with SIGSTOP (the harness sends SIGCONT after more than
 * a lease), then prints `thawed <refusals>` once the send had its chance, where <refusals>
 * counts the sends the send fence refused (team-fence.ts).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS } from '../electron/oceane-simulator/index.js';
import { TeamConsole } from '../electron/team/team-console.js';
import { addTeamNote } from '../electron/team/team-life-actions.js';
import { CRASH_DMA_ID, SECRET_ENV, crashTestRequest } from './crash-protocol.js';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      postgres: { type: 'string' },
      oceane: { type: 'string' },
      name: { type: 'string' },
      'timeout-ms': { type: 'string', default: '4000' },
      'lease-ms': { type: 'string', default: '3000' },
    },
  });
  const { postgres, oceane, name } = values;
  if (!postgres || !oceane || !name)
    throw new Error('--postgres, --oceane and --name are required');
  const url = new URL(postgres);
  // The harness gone (its end of stdin closed) before the console is up: leave at once.
  let team: TeamConsole | null = null;
  let freezeNext = false;
  const refusals = (): number =>
    team === null ? 0 : team.sender.fence.refusals + team.life.fence.refusals;
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => {
    if (team === null) process.exit(0);
    void team.close().then(() => process.exit(0));
  });
  team = await TeamConsole.open({
    postgres: { connectionString: postgres, connectionTimeoutMillis: 2_000 },
    where: `${url.hostname}:${url.port}`,
    consoleName: name,
    oceane: {
      baseUrl: oceane,
      clientId: DEMO_CREDENTIALS.clientId,
      clientSecret: process.env[SECRET_ENV],
      userId: DEMO_CREDENTIALS.userId,
      ticketUrlTemplate: '{base}/ticket/{id}',
    },
    timeoutMs: Number(values['timeout-ms']),
    leaseMs: Number(values['lease-ms']),
    createRetryCount: 10,
    // The shortest delays the policy allows, so that runs stay short.
    random: () => 0,
    fenceTest: {
      beforeSend: () => {
        if (!freezeNext) return;
        freezeNext = false;
        // Written to the pipe at once (synchronous on Linux), before the process stops.
        say(`frozen ${refusals()}`);
        process.kill(process.pid, 'SIGSTOP');
        setTimeout(() => say(`thawed ${refusals()}`), 1_000);
      },
    },
  });
  say('ready');
  const opened = team;
  lines.on('line', (line) => {
    const [command, alarmId, ticketId] = line.trim().split(' ');
    if (command === 'freeze') {
      freezeNext = true;
      return;
    }
    if (command === 'note' && alarmId && ticketId) {
      const text = `Team note ${Math.random().toString(36).slice(2)} for alarm ${alarmId}`;
      void addTeamNote(opened.life.store, ticketId, text, DEMO_CREDENTIALS.userId).then(
        (result) =>
          say(
            result.ok
              ? `note ${alarmId} ${result.value.id}`
              : `note-refused ${alarmId} ${result.error.code}`,
          ),
        () => say(`note-refused ${alarmId} storage`),
      );
      return;
    }
    if (command !== 'ask' || !alarmId) return;
    void opened.createTicket(crashTestRequest(CRASH_DMA_ID, Number(alarmId))).then((result) => {
      if (result.ok) say(`queued ${alarmId} ${result.value.instance}`);
      else if (result.error.code === 'duplicate') say(`known ${alarmId}`);
      else say(`refused ${alarmId} ${result.error.code}`);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
