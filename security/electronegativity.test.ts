import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockingFindings,
  projectElectronVersion,
  scan,
  type Finding,
} from './electronegativity.js';

const finding = (severity: string, confidence: string): Finding => ({
  id: 'X',
  severity,
  confidence,
  file: 'f.ts',
  line: 1,
  sample: '',
});

describe('the Electronegativity gate', () => {
  it('blocks HIGH findings and MEDIUM ones of firm confidence, not tentative ones', () => {
    expect(blockingFindings([finding('HIGH', 'TENTATIVE')])).toHaveLength(1);
    expect(blockingFindings([finding('MEDIUM', 'FIRM')])).toHaveLength(1);
    expect(blockingFindings([finding('MEDIUM', 'CERTAIN')])).toHaveLength(1);
    expect(blockingFindings([finding('MEDIUM', 'TENTATIVE')])).toEqual([]);
    expect(blockingFindings([finding('LOW', 'FIRM')])).toEqual([]);
  });

  it('reads the Electron version from package.json', () => {
    expect(projectElectronVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the scanner over a window without isolation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'oceane-scan-'));
    await writeFile(
      path.join(dir, 'main.ts'),
      `import { BrowserWindow } from 'electron';
export const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });
`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds what the gate must block (the gate can fail)', async () => {
    const findings = await scan(dir, projectElectronVersion());
    const ids = blockingFindings(findings).map((f) => f.id);
    expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids).toContain('SANDBOX_JS_CHECK');
  }, 120_000);
});
