/**
 * The mutation report after Stryker: equivalent mutants and message wording marked Ignored,
 * the reports of the per-module runs merged into one file of the standard mutation-testing
 * JSON schema, and the score of each file. Pure functions, tested in mutation/report.test.ts.
 */
import type { EquivalentMutant } from './mutation.config.js';

/** A position in a source file, as in the mutation-testing report schema (1-based). */
export interface Position {
  line: number;
  column: number;
}

/** One mutant of the report (the fields this code reads; others are kept as they are). */
export interface ReportMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
  status: string;
  statusReason?: string;
  [other: string]: unknown;
}

/** One mutated file of the report. */
export interface ReportFile {
  language: string;
  source: string;
  mutants: ReportMutant[];
}

/** The standard mutation-testing JSON report (mutation-testing-report-schema). */
export interface MutationReport {
  schemaVersion: string;
  thresholds: { high: number; low: number };
  files: Record<string, ReportFile>;
  testFiles?: Record<string, unknown>;
  [other: string]: unknown;
}

/** The text of `source` between two report positions. */
export function sliceSource(source: string, start: Position, end: Position): string {
  const lines = source.split('\n');
  const offset = (p: Position): number =>
    lines.slice(0, p.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + p.column - 1;
  return source.slice(offset(start), offset(end));
}

/**
 * True when a literal's own text reads as words (two words or more, placeholders aside): a
 * message or a log line, not a value such as `'https:'` or `` `Bearer ${token}` ``.
 */
export function readsAsWords(literal: string): boolean {
  const text = literal.replace(/\$\{[^}]*\}/g, ' ');
  return /^['"`]/.test(literal) && /[A-Za-z]+[^\sA-Za-z]*\s+[^\sA-Za-z]*[A-Za-z]/.test(text);
}

function within(inner: ReportMutant['location'], outer: ReportMutant['location']): boolean {
  const before = (a: Position, b: Position): boolean =>
    a.line < b.line || (a.line === b.line && a.column <= b.column);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

/**
 * The mutants of one file that only change message wording or log text: string and template
 * literals that read as words, and every mutant inside such a template literal.
 */
export function wordingMutantIds(file: ReportFile): Set<string> {
  const literals = file.mutants
    .filter((m) => m.mutatorName === 'StringLiteral')
    .map((m) => m.location)
    .filter((loc) => readsAsWords(sliceSource(file.source, loc.start, loc.end)));
  return new Set(
    file.mutants.filter((m) => literals.some((loc) => within(m.location, loc))).map((m) => m.id),
  );
}

/** The listed equivalent mutant that `mutant` is, if any. */
export function findEquivalent(
  path: string,
  file: ReportFile,
  mutant: ReportMutant,
  equivalents: readonly EquivalentMutant[],
): EquivalentMutant | undefined {
  const line = file.source.split('\n')[mutant.location.start.line - 1] ?? '';
  return equivalents.find(
    (e) =>
      e.file === path &&
      e.mutator === mutant.mutatorName &&
      e.replacement === mutant.replacement &&
      line.includes(e.line) &&
      e.original === sliceSource(file.source, mutant.location.start, mutant.location.end),
  );
}

const COUNTED_OUT = new Set(['Ignored', 'Killed', 'Timeout']);

/**
 * A copy of the report where surviving (or uncovered) mutants that are listed as equivalent,
 * or that only change wording, are Ignored with the reason. In the files of `wordingCounts`
 * (whose texts are content, e.g. sent to Oceane) wording is not left out.
 */
export function withExclusions(
  report: MutationReport,
  equivalents: readonly EquivalentMutant[],
  wordingCounts: ReadonlySet<string> = new Set(),
): MutationReport {
  const files: Record<string, ReportFile> = {};
  for (const [path, file] of Object.entries(report.files)) {
    const wording = wordingCounts.has(path) ? new Set<string>() : wordingMutantIds(file);
    files[path] = {
      ...file,
      mutants: file.mutants.map((m) => {
        if (COUNTED_OUT.has(m.status)) return m;
        const equivalent = findEquivalent(path, file, m, equivalents);
        if (equivalent) return { ...m, status: 'Ignored', statusReason: equivalent.reason };
        if (wording.has(m.id)) {
          return { ...m, status: 'Ignored', statusReason: 'message wording or log text' };
        }
        return m;
      }),
    };
  }
  return { ...report, files };
}

/** The report of a later run replaces the earlier report's entries for the same files. */
export function mergeReports(
  earlier: MutationReport | undefined,
  later: MutationReport,
): MutationReport {
  if (!earlier) return later;
  return {
    ...later,
    files: { ...earlier.files, ...later.files },
    testFiles: { ...earlier.testFiles, ...later.testFiles },
  };
}

/** The counts and score of one file. */
export interface FileScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
  /** Killed and timed out over every valid mutant not ignored, in percent; 100 with none. */
  score: number;
}

/** Counts a file's mutants by status; timeouts count as killed, errors and Ignored not at all. */
export function scoreFile(path: string, file: ReportFile): FileScore {
  const count = (status: string): number => file.mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return {
    file: path,
    killed,
    timeout,
    survived,
    noCoverage,
    ignored: count('Ignored'),
    errors: count('RuntimeError') + count('CompileError'),
    score: valid === 0 ? 100 : (100 * (killed + timeout)) / valid,
  };
}

/** The table printed after a run, one line per file, with the threshold and the verdict. */
export function formatScoreTable(rows: readonly { score: FileScore; threshold: number }[]): string {
  const header = [
    'file',
    'score',
    'min',
    'killed',
    'timeout',
    'survived',
    'no cov',
    'ignored',
    'verdict',
  ];
  const lines = rows.map(({ score: s, threshold }) => [
    s.file,
    s.score.toFixed(2),
    String(threshold),
    String(s.killed),
    String(s.timeout),
    String(s.survived),
    String(s.noCoverage),
    String(s.ignored),
    s.score >= threshold ? 'ok' : 'BELOW',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]?.length ?? 0)));
  const render = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  return [render(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(render)].join(
    '\n',
  );
}
