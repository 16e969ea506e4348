/**
 * Team mode (issue 14) in Chromium with two consoles on one PostgreSQL, one DataMiner and one
 * Oceane: what one console does, the other sees; two operators asking for the same alarm at
 * the same moment get one ticket; a console killed while its create is in Oceane's hands does
 * not cost a ticket nor make a second one. Every assertion is about what the operators see,
 * and about what Oceane received.
 */
import type { Locator, Page } from '@playwright/test';
import type { Alarm, QueueStatus } from '../shared/domain.js';
import type { AppServicesOptions } from '../electron/app-services.js';
import type { RunningSimulator } from '../electron/oceane-simulator/index.js';
import {
  alarmRow,
  fillTicketForm,
  goTo,
  openCreateTicket,
  showAlarm,
  ticketIdCell,
} from './harness/console-page.js';
import {
  expect,
  test,
  type TeamConsoleHarness,
  type TeamHarness,
} from './harness/team-fixtures.js';

/** A short lease, so that a dead console's request is taken over within seconds. */
const SHORT_LEASE: Partial<AppServicesOptions> = { teamLeaseMs: 1_500 };

/** An alarm of the team's DataMiner (not one the system raised). */
function teamAlarm(team: TeamHarness, index: number): Alarm {
  const alarm = team.dataMiner.list().filter((a) => a.elementName !== 'Oceane Connector')[index];
  if (!alarm) throw new Error('no alarm');
  return alarm;
}

/** The creates Oceane received (each POST of a ticket). */
function creates(sim: RunningSimulator): number {
  return sim.requests().filter((r) => r.method === 'POST' && /troubleTicket$/.test(r.path)).length;
}

/** The tickets Oceane holds for `alarm`. */
function ticketsFor(sim: RunningSimulator, alarm: Alarm): string[] {
  const id = `${alarm.dmaId}/${alarm.alarmId}`;
  return sim
    .ledger()
    .filter((t) => t.externalIdentifier.some((e) => e.id === id))
    .map((t) => t.id);
}

/** Opens the alarm's Create Ticket dialog on a console and fills the required choices. */
async function readyTicketForm(page: Page, alarm: Alarm): Promise<Locator> {
  await showAlarm(page, alarm);
  const dialog = await openCreateTicket(page, alarm);
  await fillTicketForm(dialog);
  return dialog;
}

/** The Tickets table's row for the ticket, on a console. */
async function ticketsRow(page: Page, ticketId: string): Promise<Locator> {
  await goTo(page, 'Tickets');
  return page
    .getByRole('table', { name: 'Tickets' })
    .getByRole('row')
    .filter({ hasText: ticketId });
}

test('a ticket created on console A shows on console B, on the alarm and in Tickets', async ({
  team,
}) => {
  await team.open();
  const { a, b, sim } = team;
  const alarm = teamAlarm(team, 0);
  await showAlarm(b.page, alarm);

  const dialog = await readyTicketForm(a.page, alarm);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => ticketsFor(sim, alarm)).toHaveLength(1);
  const [ticketId] = ticketsFor(sim, alarm);

  await expect(ticketIdCell(b.page, alarm, ticketId!)).toBeVisible();
  await expect(ticketIdCell(a.page, alarm, ticketId!)).toBeVisible();
  const row = await ticketsRow(b.page, ticketId!);
  await expect(row).toContainText('Created');
  await expect(row).toContainText(alarm.elementName);
  expect(creates(sim)).toBe(1);
});

test('two consoles asking for the same alarm at once get one ticket; the other is told who asked and when', async ({
  team,
}) => {
  await team.open();
  const { a, b, sim } = team;
  const alarm = teamAlarm(team, 1);
  const dialogs = new Map<TeamConsoleHarness, Locator>([
    [a, await readyTicketForm(a.page, alarm)],
    [b, await readyTicketForm(b.page, alarm)],
  ]);

  // Both operators press Create Ticket at the same moment.
  await Promise.all(
    [...dialogs.values()].map((d) => d.getByRole('button', { name: 'Create Ticket' }).click()),
  );
  const refusal = (d: Locator): Locator =>
    d.getByRole('alert').filter({ hasText: 'already asked for this alarm' });
  // One of the two is refused (which one is the race's): the pages are apart, so each is asked.
  const refusals = async (): Promise<number> =>
    (await refusal(dialogs.get(a)!).count()) + (await refusal(dialogs.get(b)!).count());
  await expect.poll(refusals).toBe(1);
  const refused = (await refusal(dialogs.get(a)!).count()) === 1 ? a : b;
  const winner = refused === a ? b : a;
  await expect(dialogs.get(winner)!).toBeHidden();
  // The refused operator reads who asked, and when.
  await expect(refusal(dialogs.get(refused)!)).toHaveText(
    new RegExp(`already asked for this alarm by ${winner.name} at \\S*\\d`),
  );
  await expect(dialogs.get(refused)!).toBeVisible();

  await expect.poll(() => ticketsFor(sim, alarm)).toHaveLength(1);
  const [ticketId] = ticketsFor(sim, alarm);
  await dialogs.get(refused)!.getByRole('button', { name: 'Cancel' }).click();
  await expect(ticketIdCell(refused.page, alarm, ticketId!)).toBeVisible();
  await expect(ticketIdCell(winner.page, alarm, ticketId!)).toBeVisible();
  await expect(await ticketsRow(refused.page, ticketId!)).toContainText('Created');
  expect(creates(sim)).toBe(1);
});

test('the console sending a create killed while Oceane holds it: the other finishes the request after the lease runs out, one ticket', async ({
  team,
}) => {
  test.setTimeout(120_000);
  await team.open({ requestTimeoutSeconds: 3, services: SHORT_LEASE });
  const { a, b, sim } = team;
  const alarm = teamAlarm(team, 2);
  await showAlarm(b.page, alarm);
  // Oceane holds the create for 2.5 s, less than the 3 s time-out: it is made all the same.
  // The hold leaves the kill time to land before the sender could hear the answer, on a loaded
  // machine too.
  sim.inject('create', { kind: 'delay', ms: 2_500 });

  const dialog = await readyTicketForm(a.page, alarm);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => creates(sim), { intervals: [20] }).toBe(1);
  // Either console may have leased the request A asked for: the one that holds it sent it.
  const status = await a.services().router.handle('queue:status', undefined);
  const lockedBy = status.ok ? (status.value as QueueStatus).lockedBy : null;
  expect(lockedBy).toMatch(/^Console [AB] /);
  const [sender, other] = lockedBy?.startsWith('Console B') ? [b, a] : [a, b];
  await sender.kill();
  // The other console sees the request the sender left pending.
  await expect(
    alarmRow(other.page, alarm).getByRole('gridcell', { name: 'Pending' }),
  ).toBeVisible();

  // The create that was sent is made in Oceane; the other console takes the request over once
  // the sender's lease has run out, looks the alarm up rather than sending again, and settles it.
  await expect.poll(() => ticketsFor(sim, alarm), { timeout: 30_000 }).toHaveLength(1);
  const [ticketId] = ticketsFor(sim, alarm);
  await expect(ticketIdCell(other.page, alarm, ticketId!)).toBeVisible({ timeout: 30_000 });
  const row = await ticketsRow(other.page, ticketId!);
  await expect(row).toContainText('Created');
  expect(creates(sim)).toBe(1);
  expect(ticketsFor(sim, alarm)).toEqual([ticketId]);
  // It was settled by looking the alarm up in Oceane after the create, not by sending again.
  const requests = sim.requests();
  const sent = requests.find((r) => r.method === 'POST' && /troubleTicket$/.test(r.path))!;
  const find = `externalIdentifier.id=${encodeURIComponent(`${alarm.dmaId}/${alarm.alarmId}`)}`;
  expect(requests.some((r) => r.method === 'GET' && r.path.endsWith(find) && r.at > sent.at)).toBe(
    true,
  );
});
