import { describe, expect, it } from 'vitest';
import {
  formatScoreTable,
  mergeReports,
  readsAsWords,
  scoreFile,
  sliceSource,
  withExclusions,
  type MutationReport,
  type ReportFile,
  type ReportMutant,
} from './report.js';

const SOURCE = [
  "if (text === '') return null;",
  "return `the id is ${id === undefined ? 'missing' : 'bad'}`;",
  "const scheme = 'https:';",
].join('\n');

function mutant(
  id: string,
  mutatorName: string,
  [line, column, endLine, endColumn]: [number, number, number, number],
  status = 'Survived',
  replacement = '""',
): ReportMutant {
  return {
    id,
    mutatorName,
    replacement,
    location: { start: { line, column }, end: { line: endLine, column: endColumn } },
    status,
  };
}

function report(mutants: ReportMutant[], path = 'src/a.ts'): MutationReport {
  return {
    schemaVersion: '2',
    thresholds: { high: 95, low: 90 },
    files: { [path]: { language: 'typescript', source: SOURCE, mutants } },
  };
}

describe('reading the source of a mutant', () => {
  it('slices between 1-based line and column positions', () => {
    expect(sliceSource(SOURCE, { line: 1, column: 5 }, { line: 1, column: 16 })).toBe(
      "text === ''",
    );
    expect(sliceSource(SOURCE, { line: 3, column: 16 }, { line: 3, column: 24 })).toBe("'https:'");
  });

  it('tells words from values', () => {
    expect(readsAsWords("'the ticket id is empty'")).toBe(true);
    expect(readsAsWords('`the id is ${x}`')).toBe(true);
    expect(readsAsWords("'https:'")).toBe(false);
    expect(readsAsWords("'{base}/ticket/{id}'")).toBe(false);
    expect(readsAsWords("''")).toBe(false);
    expect(readsAsWords('a === b')).toBe(false);
    expect(readsAsWords('`Bearer ${token}`')).toBe(false);
    expect(readsAsWords('`${name}: ${value}`')).toBe(false);
    expect(readsAsWords('`Refused to open a ${url.protocol} URL`')).toBe(true);
  });
});

describe('leaving mutants out of the score', () => {
  const template = mutant('2', 'StringLiteral', [2, 8, 2, 58]);
  const inside = mutant('3', 'ConditionalExpression', [2, 22, 2, 38], 'Survived', 'true');
  const value = mutant('4', 'StringLiteral', [3, 16, 3, 24]);
  const equivalent = mutant('1', 'ConditionalExpression', [1, 5, 1, 16], 'NoCoverage', 'false');

  it('ignores message wording, everything inside it, and the listed equivalent mutants', () => {
    const out = withExclusions(report([equivalent, template, inside, value]), [
      {
        file: 'src/a.ts',
        mutator: 'ConditionalExpression',
        original: "text === ''",
        line: "if (text === '')",
        replacement: 'false',
        reason: 'null either way',
      },
    ]);
    const statuses = out.files['src/a.ts']?.mutants.map((m) => [m.id, m.status, m.statusReason]);
    expect(statuses).toEqual([
      ['1', 'Ignored', 'null either way'],
      ['2', 'Ignored', 'message wording or log text'],
      ['3', 'Ignored', 'message wording or log text'],
      ['4', 'Survived', undefined],
    ]);
  });

  it('needs the file, the mutator, the original text, its line and the replacement to match', () => {
    const base = {
      mutator: 'ConditionalExpression',
      original: "text === ''",
      line: 'return null',
      replacement: 'false',
      reason: 'r',
    };
    const matching = withExclusions(report([equivalent]), [{ ...base, file: 'src/a.ts' }]);
    expect(matching.files['src/a.ts']?.mutants[0]?.status).toBe('Ignored');
    for (const entry of [
      { ...base, file: 'src/b.ts' },
      { ...base, file: 'src/a.ts', mutator: 'EqualityOperator' },
      { ...base, file: 'src/a.ts', original: "text !== ''" },
      { ...base, file: 'src/a.ts', replacement: 'true' },
      { ...base, file: 'src/a.ts', line: 'return undefined' },
    ]) {
      const out = withExclusions(report([equivalent]), [entry]);
      expect(out.files['src/a.ts']?.mutants[0]?.status).toBe('NoCoverage');
    }
  });

  it('keeps wording in the score of a file whose texts are content', () => {
    const out = withExclusions(report([template, inside]), [], new Set(['src/a.ts']));
    expect(out.files['src/a.ts']?.mutants.map((m) => m.status)).toEqual(['Survived', 'Survived']);
  });

  it('never changes a killed or timed-out mutant', () => {
    const killed = { ...template, status: 'Killed' };
    const timeout = { ...value, id: '5', status: 'Timeout' };
    const out = withExclusions(report([killed, timeout]), []);
    expect(out.files['src/a.ts']?.mutants.map((m) => m.status)).toEqual(['Killed', 'Timeout']);
  });
});

describe('scores', () => {
  const file = (statuses: string[]): ReportFile => ({
    language: 'typescript',
    source: SOURCE,
    mutants: statuses.map((status, i) => mutant(String(i), 'BooleanLiteral', [1, 1, 1, 2], status)),
  });

  it('count timeouts as killed, and leave ignored mutants and errors out', () => {
    const score = scoreFile(
      'a.ts',
      file([
        'Killed',
        'Killed',
        'Timeout',
        'Survived',
        'NoCoverage',
        'Ignored',
        'RuntimeError',
        'CompileError',
      ]),
    );
    expect(score).toEqual({
      file: 'a.ts',
      killed: 2,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      ignored: 1,
      errors: 2,
      score: 60,
    });
  });

  it('are 100 for a file without mutants', () => {
    expect(scoreFile('a.ts', file([])).score).toBe(100);
  });

  it('print a line per file with its verdict', () => {
    const table = formatScoreTable([
      { score: scoreFile('src/long-name.ts', file(['Killed'])), threshold: 90 },
      { score: scoreFile('b.ts', file(['Killed', 'Survived'])), threshold: 90 },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^file +\| +score \| min \|/);
    expect(lines[2]).toMatch(/^src\/long-name\.ts \| 100\.00 \| {2}90 \|.* ok$/);
    expect(lines[3]).toMatch(/^b\.ts +\| {2}50\.00 \| {2}90 \|.* BELOW$/);
  });
});

describe('merging the reports of module runs', () => {
  it('keeps the files of earlier runs and replaces those run again', () => {
    const first = report([mutant('1', 'StringLiteral', [1, 1, 1, 2], 'Survived')], 'a.ts');
    first.files['b.ts'] = { language: 'typescript', source: '', mutants: [] };
    first.testFiles = { 'a.test.ts': { tests: [] } };
    const second = report([mutant('1', 'StringLiteral', [1, 1, 1, 2], 'Killed')], 'a.ts');
    second.testFiles = { 'a2.test.ts': { tests: [] } };
    const merged = mergeReports(first, second);
    expect(Object.keys(merged.files).sort()).toEqual(['a.ts', 'b.ts']);
    expect(merged.files['a.ts']?.mutants[0]?.status).toBe('Killed');
    expect(Object.keys(merged.testFiles ?? {}).sort()).toEqual(['a.test.ts', 'a2.test.ts']);
    expect(mergeReports(undefined, second)).toBe(second);
  });
});
