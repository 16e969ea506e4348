/**
 * The mutation run (`npm run test:mutation`, mutation/run.ts): which modules are mutated, by
 * which tests each is judged, the score each must reach, and the mutants left out with the
 * reason. Adding a module is one line in MUTATION_MODULES.
 */
import type { Stryker } from '@stryker-mutator/core';

/** One module of the pure core in the mutation run. */
export interface MutationModule {
  /** The source file mutated. */
  file: string;
  /** Why it is in the run: what it decides. */
  why: string;
  /** Its tests; by default the test file beside it (`x.ts` → `x.test.ts`). */
  tests?: string[];
  /** Lowest mutation score accepted, in percent; by default DEFAULT_THRESHOLD. */
  threshold?: number;
  /** Its texts are content (sent or stored), so their wording counts in the score. */
  wordingCounts?: boolean;
  /**
   * The time zone its tests run in. Under Stryker, Vitest runs in threads, where a test
   * cannot change the zone; a zone other than UTC lets them tell local time from UTC.
   */
  timeZone?: string;
}

/** Every module must kill at least this share of its mutants (issue 16). */
export const DEFAULT_THRESHOLD = 90;

/** The pure modules that decide what is sent, stored, refused or shown. One line each. */
// prettier-ignore
export const MUTATION_MODULES: readonly MutationModule[] = [
  { file: 'shared/settings-rules.ts', why: 'refuses unsafe Base URLs (scheme, plain http off this machine, credentials)' },
  { file: 'electron/platform/redact.ts', why: 'keeps secrets and tokens out of the log file' },
  { file: 'electron/connector/oceane-responses.ts', why: 'what is taken from Oceane answers: ticket ids, tokens, errors shown' },
  { file: 'electron/connector/ticket-url.ts', why: 'the ticket link stored on the alarm: absolute http(s) only' },
  { file: 'electron/connector/retry-policy.ts', why: 'when a creation is sent again and after how long (exactly once)' },
  { file: 'electron/connector/tmf621-mapping.ts', why: 'the TroubleTicket body sent to Oceane', wordingCounts: true },
  { file: 'electron/ticket-url-policy.ts', why: 'which ticket links Go To Ticket may open (Oceane origin only)' },
  { file: 'electron/connector/retention.ts', why: 'which stored tickets and failed requests are deleted' },
  { file: 'electron/platform/url-opener.ts', why: 'the last gate before a URL reaches the browser' },
  { file: 'renderer/src/format.ts', why: 'how Oceane errors and times are shown, and the hint after a failed Authenticate', timeZone: 'Europe/Paris' },
  { file: 'electron/alarms/hyperlink-placeholders.ts', why: 'the script parameters of a hyperlink: alarm fields filled in, one field each (Create Ticket input)' },
  { file: 'electron/alarms/dataminer-time.ts', why: 'the times a hyperlink writes and the Root Time read back from them (sent to Oceane)', wordingCounts: true },
  { file: 'electron/connector/ticket-request-machine.ts', why: 'the life of a ticket request: sent, looked up, adopted, retried or failed (exactly once)', threshold: 95, tests: ['electron/connector/ticket-request-machine.test.ts', 'electron/connector/ticket-request-machine-edges.test.ts'] },
  { file: 'electron/platform/app-protocol.ts', why: 'which files app:// serves to the window (only inside the renderer folder)' },
  { file: 'electron/connector/ticket-preconditions.ts', why: 'refuses a ticket request without a User ID' },
  { file: 'shared/plain-text.ts', why: 'what a notice shows of an error answer: text, never markup' },
  { file: 'renderer/src/store/ticket-flags.ts', why: 'which alarms show Pending or Failed in their Oceane Ticket ID cell' },
  { file: 'electron/alarms/hyperlink-filter.ts', why: 'when a hyperlink shows in an alarm\'s menu (Create Ticket only without a ticket)' },
  { file: 'electron/alarms/alarm-actions.ts', why: 'what an operator action stores on an alarm (acknowledged by, owner, comments)' },
  { file: 'electron/connector/connector-notices.ts', why: 'what the operator is told when a ticket is created or not, and whether it may exist anyway' },
  { file: 'renderer/src/store/toast-stack.ts', why: 'which notices stay on screen (warnings and errors never pushed off by successes)' },
];

export { EQUIVALENT_MUTANTS, type EquivalentMutant } from './equivalent-mutants.js';

type StrykerOptions = NonNullable<ConstructorParameters<typeof Stryker>[0]>;

/** Stryker options shared by every module's run; run.ts adds the module's own. */
export const STRYKER_OPTIONS: StrykerOptions = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'mutation/vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  ignorePatterns: [
    'out',
    'release',
    'dist',
    'test-results',
    'playwright-report',
    'reports',
    '.tmp',
  ],
  tempDirName: '.tmp/stryker',
  cleanTempDir: true,
  reporters: ['json'],
  // Progress and scores are printed by run.ts; Stryker speaks only of problems.
  logLevel: 'warn' as StrykerOptions['logLevel'],
  thresholds: { high: 95, low: DEFAULT_THRESHOLD, break: null },
};
