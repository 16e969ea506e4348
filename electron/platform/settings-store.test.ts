import Conf from 'conf';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import { openRecoveringJsonStore } from './settings-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const warnings: string[] = [];
const logger: Logger = {
  info: () => undefined,
  warn: (m) => warnings.push(m),
  error: () => undefined,
};

function open() {
  return openRecoveringJsonStore({
    file: path.join(dir, 'settings.json'),
    open: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings' }),
    logger,
    now: () => new Date('2026-01-02T03:04:05.678Z'),
  });
}

describe('the settings store', () => {
  it('writes the document to settings.json and reads it back after a restart', async () => {
    open().write({ element: { ticketStorageCountLimit: 10 } });
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
      element: { ticketStorageCountLimit: 10 },
    });
    const again = open();
    expect(again.read()).toEqual({ element: { ticketStorageCountLimit: 10 } });
    expect(again.recovery).toBeNull();
  });

  it('starts empty when there is no file', () => {
    expect(open().read()).toEqual({});
  });

  it('moves a corrupted file aside with a time stamp and starts from defaults', async () => {
    await writeFile(path.join(dir, 'settings.json'), '{"element": {"ticketStor');
    const store = open();
    expect(store.read()).toEqual({});
    expect(store.recovery).toMatchObject({
      file: path.join(dir, 'settings.json'),
      movedTo: path.join(dir, 'settings.json.broken-2026-01-02T03-04-05-678Z'),
    });
    expect(await readFile(store.recovery!.movedTo, 'utf8')).toBe('{"element": {"ticketStor');
    expect(warnings).toContain('A corrupted store file was moved aside; starting from defaults');
    store.write({ element: { displayDebugPage: true } });
    expect(open().read()).toEqual({ element: { displayDebugPage: true } });
  });

  it('recovers when the file is damaged while the app runs', async () => {
    const store = open();
    store.write({ a: 1 });
    await writeFile(path.join(dir, 'settings.json'), '\u0000\u0000garbage');
    expect(store.read()).toEqual({});
    expect(store.recovery).not.toBeNull();
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.broken-'))).toBe(true);
    expect(existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });
});
