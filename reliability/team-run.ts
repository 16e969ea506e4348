/**
 * `npm run test:team`: the team test of issue 14 (team-harness.ts). Prints progress, any
 * disagreement found, and last exactly one line of the form
 * `consoles: 3, kills: 52, tickets: 300, duplicates: 0, lost: 0`. Exits with 1 when a ticket
 * was duplicated or a request lost, when anything disagrees, or when fewer kills were made than
 * asked.
 *
 * `tsx reliability/team-run.ts [--consoles 3] [--requests 300] [--collisions 0.3] [--kills 50]
 * [--freezes 6] [--seed 1] [--no-postgres-restart] [--quiet]`
 */
import { parseArgs } from 'node:util';
import { runTeamTest, teamLine } from './team-harness.js';

const { values } = parseArgs({
  options: {
    consoles: { type: 'string', default: '3' },
    requests: { type: 'string', default: '300' },
    collisions: { type: 'string', default: '0.3' },
    kills: { type: 'string', default: '50' },
    freezes: { type: 'string', default: '6' },
    seed: { type: 'string' },
    'no-postgres-restart': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const consoles = Number(values.consoles);
const requests = Number(values.requests);
const kills = Number(values.kills);
const freezes = Number(values.freezes);
const collisions = Number(values.collisions);
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
if (
  ![consoles, requests, kills].every((n) => Number.isInteger(n) && n >= 1) ||
  !(Number.isInteger(freezes) && freezes >= 0) ||
  !(collisions >= 0 && collisions <= 1)
) {
  console.error(
    'Usage: tsx reliability/team-run.ts --consoles <n> --requests <n> --collisions <0..1> --kills <n> --freezes <n>',
  );
  process.exit(2);
}
console.log(
  `team test: ${consoles} consoles, ${requests} requests (${Math.round(collisions * 100)} % asked by two consoles at once), at least ${kills} kills, seed ${seed}`,
);
const report = await runTeamTest({
  consoles,
  requests,
  collisions,
  kills,
  freezes,
  restartPostgres: !values['no-postgres-restart'],
  seed,
  log: values.quiet ? undefined : (line) => console.log(line),
});
console.log(
  `requests acknowledged: ${report.requested}, asked by two consoles at once: ${report.collisions}, answered "already asked": ${report.known}, refused and asked again: ${report.refused}, PostgreSQL restarts: ${report.postgresRestarts}, frozen between the mark and the send: ${report.freezes} (sends refused by the fence: ${report.fenced}), duration: ${(report.durationMs / 1000).toFixed(1)} s`,
);
for (const problem of report.problems) console.log(`PROBLEM ${problem}`);
console.log(teamLine(report));
const failed =
  report.duplicates > 0 ||
  report.lost > 0 ||
  report.problems.length > 0 ||
  report.kills < kills ||
  report.requested < requests;
process.exit(failed ? 1 : 0);
