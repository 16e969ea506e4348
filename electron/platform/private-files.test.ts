import Conf from 'conf';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../connector/ports.js';
import { createFileLogger } from './logger.js';
import { openPrivateDocuments, type PrivateDocumentOptions } from './private-files.js';

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'oceane-private-'));
  dataDir = path.join(root, 'Oceane Alarm Console');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = (file: string): number => statSync(file).mode & 0o777;

/** conf is electron-store without Electron: the same options, `name` called `configName`. */
const openConf = (o: PrivateDocumentOptions) =>
  new Conf<Record<string, unknown>>({
    configName: o.name,
    cwd: o.cwd,
    configFileMode: o.configFileMode,
  });

const open = () => openPrivateDocuments({ dataDir, open: openConf, logger: silentLogger });

describe('files only the user can read (POSIX modes)', () => {
  it('creates the data folder 0700 and settings.json and secrets.json 0600', () => {
    const docs = open();
    docs.settings.write({ api: { baseUrl: 'https://oceane.example.com' } });
    docs.secrets.write({ clientSecretCiphertext: 'abc' });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'settings.json'))).toBe(0o600);
    expect(modeOf(path.join(dataDir, 'secrets.json'))).toBe(0o600);
    // Written again (conf replaces the file atomically): still 0600.
    docs.settings.write({ api: { baseUrl: 'https://oceane.example.org' } });
    expect(modeOf(path.join(dataDir, 'settings.json'))).toBe(0o600);
    expect(open().settings.read()).toEqual({ api: { baseUrl: 'https://oceane.example.org' } });
  });

  it('tightens a folder and files that an older version left readable by others', () => {
    open();
    chmodSync(dataDir, 0o755);
    for (const name of ['settings.json', 'secrets.json']) {
      writeFileSync(path.join(dataDir, name), '{"kept":true}', { mode: 0o644 });
      chmodSync(path.join(dataDir, name), 0o644);
    }
    const docs = open();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'settings.json'))).toBe(0o600);
    expect(modeOf(path.join(dataDir, 'secrets.json'))).toBe(0o600);
    expect(docs.settings.read()).toEqual({ kept: true });
  });

  it('keeps the logs folder 0700 and the log file 0600', () => {
    open();
    const logger = createFileLogger({ dir: path.join(dataDir, 'logs') });
    logger.info('started');
    expect(modeOf(path.join(dataDir, 'logs'))).toBe(0o700);
    expect(modeOf(logger.file)).toBe(0o600);
  });
});
