/**
 * One Oceane ticket for several alarms (issue 11, oceane-api.md section 7.6), through the real
 * connector, store and simulator: one request, one ticket listing every alarm and element,
 * the ticket written on every alarm, the existing-ticket check per alarm of the group, and
 * exactly once when the answer to the create is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  PROPERTY_TICKET_ID,
  PROPERTY_TICKET_STATUS,
  PROPERTY_TICKET_URL,
} from '../../shared/domain.js';
import type { CreateTicketRequest } from '../../shared/domain.js';
import { createTicketRequestSchema, MAX_GROUP_ALARMS } from '../../shared/schemas.js';
import { countRequests, startRig, ticketRequest, type Rig } from './test-support.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.dispose();
  rig = undefined;
});

type GroupAlarm = NonNullable<CreateTicketRequest['otherAlarms']>[number];

let counter = 5000;
function otherAlarm(elementId: string, elementName: string, extra: Partial<GroupAlarm> = {}) {
  counter++;
  return { dmaId: '123', elementId, alarmId: String(counter), elementName, ...extra };
}

describe('a ticket for several alarms', () => {
  it('sends one ticket listing every alarm and element, and writes it on every alarm', async () => {
    rig = await startRig();
    const others = [
      otherAlarm('46', 'PAR-EDGE-SW-02', { parameter: 'CPU Load', severity: 'Major' }),
      otherAlarm('46', 'PAR-EDGE-SW-02'),
    ];
    const request = ticketRequest({ otherAlarms: others });
    const result = await rig.connector.createTicket(request);
    expect(result).toMatchObject({ ok: true, value: { status: 'Pending' } });
    await rig.connector.whenIdle();

    const ledger = rig.sim.ledger();
    expect(ledger).toHaveLength(1);
    const ticket = ledger[0]!;
    expect(ticket.externalIdentifier.map((x) => x.id)).toEqual([
      `123/${request.alarmId}`,
      `123/${others[0]!.alarmId}`,
      `123/${others[1]!.alarmId}`,
    ]);
    expect(ticket.relatedEntity?.map((x) => x.entity.id)).toEqual(['123/45', '123/46']);
    const url = `${rig.sim.url}/ticket/${encodeURIComponent(ticket.id)}`;
    for (const alarm of [request, ...others]) {
      expect(rig.props.get('123', alarm.alarmId)).toEqual({
        [PROPERTY_TICKET_ID]: ticket.id,
        [PROPERTY_TICKET_URL]: url,
      });
    }
    const rows = rig.connector.listTickets();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'Created', ticketId: ticket.id });
    expect(rows[0]?.otherAlarms?.map((a) => a.alarmId)).toEqual(others.map((a) => a.alarmId));
  });

  it('refuses an alarm of the group that has an open request, or a ticket not included', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const pending = ticketRequest();
    expect((await rig.connector.createTicket(pending)).ok).toBe(true);
    const withPending = await rig.connector.createTicket(
      ticketRequest({
        otherAlarms: [{ ...otherAlarm('45', pending.elementName), alarmId: pending.alarmId }],
      }),
    );
    expect(withPending).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    if (!withPending.ok) expect(withPending.error.message).toMatch(/request pending/);

    // A member of a queued group counts as having an open request, alone or in a group.
    const member = otherAlarm('47', 'LYS-CORE-RTR-01');
    expect((await rig.connector.createTicket(ticketRequest({ otherAlarms: [member] }))).ok).toBe(
      true,
    );
    const alone = await rig.connector.createTicket(
      ticketRequest({ alarmId: member.alarmId, elementId: '47', elementName: member.elementName }),
    );
    expect(alone).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    const [check] = rig.connector.checkGroup([member]);
    expect(check).toMatchObject({ source: 'queue', status: 'Pending' });
    expect(rig.connector.checkGroup([otherAlarm('48', 'X')])).toEqual([null]);

    // Listed twice.
    const twice = otherAlarm('49', 'NAN-CORE-RTR-01');
    const duplicated = await rig.connector.createTicket(
      ticketRequest({ otherAlarms: [twice, twice] }),
    );
    expect(duplicated).toMatchObject({ ok: false, error: { code: 'duplicate' } });
  });

  it('includes an alarm that has a ticket only when the operator ticked include', async () => {
    rig = await startRig();
    const first = ticketRequest();
    await rig.connector.createTicket(first);
    await rig.connector.whenIdle();
    const ticketed = { ...otherAlarm('45', first.elementName), alarmId: first.alarmId };

    const refused = await rig.connector.createTicket(ticketRequest({ otherAlarms: [ticketed] }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'duplicate' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/tick "include"/);

    const included = await rig.connector.createTicket(
      ticketRequest({ otherAlarms: [{ ...ticketed, includeTicketed: true }] }),
    );
    expect(included.ok).toBe(true);
    await rig.connector.whenIdle();
    const [, second] = rig.sim.ledger();
    expect(second?.externalIdentifier.map((x) => x.id)).toContain(`123/${first.alarmId}`);
    expect(rig.props.get('123', first.alarmId)[PROPERTY_TICKET_ID]).toBe(second?.id);
  });

  it('the answer to the create is lost: the look-up finds the group ticket, created once', async () => {
    rig = await startRig({ timeoutMs: 300, retryCount: 2 });
    const others = [otherAlarm('46', 'PAR-EDGE-SW-02'), otherAlarm('47', 'LYS-CORE-RTR-01')];
    rig.sim.inject('create', { kind: 'ambiguous', mode: 'drop' });
    const result = await rig.connector.createTicket(ticketRequest({ otherAlarms: others }));
    expect(result.ok).toBe(true);
    await rig.connector.whenIdle();
    const ledger = rig.sim.ledger();
    expect(ledger).toHaveLength(1);
    expect(countRequests(rig.sim, 'create')).toBe(1);
    const [row] = rig.connector.listTickets();
    expect(row).toMatchObject({ status: 'Created', ticketId: ledger[0]!.id });
    for (const alarm of others) {
      expect(rig.props.get('123', alarm.alarmId)[PROPERTY_TICKET_ID]).toBe(ledger[0]!.id);
    }
  });

  it('survives a restart while queued: the group goes out once, with every alarm', async () => {
    rig = await startRig({ connector: { autoStart: false } });
    const others = [otherAlarm('46', 'PAR-EDGE-SW-02')];
    await rig.connector.createTicket(ticketRequest({ otherAlarms: others }));
    const reopened = await rig.reopen({ autoStart: true });
    await reopened.whenIdle();
    const ledger = rig.sim.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.externalIdentifier).toHaveLength(2);
    expect(rig.props.get('123', others[0]!.alarmId)[PROPERTY_TICKET_ID]).toBe(ledger[0]!.id);
  });

  it('bounds the group: at most MAX_GROUP_ALARMS alarms in one request', () => {
    const many = (n: number) => Array.from({ length: n }, () => otherAlarm('46', 'E'));
    const ok = createTicketRequestSchema.safeParse(
      ticketRequest({ otherAlarms: many(MAX_GROUP_ALARMS - 1) }),
    );
    expect(ok.success).toBe(true);
    const tooMany = createTicketRequestSchema.safeParse(
      ticketRequest({ otherAlarms: many(MAX_GROUP_ALARMS) }),
    );
    expect(tooMany.success).toBe(false);
  });
});

describe('the life of a ticket for several alarms (issue 13)', () => {
  it('shows its status on every alarm, and is resolved once, when the last of its alarms clears', async () => {
    rig = await startRig();
    await rig.connector.life.polls.close();
    const others = [otherAlarm('46', 'PAR-EDGE-SW-02'), otherAlarm('47', 'PAR-EDGE-SW-03')];
    const request = ticketRequest({ otherAlarms: others });
    await rig.connector.createTicket(request);
    await rig.connector.whenIdle();
    const ticket = rig.sim.ledger()[0]!;
    rig.sim.setStatus(ticket.id, 'inProgress', 'On site');
    await rig.connector.life.polls.pollNow();
    for (const alarm of [request, ...others]) {
      expect(rig.props.get('123', alarm.alarmId)[PROPERTY_TICKET_STATUS]).toBe('inProgress');
    }

    await rig.connector.updateSettings({ element: { clearAction: 'resolve' } });
    const keys = [request, ...others].map((a) => `123/${a.alarmId}`);
    const cleared = new Map<string, string>();
    const clear = (key: string, at: string) => {
      cleared.set(key, at);
      return rig!.connector.life.alarmCleared(key, at, (k) => cleared.get(k) ?? null);
    };
    // The request's own alarm and one other clear: the third is still active.
    expect(clear(keys[0]!, '2026-03-01T08:00:00Z')).toMatchObject({ kind: 'nothing' });
    expect(clear(keys[1]!, '2026-03-01T08:01:00Z')).toMatchObject({ kind: 'nothing' });
    // The last one, an alarm other than the request's own, clears: the ticket is resolved.
    expect(clear(keys[2]!, '2026-03-01T08:02:00Z')).toMatchObject({
      kind: 'resolve',
      clearedAt: '2026-03-01T08:02:00Z',
    });
    await rig.connector.life.changes.settled();
    await rig.connector.whenIdle();
    expect(rig.sim.ledger()[0]?.status).toBe('resolved');
    expect(rig.sim.requests().filter((q) => q.method === 'PATCH')).toHaveLength(1);
  });
});
