/**
 * Doyensec's Electronegativity over the main-process sources (`electron/`), with the
 * project's Electron version assumed. `npm test` runs it (`npm run test:security`) and fails
 * on any HIGH or CRITICAL finding and on any MEDIUM finding of FIRM or CERTAIN confidence.
 * TENTATIVE findings are printed for review; the README's security checklist answers them.
 * The check of published Electron releases needs the internet, so it is left out.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One finding, as the gate and the report use it. */
export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  sample: string;
}

/** Electronegativity's own issue objects (the parts read here). */
interface RawIssue {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location: { line: number };
  sample?: string;
}

type Run = (options: Record<string, unknown>) => Promise<{ issues: RawIssue[]; errors: unknown[] }>;

/** Checks left out: the release check downloads Electron's release list. */
export const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron version of package.json (`^45.5.0` gives `45.5.0`). */
export function projectElectronVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const range = pkg.devDependencies?.electron ?? '';
  const version = /\d+\.\d+\.\d+/.exec(range)?.[0];
  if (!version) throw new Error(`No Electron version in package.json (${range})`);
  return version;
}

/** Runs the scanner over `input` (a folder or file) and returns its findings. */
export async function scan(input: string, electronVersion: string): Promise<Finding[]> {
  const run = createRequire(import.meta.url)('@doyensec/electronegativity') as Run;
  const result = await run({
    input,
    output: null,
    isSarif: false,
    customScan: [],
    excludeFromScan: EXCLUDED_CHECKS,
    severitySet: '',
    confidenceSet: '',
    isRelative: true,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  if (result.errors.length > 0) {
    throw new Error(`Electronegativity could not parse: ${JSON.stringify(result.errors)}`);
  }
  return result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location.line,
    sample: (i.sample ?? '').slice(0, 100),
  }));
}

/** The findings that fail the build: HIGH or CRITICAL, or MEDIUM of firm or certain confidence. */
export function blockingFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (f) =>
      f.severity === 'HIGH' ||
      f.severity === 'CRITICAL' ||
      (f.severity === 'MEDIUM' && (f.confidence === 'FIRM' || f.confidence === 'CERTAIN')),
  );
}

const line = (f: Finding): string =>
  `${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id.padEnd(28)} ${f.file}:${f.line}`;

async function main(): Promise<void> {
  const version = projectElectronVersion();
  const findings = await scan(path.join(ROOT, 'electron'), version);
  const blocking = blockingFindings(findings);
  console.log(`Electronegativity over electron/ (Electron ${version} assumed):`);
  for (const f of findings) console.log(`  ${blocking.includes(f) ? 'FAIL' : 'note'} ${line(f)}`);
  console.log(
    `${findings.length} finding(s), ${blocking.length} blocking (HIGH, or MEDIUM of FIRM confidence)`,
  );
  process.exit(blocking.length > 0 ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
