import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE_NAME } from './logger.js';
import { REDACTED } from './redact.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the file logger', () => {
  it('writes JSON lines with time, level, message and data into the logs folder', async () => {
    const logs = path.join(dir, 'logs');
    const logger = createFileLogger({ dir: logs, now: () => new Date('2026-01-01T00:00:00.000Z') });
    logger.info('Ticket created', { instance: 'i-1' });
    logger.error('Oceane refused');
    expect(logger.file).toBe(path.join(logs, LOG_FILE_NAME));
    expect(await lines(logger.file)).toEqual([
      {
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        message: 'Ticket created',
        data: { instance: 'i-1' },
      },
      { time: '2026-01-01T00:00:00.000Z', level: 'error', message: 'Oceane refused' },
    ]);
  });

  it('never writes secrets or tokens to the file', async () => {
    const logger = createFileLogger({ dir, knownSecrets: () => ['the-client-secret', undefined] });
    logger.warn('Token call with Basic ZGVtbzp0aGUtY2xpZW50LXNlY3JldA== failed', {
      clientSecret: 'the-client-secret',
      body: 'grant_type=client_credentials&access_token=tok-1',
      echo: 'user typed the-client-secret here',
      response: { access_token: 'tok-2', token_type: 'Bearer' },
    });
    const text = await readFile(logger.file, 'utf8');
    for (const secret of [
      'the-client-secret',
      'ZGVtbzp0aGUtY2xpZW50LXNlY3JldA',
      'tok-1',
      'tok-2',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
  });

  it('rotates the file when it passes its size cap, keeping a bounded number of files', async () => {
    const logger = createFileLogger({ dir, maxBytes: 300, maxFiles: 2 });
    for (let i = 0; i < 20; i++) logger.info(`line ${i}`, { padding: 'x'.repeat(80) });
    expect(existsSync(`${logger.file}.1`)).toBe(true);
    expect(existsSync(`${logger.file}.2`)).toBe(true);
    expect(existsSync(`${logger.file}.3`)).toBe(false);
    const current = await lines(logger.file);
    expect(current.at(-1)?.message).toBe('line 19');
    expect((await readFile(logger.file)).length).toBeLessThanOrEqual(300);
  });
});
