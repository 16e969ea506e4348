import { chmodSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../connector/ports.js';
import { ensureUserHyperLinks } from './hyperlinks-file.js';

let root: string;
let bundled: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oceane-hyperlinks-'));
  bundled = path.join(root, 'resources', 'HyperLinks.xml');
  dataDir = path.join(root, 'data');
  await mkdir(path.dirname(bundled), { recursive: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(bundled, '<HyperLinks version="default"/>');
  // Packaged resources are read-only (AppImage mount, root-owned /opt).
  chmodSync(bundled, 0o444);
});
afterEach(async () => {
  chmodSync(bundled, 0o644);
  await rm(root, { recursive: true, force: true });
});

describe('HyperLinks.xml in the data folder', () => {
  it('is copied from the bundled default on first start, writable by the user', async () => {
    const result = await ensureUserHyperLinks({ bundled, dataDir, logger: silentLogger });
    expect(result).toEqual({ file: path.join(dataDir, 'HyperLinks.xml'), copied: true });
    expect(await readFile(result.file, 'utf8')).toBe('<HyperLinks version="default"/>');
    expect(statSync(result.file).mode & 0o777).toBe(0o600);
  });

  it("keeps the customer's edited copy on later starts", async () => {
    const first = await ensureUserHyperLinks({ bundled, dataDir, logger: silentLogger });
    await writeFile(first.file, '<HyperLinks version="edited"/>');
    const again = await ensureUserHyperLinks({ bundled, dataDir, logger: silentLogger });
    expect(again).toEqual({ file: first.file, copied: false });
    expect(await readFile(again.file, 'utf8')).toBe('<HyperLinks version="edited"/>');
  });

  it('falls back to the bundled file when no copy can be made', async () => {
    const errors: string[] = [];
    const result = await ensureUserHyperLinks({
      bundled,
      dataDir: path.join(root, 'missing', 'folder'),
      logger: { ...silentLogger, error: (m) => errors.push(m) },
    });
    expect(result).toEqual({ file: bundled, copied: false });
    expect(errors).toEqual(['HyperLinks.xml could not be copied to the data folder']);
  });
});
