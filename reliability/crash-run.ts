/**
 * `npm run test:reliability`: the full crash test of issue 5. Prints a line per start of the
 * child, the kill statistics, any disagreement found, and last exactly one line of the form
 * `kills: 137, tickets: 60, duplicates: 0, lost: 0, notes: 60, duplicate notes: 0, lost changes: 0`
 * (notes and resolutions of issue 13 are in flight too). Exits with 1 when a ticket or a note
 * was duplicated or a request or a change lost, when anything disagrees, or when fewer kills than asked were
 * made.
 *
 * `tsx reliability/crash-run.ts --kills 100 --requests 60 [--seed 1] [--quiet] [--slow-creates]`
 * (`--slow-creates`: the simulator holds every create 2 to 5 s before committing it, issue 9).
 */
import { parseArgs } from 'node:util';
import { runCrashTest } from './crash-harness.js';
import { changeLine } from './change-verifier.js';
import { crashLine } from './crash-verifier.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    requests: { type: 'string', default: '60' },
    seed: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    'slow-creates': { type: 'boolean', default: false },
  },
});
const kills = Number(values.kills);
const requests = Number(values.requests);
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(requests) || requests < 1) {
  console.error('Usage: tsx reliability/crash-run.ts --kills <n> --requests <n> [--seed <n>]');
  process.exit(2);
}

const slowCreates = values['slow-creates'];
const mode = slowCreates ? ', every create held 2 to 5 s before Oceane commits it' : '';
console.log(`crash test: at least ${kills} kills, ${requests} requests, seed ${seed}${mode}`);
const report = await runCrashTest({
  kills,
  requests,
  seed,
  slowCreates,
  log: values.quiet ? undefined : (line) => console.log(line),
});
const plans = Object.entries(report.plans)
  .map(([plan, n]) => `${plan} ${n}`)
  .join(', ');
console.log(
  `starts: ${report.cycles}, requests acknowledged: ${report.requested}, ` +
    `kills with a ticket request in flight (unanswered, within the time-out): ${report.killsInFlight}, ` +
    `kills after Oceane created a ticket the app had not reported: ${report.killsInWindow}`,
);
console.log(`kills by moment: ${plans}`);
console.log(`duration: ${(report.durationMs / 1000).toFixed(1)} s (seed ${seed})`);
for (const problem of report.problems) console.log(`PROBLEM ${problem}`);
console.log(`${crashLine(report.kills, report)}, ${changeLine(report.changes)}`);
const failed =
  report.duplicates > 0 ||
  report.lost > 0 ||
  report.changes.duplicateNotes > 0 ||
  report.changes.lostChanges > 0 ||
  report.problems.length > 0 ||
  report.kills < kills ||
  report.requested < requests;
process.exit(failed ? 1 : 0);
