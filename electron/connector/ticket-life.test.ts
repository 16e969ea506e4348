/**
 * The ticket's life after creation, driven by the connector against the real simulator over
 * HTTP and a real store in a temporary folder (issue 13): polls follow the status onto the
 * Tickets rows, the alarms and the history, back off while Oceane fails and say so; notes and
 * resolutions are queued and sent exactly once, a lost answer checked with a GET first; the
 * clear action; events applied once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROPERTY_TICKET_STATUS } from '../../shared/domain.js';
import { startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

/** A rig whose polls run only when the test says so, with one Created ticket. */
async function rigWithTicket(retryCount = 1) {
  rig = await startRig({ retryCount });
  const r = rig;
  await r.connector.life.polls.close();
  const request = ticketRequest();
  const created = await r.connector.createTicket(request);
  if (!created.ok) throw new Error(created.error.message);
  await r.connector.whenIdle();
  const row = r.connector.listTickets()[0]!;
  return { r, request, row, ticketId: row.ticketId };
}

function patches(r: Rig) {
  return r.sim.requests().filter((q) => q.method === 'PATCH');
}

describe('following a ticket by polls', () => {
  it('follows inProgress then resolved onto the row, the alarm and the history', async () => {
    const { r, request, ticketId } = await rigWithTicket();
    await r.connector.life.polls.pollNow();
    expect(r.connector.listTickets()[0]?.oceaneStatus).toBe('acknowledged');
    r.sim.setStatus(ticketId, 'inProgress', 'Field team on site');
    await r.connector.life.polls.pollNow();
    expect(r.connector.listTickets()[0]?.oceaneStatus).toBe('inProgress');
    expect(r.props.get('123', request.alarmId)[PROPERTY_TICKET_STATUS]).toBe('inProgress');
    r.sim.setStatus(ticketId, 'resolved', 'Fibre spliced');
    await r.connector.life.polls.pollNow();
    await r.connector.whenIdle();
    expect(r.connector.listTickets()[0]?.oceaneStatus).toBe('resolved');
    expect(r.props.get('123', request.alarmId)[PROPERTY_TICKET_STATUS]).toBe('resolved');
    const history = r.connector.life.history(ticketId);
    expect(history.ok && history.value.entries.filter((e) => e.kind === 'status')).toEqual([
      expect.objectContaining({ to: 'acknowledged' }),
      expect.objectContaining({ to: 'inProgress', reason: 'Field team on site' }),
      expect.objectContaining({ to: 'resolved', from: 'inProgress', reason: 'Fibre spliced' }),
    ]);
  });

  it('backs off while Oceane fails, says why, and says nothing more once it answers', async () => {
    const { r } = await rigWithTicket();
    const problems: (string | null)[] = [];
    r.connector.life.onPollProblem((p) => problems.push(p));
    r.sim.inject('changes', { kind: 'status', status: 503 }, 2);
    await r.connector.life.polls.pollNow();
    await r.connector.life.polls.pollNow();
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/^Oceane could not be asked for ticket changes \(2 polls in a row/);
    expect(problems[1]).toMatch(/asks again in 4 min/);
    await r.connector.life.polls.pollNow();
    expect(problems.at(-1)).toBeNull();
    expect(r.connector.life.pollProblem).toBeNull();
  });
});

describe('notes and status changes', () => {
  it('adds a note from the console once, shown in the history', async () => {
    const { r, ticketId } = await rigWithTicket();
    const added = r.connector.life.addNote(ticketId, 'Customer called back');
    expect(added.ok).toBe(true);
    await r.connector.whenIdle();
    await r.connector.life.changes.settled();
    const notes = r.sim.ledger()[0]!.note ?? [];
    expect(notes.map((n) => n.text)).toEqual(['Customer called back']);
    const history = r.connector.life.history(ticketId);
    expect(history.ok && history.value.entries.filter((e) => e.kind === 'note')).toEqual([
      expect.objectContaining({ text: 'Customer called back', state: 'done' }),
    ]);
    expect(r.connector.life.addNote('TT-NOT-OURS', 'x')).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('checks a note whose answer was lost with a GET, and does not send it twice', async () => {
    const { r, ticketId } = await rigWithTicket(3);
    r.sim.inject('patch', { kind: 'ambiguous', mode: 'drop' }, 1);
    expect(r.connector.life.addNote(ticketId, 'Spare part ordered').ok).toBe(true);
    // The first send is processed and its answer lost; the retry waits its delay.
    for (let i = 0; i < 50 && r.connector.life.changes.counters.checkedBeforeResend === 0; i++) {
      await new Promise((done) => setTimeout(done, 100));
    }
    await r.connector.life.changes.settled();
    expect(r.connector.life.changes.counters.checkedBeforeResend).toBe(1);
    expect(patches(r)).toHaveLength(1);
    expect((r.sim.ledger()[0]!.note ?? []).map((n) => n.text)).toEqual(['Spare part ordered']);
    const history = r.connector.life.history(ticketId);
    const notes = history.ok ? history.value.entries.filter((e) => e.kind === 'note') : [];
    expect(notes.map((e) => e.state)).toEqual(['done']);
  });

  it('resolves the ticket when its alarm clears, with the clear time, once', async () => {
    const { r, request } = await rigWithTicket();
    await r.connector.updateSettings({ element: { clearAction: 'resolve' } });
    const key = `123/${request.alarmId}`;
    const decision = r.connector.life.alarmCleared(key, '2026-03-01T08:00:00Z', () => null);
    expect(decision).toMatchObject({ kind: 'resolve', clearedAt: '2026-03-01T08:00:00Z' });
    // A second clear of the same alarm changes nothing: the ticket was acted on.
    expect(r.connector.life.alarmCleared(key, '2026-03-01T08:05:00Z', () => null)).toMatchObject({
      kind: 'nothing',
      reason: 'already-acted-on',
    });
    await r.connector.life.changes.settled();
    await r.connector.whenIdle();
    const ticket = r.sim.ledger()[0]!;
    expect(ticket.status).toBe('resolved');
    expect(ticket.resolutionDate).toBe('2026-03-01T08:00:00Z');
    expect(patches(r)).toHaveLength(1);
    expect(r.connector.listTickets()[0]?.oceaneStatus).toBe('resolved');
    expect(r.props.get('123', request.alarmId)[PROPERTY_TICKET_STATUS]).toBe('resolved');
  });

  it('adds a note when its alarm clears with the note setting, and nothing with the default', async () => {
    const { r, request } = await rigWithTicket();
    const key = `123/${request.alarmId}`;
    expect(r.connector.life.alarmCleared(key, '2026-03-01T08:00:00Z', () => null)).toBeNull();
    await r.connector.updateSettings({ element: { clearAction: 'note' } });
    r.connector.life.alarmCleared(key, '2026-03-01T08:00:00Z', () => null);
    await r.connector.life.changes.settled();
    const notes = r.sim.ledger()[0]!.note ?? [];
    expect(notes.map((n) => n.text)).toEqual([
      `Alarm ${key} cleared in DataMiner at 2026-03-01T08:00:00Z.`,
    ]);
    expect(r.sim.ledger()[0]!.status).not.toBe('resolved');
  });

  it('does not retry a change Oceane refuses (a closed ticket), and says so', async () => {
    const { r, request, ticketId } = await rigWithTicket();
    r.sim.setStatus(ticketId, 'closed');
    await r.connector.updateSettings({ element: { clearAction: 'resolve' } });
    const notices: string[] = [];
    r.connector.on('notice', (n) => notices.push(n.title));
    // The console does not know yet that the ticket is closed: the resolution is sent.
    r.connector.life.alarmCleared(`123/${request.alarmId}`, '2026-03-01T08:00:00Z', () => null);
    await r.connector.life.changes.settled();
    await r.connector.whenIdle();
    expect(patches(r)).toHaveLength(1);
    expect(notices).toContain('Ticket status not changed');
    const history = r.connector.life.history(ticketId);
    expect(history.ok && history.value.entries.at(-1)).toMatchObject({ state: 'failed' });
  });
});

describe('a ticket closed while its alarm is active', () => {
  it("no longer counts as the alarm's ticket: a new one is created, not the closed one adopted", async () => {
    const { r, request, ticketId } = await rigWithTicket();
    expect(await r.connector.createTicket(request)).toMatchObject({
      ok: false,
      error: { code: 'duplicate' },
    });
    r.sim.setStatus(ticketId, 'closed', 'Closed by the service desk');
    await r.connector.life.polls.pollNow();
    await r.connector.whenIdle();
    expect(r.props.get('123', request.alarmId)[PROPERTY_TICKET_STATUS]).toBe('closed');
    const key = { dmaId: '123', alarmId: request.alarmId };
    expect(await r.connector.findExistingTicket(key)).toBeNull();
    const again = await r.connector.createTicket(request);
    expect(again.ok).toBe(true);
    await r.connector.whenIdle();
    const ledger = r.sim.ledger();
    expect(ledger).toHaveLength(2);
    const fresh = ledger.find((t) => t.id !== ticketId)!;
    expect(r.props.get('123', request.alarmId)).toMatchObject({
      'Oceane Ticket ID': fresh.id,
      [PROPERTY_TICKET_STATUS]: '',
    });
    expect(await r.connector.findExistingTicket(key)).toMatchObject({ ticketId: fresh.id });
  });
});

describe('events', () => {
  it('applies an event at once, and the same event twice changes nothing', async () => {
    const { r, ticketId } = await rigWithTicket();
    const change = {
      ticketId,
      status: 'pending' as const,
      statusChangeDate: new Date().toISOString(),
      statusChangeReason: 'Waiting for the customer',
      resolutionDate: null,
      lastUpdate: new Date(Date.now() + 1000).toISOString(),
      alarmIds: [],
      notes: [],
    };
    expect(await r.connector.life.applyEvent([change])).toBe(1);
    expect(await r.connector.life.applyEvent([change])).toBe(0);
    expect(r.connector.listTickets()[0]?.oceaneStatus).toBe('pending');
  });

  it('ends a subscription a crash left behind before it subscribes again', async () => {
    const { r } = await rigWithTicket();
    const callback = 'http://127.0.0.1:9/oceane-events';
    expect(await r.connector.life.subscribe(callback)).toBe(true);
    const first = r.sim.hubs().map((h) => h.id);
    expect(first).toHaveLength(1);
    // The app is killed: nothing ends the subscription. The next start ends it first.
    const reopened = await r.reopen();
    await reopened.life.polls.close();
    expect(await reopened.life.subscribe(callback)).toBe(true);
    const second = r.sim.hubs().map((h) => h.id);
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);
    await reopened.life.unsubscribe();
    expect(r.sim.hubs()).toEqual([]);
  });
});
