import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, getWithToken, profileBody, TICKETS, token } from './test-support.js';
import type { RunningSimulator, TroubleTicket } from './types.js';

let dir: string;
const running: RunningSimulator[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'oceane-sim-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startSimulator>[0]): Promise<RunningSimulator> {
  const sim = await startSimulator(options);
  running.push(sim);
  return sim;
}

describe('ledger file', () => {
  it('keeps the tickets across close and restart on the same port, and continues the ids', async () => {
    const ledgerFile = path.join(dir, 'ledger.json');
    const first = await start({ ledgerFile });
    const created = (await (
      await createTicket(first, await token(first), profileBody('1', '10'))
    ).json()) as TroubleTicket;
    await first.close();

    const second = await start({ ledgerFile, port: first.port });
    expect(second.url).toBe(first.url);
    expect(second.ledger()).toEqual([created]);
    const accessToken = await token(second);
    const found = await getWithToken(
      second,
      accessToken,
      `${TICKETS}?externalIdentifier.id=1%2F10`,
    );
    expect(await found.json()).toEqual([created]);
    const next = (await (
      await createTicket(second, accessToken, profileBody('1', '11'))
    ).json()) as TroubleTicket;
    expect(next.id).not.toBe(created.id);
    expect(second.ledger().map((t) => t.id)).toEqual([created.id, next.id]);
  });

  it('writes the ledger before the answer is sent, even when the answer is lost', async () => {
    const ledgerFile = path.join(dir, 'ledger.json');
    const sim = await start({ ledgerFile });
    sim.inject('create', { kind: 'ambiguous', mode: 'drop' });
    await expect(createTicket(sim, await token(sim))).rejects.toThrow();
    const saved = JSON.parse(await readFile(ledgerFile, 'utf8')) as { tickets: TroubleTicket[] };
    expect(saved.tickets).toEqual(sim.ledger());
    expect(saved.tickets).toHaveLength(1);
  });

  it('refuses to start on a file that is not a ledger', async () => {
    const ledgerFile = path.join(dir, 'ledger.json');
    await writeFile(ledgerFile, '{"something": "else"}');
    await expect(startSimulator({ ledgerFile })).rejects.toThrow(/not an Oceane simulator ledger/);
  });

  it('starts empty without a ledger file, and forgets its tickets when restarted', async () => {
    const first = await start({});
    await createTicket(first, await token(first));
    await first.close();
    const second = await start({ port: first.port });
    expect(second.ledger()).toEqual([]);
  });
});

describe('close', () => {
  it('resolves promptly while a delayed answer is pending, and the client sees the socket close', async () => {
    const sim = await start({});
    sim.inject('create', { kind: 'delay', ms: 600_000 });
    const pending = createTicket(sim, await token(sim)).then(
      () => 'answered',
      () => 'socket closed',
    );
    await vi.waitFor(() => expect(sim.requests()).toHaveLength(2));
    // Would hang for ten minutes (far past the test time-out) if the delay kept it alive.
    await sim.close();
    expect(await pending).toBe('socket closed');
  });

  it('is safe to call twice', async () => {
    const sim = await start({});
    await sim.close();
    await sim.close();
    await expect(fetch(`${sim.url}/oauth/v3/token`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('latency', () => {
  it('serves normally with latency set, and setLatency refuses a negative value', async () => {
    const sim = await start({ latencyMs: 5 });
    sim.setLatency(1);
    expect((await createTicket(sim, await token(sim))).status).toBe(201);
    expect(() => sim.setLatency(-1)).toThrow();
  });
});
