/**
 * Tickets that move on their own (oceane-api.md section 7.7): scripts per ticket, the
 * automatic movement of the demo, and the control routes that move a ticket at once. The
 * simulator's clock is a number the test moves; `advanceStatuses()` applies what is due.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from './server.js';
import { createTicket, profileBody, token } from './test-support.js';
import type { RunningSimulator, SimulatorOptions, TroubleTicket } from './types.js';

let clock: number;
let sim: RunningSimulator;
const running: RunningSimulator[] = [];
beforeEach(() => {
  clock = Date.parse('2025-03-01T10:00:00Z');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  sim = await startSimulator({ now: () => clock, ...options });
  running.push(sim);
  return sim;
}

async function newTicket(alarmId = '3456'): Promise<TroubleTicket> {
  const res = await createTicket(sim, await token(sim), profileBody('12', alarmId));
  return (await res.json()) as TroubleTicket;
}

function statusOf(id: string): string | undefined {
  return sim.ledger().find((t) => t.id === id)?.status;
}

function control(name: string, body: unknown): Promise<Response> {
  return fetch(`${sim.url}/__simulator/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('status scripts', () => {
  it('moves a ticket through its script, each step a delay after the previous', async () => {
    await start();
    const ticket = await newTicket();
    sim.scriptStatuses(ticket.id, [
      { status: 'inProgress', afterMs: 1000 },
      { status: 'resolved', afterMs: 5000, reason: 'Fixed the fibre' },
    ]);
    clock += 999;
    sim.advanceStatuses();
    expect(statusOf(ticket.id)).toBe('acknowledged');
    clock += 1;
    sim.advanceStatuses();
    expect(statusOf(ticket.id)).toBe('inProgress');
    clock += 4999;
    sim.advanceStatuses();
    expect(statusOf(ticket.id)).toBe('inProgress');
    clock += 1;
    sim.advanceStatuses();
    const done = sim.ledger()[0]!;
    expect(done).toMatchObject({ status: 'resolved', statusChangeReason: 'Fixed the fibre' });
    expect(done.statusChange?.map((c) => c.status)).toEqual(['inProgress', 'resolved']);
  });

  it('runs the script on its own timer with the real clock', async () => {
    sim = await startSimulator();
    running.push(sim);
    const ticket = await newTicket();
    sim.scriptStatuses(ticket.id, [{ status: 'inProgress', afterMs: 0 }]);
    await vi.waitFor(() => expect(statusOf(ticket.id)).toBe('inProgress'));
  });

  it('takes a script and a status at once through the control routes, and refuses bad ones', async () => {
    await start();
    const ticket = await newTicket();
    const moved = await control(`tickets/${ticket.id}/status`, {
      status: 'held',
      reason: 'Waiting',
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ status: 'held', statusChangeReason: 'Waiting' });
    const scripted = await control(`tickets/${ticket.id}/script`, {
      steps: [{ status: 'cancelled', afterMs: 10 }],
    });
    expect(scripted.status).toBe(204);
    clock += 10;
    expect((await control('advance', {})).status).toBe(204);
    expect(statusOf(ticket.id)).toBe('cancelled');
    expect((await control(`tickets/${ticket.id}/status`, { status: 'done' })).status).toBe(400);
    expect((await control('tickets/OCE-999999/status', { status: 'closed' })).status).toBe(404);
  });
});

describe('automatic movement (the demo)', () => {
  it('moves every ticket one step along the path a delay after its last change, to a final status', async () => {
    await start({ autoAdvance: { afterMs: 60_000 } });
    const first = await newTicket('1');
    clock += 30_000;
    const second = await newTicket('2');
    clock += 30_000;
    sim.advanceStatuses();
    expect([statusOf(first.id), statusOf(second.id)]).toEqual(['inProgress', 'acknowledged']);
    for (let i = 0; i < 6; i += 1) {
      clock += 30_000;
      sim.advanceStatuses();
    }
    expect([statusOf(first.id), statusOf(second.id)]).toEqual(['closed', 'closed']);
    expect(sim.ledger()[0]!.statusChange?.map((c) => c.status)).toEqual([
      'inProgress',
      'resolved',
      'closed',
    ]);
    clock += 600_000;
    sim.advanceStatuses();
    expect(sim.ledger()[0]!.statusChange).toHaveLength(3);
  });

  it('is turned on and off through the control route, with a path of its own', async () => {
    await start();
    const ticket = await newTicket();
    expect(
      (await control('auto-advance', { auto: { afterMs: 1000, path: ['pending'] } })).status,
    ).toBe(204);
    clock += 1000;
    sim.advanceStatuses();
    expect(statusOf(ticket.id)).toBe('pending');
    expect((await control('auto-advance', { auto: null })).status).toBe(204);
    sim.setStatus(ticket.id, 'inProgress');
    clock += 100_000;
    sim.advanceStatuses();
    expect(statusOf(ticket.id)).toBe('inProgress');
    expect((await control('auto-advance', { auto: { afterMs: 0 } })).status).toBe(400);
  });

  it('keeps statuses and notes in the ledger file across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-sim-'));
    try {
      const ledgerFile = path.join(dir, 'ledger.json');
      const first = await start({ ledgerFile });
      const ticket = await newTicket();
      sim.setStatus(ticket.id, 'resolved', 'Fixed');
      await first.close();
      await start({ ledgerFile, port: first.port });
      expect(sim.ledger()[0]).toMatchObject({ status: 'resolved', statusChangeReason: 'Fixed' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
