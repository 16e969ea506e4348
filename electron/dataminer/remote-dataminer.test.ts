/**
 * The same alarms for everyone (issue 14, point 5): one DataMiner process, started as
 * `npm run dataminer` starts it, and two consoles' services in this test process connected to
 * it over HTTP. What one console does, the other sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/domain.js';
import { openConsoleServices, type ConsoleServices } from '../alarms/console-services.js';
import type { AlarmEvent } from '../alarms/alarm-events.js';
import { freePort } from '../team/test-postgres.js';
import { DATAMINER_PATHS } from './dataminer-wire.js';
import { eventually } from './eventually.js';
import { RemoteDataMiner, type DataMinerStatus } from './remote-dataminer.js';

const CLI = path.resolve(import.meta.dirname, 'dataminer-cli.ts');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** Starts the DataMiner process and resolves with its address once it prints it. */
async function startProcess(
  dataDir: string,
  port: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--alarms',
      '20',
      '--rate',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`dataminer exited (${code}): ${err}`)));
  });
  return { url, child };
}

async function console(url: string): Promise<{ dm: RemoteDataMiner; services: ConsoleServices }> {
  const dm = await RemoteDataMiner.connect({ url, initialBackoffMs: 50, maxBackoffMs: 200 });
  cleanup.push(() => dm.close());
  const services = await openConsoleServices(
    await mkdtemp(path.join(tmpdir(), 'oceane-console-')),
    dm,
  );
  return { dm, services };
}

describe('two consoles on one DataMiner process', () => {
  it('see the same alarms, and each sees what the other does', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-dataminer-'));
    const { url } = await startProcess(dataDir, 0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = await console(url);
    const b = await console(url);
    expect(a.dm.status().connected).toBe(true);
    expect(a.dm.list().map((x) => x.alarmId)).toEqual(b.dm.list().map((x) => x.alarmId));
    expect(a.dm.list()).toHaveLength(20);
    const events: AlarmEvent[] = [];
    b.dm.onEvent((e) => events.push(e));
    const heard: Alarm[] = [];
    b.dm.onChange((c) => heard.push(...c.upserted));

    const target = a.dm.list()[0]!;
    await a.services.updateConsoleSettings({ operatorName: 'Camille on A' });
    const acted = await a.services.actOnAlarms({ keys: [target], action: 'acknowledge' });
    expect(acted).toEqual({ ok: true, value: { changed: 1, missing: [] } });
    const seen = await eventually('the acknowledgement on B', () => {
      const alarm = b.dm.find(target.dmaId, target.alarmId);
      return alarm?.state?.acknowledgedBy ? alarm : null;
    });
    expect(seen.state?.acknowledgedBy).toBe('Camille on A');
    await eventually('the state event on B', () => events.find((e) => e.kind === 'state'));
    expect(heard.some((x) => x.alarmId === target.alarmId)).toBe(true);

    await b.services.actOnAlarms({ keys: [target], action: 'comment', comment: 'Looking at it' });
    await eventually('the comment on A', () =>
      a.dm
        .find(target.dmaId, target.alarmId)
        ?.state?.comments.some((c) => c.text === 'Looking at it'),
    );

    // The connector writes the ticket's properties on one console; the other shows them.
    await a.dm.set(target.dmaId, target.alarmId, { 'Oceane Ticket ID': 'TT-42' });
    await eventually(
      'the ticket ID on B',
      () => b.dm.get(target.dmaId, target.alarmId)['Oceane Ticket ID'],
    );

    // The system's own alarm ("Oceane Connector") raised from one console reaches the other.
    a.dm.setSystemAlarm({
      elementId: '1',
      elementName: 'Oceane Connector',
      parameter: 'Oceane Reachability',
      severity: 'Major',
      value: 'Oceane unreachable since 2025-01-01T00:00:00Z',
    });
    await eventually('the connector alarm on B', () =>
      b.dm.list().find((x) => x.elementName === 'Oceane Connector'),
    );
  });

  it('refuses a request that does not match the contract, with a sentence', async () => {
    const { url } = await startProcess(await mkdtemp(path.join(tmpdir(), 'oceane-dm-')), 0);
    const res = await fetch(`${url}${DATAMINER_PATHS.actions}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        action: { keys: [{ dmaId: 'x', alarmId: '1' }], action: 'acknowledge' },
        operator: 'A',
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^The request was refused: DMA ID must be a number/,
    );
  });

  it('says when the DataMiner is unreachable, keeps its alarms, and reconnects by itself', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-dataminer-'));
    const port = await freePort();
    const first = await startProcess(dataDir, port);
    const a = await console(first.url);
    const statuses: DataMinerStatus[] = [];
    a.dm.onStatus((s) => statuses.push(s));
    const target = a.dm.list()[1]!;
    await a.services.actOnAlarms({ keys: [target], action: 'take-ownership' });

    first.child.kill('SIGKILL');
    const down = await eventually('the unreachable status', () =>
      statuses.find((s) => !s.connected),
    );
    expect(down.problem).toMatch(/^The DataMiner at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    expect(a.dm.list()).toHaveLength(20);
    const refused = await a.services.actOnAlarms({ keys: [target], action: 'release' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('cannot be reached');

    await startProcess(dataDir, port);
    await eventually('the reconnection', () => a.dm.status().connected);
    // The owner was saved by the DataMiner before it died, and comes back with the snapshot.
    expect(a.dm.find(target.dmaId, target.alarmId)?.state?.owner).toBeTruthy();
  });
});
