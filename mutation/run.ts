/**
 * `npm run test:mutation [-- options] [module files]`: mutates each module of the pure core
 * in its own Stryker run, judged only by its own tests (mutation/vitest.mutation.config.ts),
 * writes the merged standard report to reports/mutation/mutation.json, prints a score table
 * and exits 1 when a module is below its threshold.
 *
 * Options: `--changed [ref]` runs only the modules whose source or tests differ from the
 * merge base with `ref` (default origin/main, then main; on that branch, the last commit), or
 * whose lines in mutation.config.ts or equivalent-mutants.ts changed; `--incremental` reuses earlier results for
 * unchanged code and tests (reports/mutation/incremental/); `--concurrency N` (default 2);
 * `--list` prints the modules selected and stops; `--rescore` scores the last Stryker reports
 * again (after a change to the list of equivalent mutants) without mutating.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Stryker } from '@stryker-mutator/core';
import {
  DEFAULT_THRESHOLD,
  EQUIVALENT_MUTANTS,
  MUTATION_MODULES,
  STRYKER_OPTIONS,
  type MutationModule,
} from './mutation.config.js';
import {
  formatScoreTable,
  mergeReports,
  scoreFile,
  withExclusions,
  type MutationReport,
} from './report.js';

const REPORT_DIR = 'reports/mutation';
/** The files whose changed lines may name a module (its line, an equivalent mutant). */
const CONFIG_FILES = ['mutation/mutation.config.ts', 'mutation/equivalent-mutants.ts'];
const machineZone = process.env.TZ;
const REPORT_FILE = `${REPORT_DIR}/mutation.json`;

interface Args {
  files: string[];
  changed: string | null;
  incremental: boolean;
  concurrency: number;
  list: boolean;
  rescore: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    files: [],
    changed: null,
    incremental: false,
    concurrency: 2,
    list: false,
    rescore: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--incremental') args.incremental = true;
    else if (arg === '--list') args.list = true;
    else if (arg === '--rescore') args.rescore = true;
    else if (arg === '--concurrency') args.concurrency = Number(argv[++i]);
    else if (arg === '--changed') {
      const next = argv[i + 1];
      args.changed =
        next !== undefined && !next.startsWith('-') && !next.endsWith('.ts') ? next : '';
      if (args.changed !== '') i++;
    } else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) {
    throw new Error('--concurrency needs a whole number of at least 1');
  }
  return args;
}

/** The test files of a module: its own list, or the test file beside it. */
function testsOf(module: MutationModule): string[] {
  return module.tests ?? [module.file.replace(/\.tsx?$/, '.test.ts')];
}

function git(args: string[]): string {
  return execFileSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}

/** What changed since the merge base with `ref`: files (committed or not) and the diff. */
interface Change {
  files: string[];
  /** Lines added to the CONFIG_FILES. */
  configLines: string[];
}

/** The change since the merge base with `ref` (else the last commit), or null without git. */
function changeSince(ref: string): Change | null {
  const candidates = ref !== '' ? [ref] : ['origin/main', 'main'];
  for (const candidate of candidates) {
    try {
      let base = git(['merge-base', 'HEAD', candidate]);
      // On the base branch itself, the change is the last commit.
      if (base === git(['rev-parse', 'HEAD'])) base = git(['rev-parse', 'HEAD~1']);
      const diff = git(['diff', '--name-only', base]);
      const untracked = git(['ls-files', '--others', '--exclude-standard']);
      const config = git(['diff', '-U0', base, '--', ...CONFIG_FILES]);
      return {
        files: [...diff.split('\n'), ...untracked.split('\n')].filter((f) => f !== ''),
        configLines: config.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')),
      };
    } catch {
      // Try the next candidate.
    }
  }
  return null;
}

/**
 * The modules named, or with `--changed` those whose source or tests changed and those whose
 * lines in the config files changed (a module added, an equivalent mutant listed), or all.
 */
function selectModules(args: Args): MutationModule[] {
  if (args.files.length > 0) {
    return args.files.map((file) => {
      const module = MUTATION_MODULES.find((m) => m.file === file);
      if (!module)
        throw new Error(`${file} is not in MUTATION_MODULES (mutation/mutation.config.ts)`);
      return module;
    });
  }
  if (args.changed === null) return [...MUTATION_MODULES];
  const change = changeSince(args.changed);
  if (change === null) {
    console.log('No base to compare with: every module is mutated.');
    return [...MUTATION_MODULES];
  }
  return MUTATION_MODULES.filter(
    (m) =>
      [m.file, ...testsOf(m)].some((file) => change.files.includes(file)) ||
      change.configLines.some((line) => line.includes(`'${m.file}'`)),
  );
}

function readReport(file: string): MutationReport | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as MutationReport) : undefined;
}

function partFileOf(module: MutationModule): string {
  return `${REPORT_DIR}/modules/${module.file.replace(/[/\\.]/g, '_')}.json`;
}

/** Runs Stryker on one module; its report is written to partFileOf(module). */
async function mutate(module: MutationModule, args: Args): Promise<void> {
  process.env.MUTATION_TESTS = testsOf(module).join(',');
  // Stryker's test processes inherit the zone; without one of its own, the module's tests
  // run in the machine's zone.
  if (module.timeZone !== undefined) process.env.TZ = module.timeZone;
  else if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
  const stryker = new Stryker({
    ...STRYKER_OPTIONS,
    mutate: [module.file],
    concurrency: args.concurrency,
    jsonReporter: { fileName: partFileOf(module) },
    incremental: args.incremental,
    incrementalFile: partFileOf(module).replace('/modules/', '/incremental/'),
  });
  await stryker.runMutationTest();
}

/** The module's last Stryker report with the exclusions of the config applied. */
function scoredPart(module: MutationModule): MutationReport {
  const part = readReport(partFileOf(module));
  if (!part) throw new Error(`No Stryker report for ${module.file}: run it without --rescore`);
  return withExclusions(
    part,
    EQUIVALENT_MUTANTS,
    new Set(module.wordingCounts ? [module.file] : []),
  );
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const modules = selectModules(args);
  if (modules.length === 0) {
    console.log('Mutation testing: no module of the pure core changed.');
    return 0;
  }
  if (args.list) {
    for (const m of modules) console.log(`${m.file}: ${m.why}`);
    return 0;
  }
  mkdirSync(REPORT_DIR, { recursive: true });
  const started = Date.now();
  let report = readReport(REPORT_FILE);
  const rows: Parameters<typeof formatScoreTable>[0][number][] = [];
  for (const module of modules) {
    const t0 = Date.now();
    if (!args.rescore) {
      console.log(`Mutating ${module.file} (tests: ${testsOf(module).join(', ')})`);
      await mutate(module, args);
    }
    const part = scoredPart(module);
    report = mergeReports(report, part);
    writeFileSync(REPORT_FILE, JSON.stringify(report));
    const file = part.files[module.file];
    if (!file) throw new Error(`The report has no entry for ${module.file}`);
    const score = scoreFile(module.file, file);
    rows.push({ score, threshold: module.threshold ?? DEFAULT_THRESHOLD });
    console.log(`  ${score.score.toFixed(2)} % in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  console.log(`\n${formatScoreTable(rows)}\n`);
  console.log(`Report: ${REPORT_FILE} (${Math.round((Date.now() - started) / 1000)} s)`);
  const below = rows.filter((r) => r.score.score < r.threshold);
  for (const { score, threshold } of below) {
    console.error(
      `${score.file}: ${score.score.toFixed(2)} % is below its threshold of ${threshold} %`,
    );
  }
  return below.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
