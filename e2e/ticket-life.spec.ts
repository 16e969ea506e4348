/**
 * The ticket's life after creation, as an operator sees it in Chromium (issue 13), against
 * the real services and simulator: a ticket moving through its statuses in Oceane shows on
 * the alarm and in the Tickets table with its history; a ticket resolved while its alarm is
 * active is flagged and Create Ticket is offered again, showing the closed ticket; a note
 * added from the console; an alarm that clears gets its ticket resolved, or a note.
 */
import type { Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import type { Alarm } from '../shared/domain.js';
import { expect, test, type Harness } from './harness/fixtures.js';
import { alarmRow, goTo, openCreateTicket, requestTicket } from './harness/console-page.js';

const SCREENSHOTS = 'test-results/screenshots';

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/** Requests a ticket for the alarm at `index` and waits until Oceane has it; its ID. */
async function ticketFor(oceane: Harness, index: number): Promise<{ alarm: Alarm; id: string }> {
  const before = oceane.sim.ledger().length;
  const alarm = await requestTicket(oceane, index);
  await expect.poll(() => oceane.sim.ledger().length).toBe(before + 1);
  const id = oceane.sim.ledger()[before]!.id;
  await expect(ticketCell(oceane.page, alarm)).toContainText(id);
  return { alarm, id };
}

/** The Oceane Ticket ID cell of the alarm's row (the ticket ID and its status). */
function ticketCell(page: Page, alarm: Alarm) {
  return alarmRow(page, alarm).locator('.c-ticket');
}

/** The next poll, now (the interval is a minute). */
async function poll(oceane: Harness): Promise<void> {
  await oceane.services().connector.life.polls.pollNow();
}

test('a ticket moves to inProgress then resolved in Oceane: the alarm and the table follow, Create Ticket is offered again', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  const { alarm, id } = await ticketFor(oceane, 0);
  oceane.sim.setStatus(id, 'inProgress', 'Field team on site');
  await poll(oceane);
  await expect(ticketCell(page, alarm)).toContainText('inProgress');

  await goTo(page, 'Tickets');
  const row = page.getByRole('table', { name: 'Tickets' }).getByRole('row').filter({ hasText: id });
  await expect(row).toContainText('inProgress');
  oceane.sim.setStatus(id, 'resolved', 'Fibre spliced');
  await poll(oceane);
  await expect(row).toContainText('resolved');
  await row.click();
  const history = page.getByRole('list', { name: 'History' });
  await expect(history).toContainText('→ inProgress (Field team on site)');
  await expect(history).toContainText('inProgress → resolved (Fibre spliced)');
  await screenshot(page, 'ticket-history');

  // Resolved while the alarm is still active: flagged, and a new ticket can be requested.
  await goTo(page, 'Alarm Console');
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(alarm.elementName);
  await expect(ticketCell(page, alarm).locator('.badge-failed')).toHaveText('resolved');
  const dialog = await openCreateTicket(page, alarm);
  await expect(dialog.getByRole('note')).toContainText(`Ticket ${id} of this alarm is resolved`);
  await expect(dialog.getByRole('button', { name: 'Create Ticket' })).toBeVisible();
  await screenshot(page, 'create-ticket-after-resolved');
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect.poll(() => oceane.sim.ledger().length).toBe(2);
});

test('an operator adds a note to the ticket of an alarm, and sees it in the history', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  const { alarm, id } = await ticketFor(oceane, 1);
  await alarmRow(page, alarm).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Add note to ticket…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add note to ticket' });
  await dialog.getByRole('button', { name: 'Add Note' }).click();
  await expect(dialog.getByText('Write the note first')).toBeVisible();
  await dialog.getByLabel('Note').fill('Customer confirms the outage');
  await screenshot(page, 'add-note-dialog');
  await dialog.getByRole('button', { name: 'Add Note' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(() => (oceane.sim.ledger()[0]!.note ?? []).map((n) => n.text))
    .toEqual(['Customer confirms the outage']);

  await goTo(page, 'Tickets');
  await page
    .getByRole('table', { name: 'Tickets' })
    .getByRole('row')
    .filter({ hasText: id })
    .click();
  const history = page.getByRole('list', { name: 'History' });
  await expect(history).toContainText('Customer confirms the outage');
  // And from the Tickets view's pane.
  await page
    .getByRole('complementary', { name: 'Ticket details' })
    .getByRole('button', { name: 'Add note…' })
    .click();
  const again = page.getByRole('dialog', { name: 'Add note to ticket' });
  await again.getByLabel('Note').fill('Technician dispatched');
  await again.getByRole('button', { name: 'Add Note' }).click();
  await expect(history).toContainText('Technician dispatched');
  await screenshot(page, 'ticket-notes');
});

test('an alarm clears: its ticket is resolved, and with the note setting it gets a note', async ({
  oceane,
}) => {
  await oceane.open({ changesPerSecond: 0 });
  const { page } = oceane;
  const services = oceane.services();
  // Settings → Ticket follow-up: resolve on clear.
  await goTo(page, 'Settings');
  await page.getByLabel('When an alarm with an open ticket clears').selectOption('resolve');
  await page.getByRole('button', { name: 'Save Ticket Follow-up' }).click();
  await expect(page.getByText('Ticket follow-up settings saved.')).toBeVisible();
  await goTo(page, 'Alarm Console');
  const first = await ticketFor(oceane, 0);
  const clear = (alarm: Alarm): void => {
    for (
      let i = 0;
      i < 5000 && !services.alarms.find(alarm.dmaId, alarm.alarmId)?.state?.clearedAt;
      i++
    ) {
      services.alarms.tick(1);
    }
  };
  clear(first.alarm);
  await expect
    .poll(() => oceane.sim.ledger().find((t) => t.id === first.id)?.status)
    .toBe('resolved');
  await poll(oceane);
  await goTo(page, 'Tickets');
  const row = page
    .getByRole('table', { name: 'Tickets' })
    .getByRole('row')
    .filter({ hasText: first.id });
  await expect(row).toContainText('resolved');
  await screenshot(page, 'ticket-resolved-on-clear');

  await services.connector.updateSettings({ element: { clearAction: 'note' } });
  await goTo(page, 'Alarm Console');
  const index = services.alarms
    .list()
    .findIndex((a) => !a.state?.clearedAt && !a.properties['Oceane Ticket ID']);
  const second = await ticketFor(oceane, index);
  clear(second.alarm);
  await expect
    .poll(() =>
      (oceane.sim.ledger().find((t) => t.id === second.id)?.note ?? []).map((n) => n.text),
    )
    .toEqual([expect.stringMatching(/^Alarm .* cleared in DataMiner at /)]);
  expect(oceane.sim.ledger().find((t) => t.id === second.id)?.status).not.toBe('resolved');
});
