/**
 * One poll against the real simulator: changes applied once, repeats of the overlap changing
 * nothing, the cursor moving, the back-off and its sentence while Oceane fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../oceane-simulator/index.js';
import { startClientRig } from './lifecycle-test-support.js';
import type { CallConfig } from './oceane-client.js';
import type { OceaneLifecycleClient } from './oceane-lifecycle-client.js';
import { firstCursor, newFollowedTicket, type FollowedTicket } from './ticket-follower.js';
import { pollOnce, type PollInput } from './ticket-poll.js';

let sim: RunningSimulator;
let life: OceaneLifecycleClient;
let config: CallConfig;
let follow: (count: number) => Promise<Map<string, FollowedTicket>>;

beforeEach(async () => {
  const rig = await startClientRig();
  ({ sim, life, config } = rig);
  follow = async (count) =>
    new Map((await rig.createTickets(count)).map((id) => [id, newFollowedTicket(id)]));
});
afterEach(() => sim.close());

function input(known: Map<string, FollowedTicket>, state: PollInput['state']): PollInput {
  return { config, known, state, intervalMs: 60_000, eventsActive: false, pageSize: 2 };
}

describe('one poll', () => {
  it('applies what changed once; the next poll repeats the overlap and changes nothing', async () => {
    const known = await follow(3);
    const [a, b] = [...known.keys()];
    const cursor = firstCursor(sim.ledger().map((t) => t.creationDate));
    sim.setStatus(a!, 'inProgress', 'Taken');
    sim.setStatus(b!, 'resolved', 'Fixed');
    const first = await pollOnce(life, input(known, { cursor, failures: 0 }));
    expect(first.ok).toBe(true);
    expect(first.result.updates.map((u) => [u.ticket.ticketId, u.ticket.status])).toEqual([
      [[...known.keys()][2], 'acknowledged'],
      [a, 'inProgress'],
      [b, 'resolved'],
    ]);
    expect(first.state.cursor).toBe(sim.ledger().find((t) => t.id === b)!.lastUpdate);
    expect(first.delayMs).toBe(60_000);
    for (const update of first.result.updates) known.set(update.ticket.ticketId, update.ticket);
    const second = await pollOnce(life, input(known, first.state));
    expect(second.result.updates).toEqual([]);
    expect(second.result.unchanged).toBeGreaterThan(0);
    expect(second.state.cursor).toBe(first.state.cursor);
  });

  it('backs off while Oceane fails, says so, and starts again from the same cursor', async () => {
    const known = await follow(1);
    const cursor = firstCursor(sim.ledger().map((t) => t.creationDate));
    sim.inject('changes', { kind: 'status', status: 503 }, 2);
    const first = await pollOnce(life, input(known, { cursor, failures: 0 }));
    expect(first).toMatchObject({ ok: false, delayMs: 120_000, state: { cursor, failures: 1 } });
    expect(first.problem).toMatch(
      /^Oceane could not be asked for ticket changes \(the last poll: Service Unavailable/,
    );
    const second = await pollOnce(life, input(known, first.state));
    expect(second).toMatchObject({ ok: false, delayMs: 240_000, state: { failures: 2 } });
    const third = await pollOnce(life, input(known, second.state));
    expect(third).toMatchObject({ ok: true, problem: null, state: { failures: 0 } });
    expect(third.result.updates).toHaveLength(1);
  });

  it('does not call Oceane while nothing is followed', async () => {
    const outcome = await pollOnce(life, input(new Map(), { cursor: null, failures: 0 }));
    expect(outcome).toMatchObject({ ok: true, delayMs: 60_000 });
    expect(sim.requests()).toEqual([]);
  });
});
