/**
 * One Oceane ticket for several alarms (issue 11, oceane-api.md section 7.6), in Chromium
 * against the real services and simulator: the operator selects four alarms of one element,
 * one of which already has a ticket; Create Ticket opens one dialog that lists them, marks the
 * ticketed one and leaves it out; one ticket is created for the other three, each of which
 * then shows its ID, and the Tickets table shows the ticket once with its 3 alarms.
 * Screenshots of the dialog at 1280x720 and 1920x1080.
 */
import type { Locator, Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { PROPERTY_TICKET_ID, PROPERTY_TICKET_URL, type Alarm } from '../shared/domain.js';
import { alarmRow, fillTicketForm, goTo } from './harness/console-page.js';
import { expect, test } from './harness/fixtures.js';

const SCREENSHOTS = 'test-results/screenshots';

async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size.width}x${size.height}.png` });
  }
}

function bodyRows(page: Page): Locator {
  return page.getByRole('grid', { name: 'Alarms' }).locator('.alarm-body [role="row"]');
}

/** An element with at least four alarms, and those alarms. */
function elementWithFourAlarms(alarms: readonly Alarm[]): Alarm[] {
  const byElement = new Map<string, Alarm[]>();
  for (const a of alarms)
    byElement.set(a.elementName, [...(byElement.get(a.elementName) ?? []), a]);
  const names = [...byElement.keys()];
  // The element's name must not be a part of another's, so that the filter shows it alone.
  const found = [...byElement.entries()].find(
    ([name, list]) => list.length >= 4 && names.every((n) => n === name || !n.includes(name)),
  );
  if (!found) throw new Error('no element with four alarms');
  return found[1];
}

test('one ticket for three selected alarms; the one already ticketed is shown and left out', async ({
  oceane,
}) => {
  await oceane.open({ alarms: 120 });
  const { page } = oceane;
  const element = elementWithFourAlarms(oceane.services().alarms.list());
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(element[0]!.elementName);
  const rows = bodyRows(page);
  await expect(rows).toHaveCount(element.length);

  // The first row's alarm gets a ticket of its own first.
  await rows.nth(0).click();
  await rows.nth(0).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const single = page.getByRole('dialog', { name: 'Create Ticket' });
  await fillTicketForm(single);
  await single.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(single).toBeHidden();
  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const firstTicket = oceane.sim.ledger()[0]!;
  const ticketedKey = firstTicket.externalIdentifier[0]!.id;

  // Four rows selected (Shift+click), the menu opened on the second.
  await rows.nth(0).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await expect(page.locator('.alarm-body [role="row"][aria-selected="true"]')).toHaveCount(4);
  await rows.nth(1).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  const list = dialog.getByRole('region', { name: 'Alarms of the ticket' });
  await expect(list.getByText('One ticket for 3 of 4 selected alarms.')).toBeVisible();
  await expect(list.getByRole('row')).toHaveCount(5); // the header and four alarms
  const ticketedRow = list.getByRole('row').filter({ hasText: `Has ticket ${firstTicket.id}` });
  await expect(ticketedRow).toHaveCount(1);
  await expect(ticketedRow.getByRole('checkbox')).not.toBeChecked();
  await expect(list.getByRole('checkbox', { checked: true })).toHaveCount(3);
  await fillTicketForm(dialog);
  await screenshots(page, 'group-ticket-dialog');

  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => oceane.sim.ledger().length).toBe(2);
  const group = oceane.sim.ledger()[1]!;
  const members = group.externalIdentifier.map((x) => x.id);
  expect(members).toHaveLength(3);
  expect(members).not.toContain(ticketedKey);
  expect(group.relatedEntity?.map((e) => e.entity.id)).toEqual([
    `${element[0]!.dmaId}/${element[0]!.elementId}`,
  ]);

  // Every alarm of the group shows the ticket's ID (and carries its URL); the first keeps its own.
  for (const alarm of element) {
    const key = `${alarm.dmaId}/${alarm.alarmId}`;
    if (!members.includes(key) && key !== ticketedKey) continue;
    const id = key === ticketedKey ? firstTicket.id : group.id;
    await expect(
      alarmRow(page, alarm).getByRole('gridcell', { name: id, exact: true }),
    ).toBeVisible();
    const props = oceane.services().alarms.find(alarm.dmaId, alarm.alarmId)?.properties ?? {};
    expect(props[PROPERTY_TICKET_ID]).toBe(id);
    expect(props[PROPERTY_TICKET_URL]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ticket\//);
  }

  // The Tickets table shows the group ticket once, with its three alarms.
  await goTo(page, 'Tickets');
  const ticketRows = page.getByRole('row').filter({ hasText: group.id });
  await expect(ticketRows).toHaveCount(1);
  await expect(ticketRows.getByTitle('3 alarms')).toHaveText('3');
});
