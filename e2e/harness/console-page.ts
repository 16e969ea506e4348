/**
 * What the browser journeys do on the alarm console, written once: find an alarm's row, put an
 * alarm on screen, open its Create Ticket dialog and fill the form's required choices.
 */
import type { Locator, Page } from '@playwright/test';
import type { Alarm } from '../../shared/domain.js';
import { expect, type Harness } from './fixtures.js';

/** The row of the alarm console that shows `alarm` (by its element and root Alarm ID). */
export function alarmRow(page: Page, alarm: Alarm): Locator {
  return page
    .getByRole('grid', { name: 'Alarms' })
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: alarm.elementName, exact: true }) })
    .filter({ has: page.getByRole('gridcell', { name: alarm.alarmId, exact: true }) });
}

/** The Oceane Ticket ID cell of the alarm's row, showing `ticketId`. */
export function ticketIdCell(page: Page, alarm: Alarm, ticketId: string): Locator {
  // The cell names the ticket, then its Oceane status once a poll has seen it (issue 13).
  const id = ticketId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return alarmRow(page, alarm).getByRole('gridcell', { name: new RegExp(`^${id}( |$)`) });
}

/** Filters the console to `alarm`'s element and waits for its row. */
export async function showAlarm(page: Page, alarm: Alarm): Promise<void> {
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(alarm.elementName);
  await expect(alarmRow(page, alarm)).toBeVisible();
}

/** An alarm of the mock DataMiner, shown in the console (filtered to it so it is on screen). */
export async function pickAlarm(oceane: Harness, index = 0): Promise<Alarm> {
  const alarm = oceane.services().alarms.list()[index];
  if (!alarm) throw new Error('no alarm');
  await showAlarm(oceane.page, alarm);
  return alarm;
}

/** Right-click the alarm, choose Create Ticket, and return the dialog. */
export async function openCreateTicket(page: Page, alarm: Alarm): Promise<Locator> {
  await alarmRow(page, alarm).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Chooses Priority High, Urgency Medium and Technical Impact Major in the dialog. */
export async function fillTicketForm(dialog: Locator): Promise<void> {
  await dialog.getByLabel('Priority').selectOption('High');
  await dialog.getByLabel('Urgency').selectOption('Medium');
  await dialog.getByLabel('Technical Impact').selectOption('Major');
}

/** Asks for a ticket on the alarm at `index` (the form's required choices) and returns it. */
export async function requestTicket(oceane: Harness, index: number): Promise<Alarm> {
  const alarm = await pickAlarm(oceane, index);
  const dialog = await openCreateTicket(oceane.page, alarm);
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
  return alarm;
}

/** The Oceane status light beside the navigation. */
export function healthLight(page: Page): Locator {
  return page.getByRole('navigation').getByRole('button', { name: /^Oceane/ });
}

/** Opens a view through the navigation. */
export async function goTo(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: view, exact: true }).click();
}
