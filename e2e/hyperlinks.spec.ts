/**
 * Issue 10 journeys, in Chromium against the real services and simulator: HyperLinks.xml as
 * DataMiner reads it (a submenu, an alarm column, a broken hyperlink, the confirmation step)
 * and a ticket refused for want of a User ID. Each test brings its own HyperLinks.xml.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { expect, test } from './harness/fixtures.js';
import { alarmRow, fillTicketForm, pickAlarm } from './harness/console-page.js';

const SEED_COMMAND =
  'Orange Oceane Ticketing System||DMA ID=[DMAID];Element ID=[EID];Alarm ID=[ROOTKEY];Element Name=[ENAME];Alarm Value=[VALUE];Root Time=[ROOTTIME:dd/MM/yyyy HH:mm:ss]||Create ticket in Oceane Ticketing Tool';

const hyperLinks = (...links: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<HyperLinks xmlns="http://www.skyline.be/config/hyperlinks">\n${links.join('\n')}\n</HyperLinks>`;

const createTicket = (options: string, menu = 'root'): string =>
  `<HyperLink id="1" version="2" name="Create Ticket" menu="${menu}" type="script">${SEED_COMMAND}|${options}</HyperLink>`;

test('a hyperlink in a submenu opens from its submenu', async ({ oceane }) => {
  await oceane.open({
    hyperLinksXml: hyperLinks(
      createTicket('NoConfirmation,CloseWhenFinished', 'Tickets/Oceane'),
      '<HyperLink id="9" version="2" name="Runbook" menu="root" type="url">https://wiki.example/[ENAME]</HyperLink>',
    ),
  });
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await alarmRow(page, alarm).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: /Actions for/ });
  await expect(menu.getByRole('menuitem', { name: 'Runbook' })).toBeVisible();
  // Create Ticket is not at the top level: it sits in Tickets ▸ Oceane.
  await expect(page.getByRole('menuitem', { name: 'Create Ticket' })).toHaveCount(0);
  await menu.getByRole('menuitem', { name: 'Tickets' }).click();
  await page
    .getByRole('menu', { name: 'Tickets' })
    .getByRole('menuitem', { name: 'Oceane' })
    .click();
  await page
    .getByRole('menu', { name: 'Oceane' })
    .getByRole('menuitem', { name: 'Create Ticket' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await expect(dialog.getByText(alarm.elementName)).toBeVisible();
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  // The Root Time the hyperlink wrote as dd/MM/yyyy reached the ticket as a time.
  const rootTime = oceane.sim
    .ledger()[0]
    ?.troubleTicketCharacteristic?.find((c) => c.name === 'rootTime')?.value;
  expect(Date.parse(String(rootTime))).toBe(Math.floor(Date.parse(alarm.rootTime) / 1000) * 1000);
});

test('an alarm column runs its hyperlink for the row’s alarm', async ({ oceane }) => {
  await oceane.open({
    hyperLinksXml: hyperLinks(
      createTicket('NoConfirmation,CloseWhenFinished'),
      `<HyperLink id="5" version="2" name="Ticket it" menu="root" type="script" alarmColumn="true">${SEED_COMMAND}|NoConfirmation,CloseWhenFinished</HyperLink>`,
    ),
  });
  const { page } = oceane;
  const grid = page.getByRole('grid', { name: 'Alarms' });
  await expect(grid.getByRole('columnheader', { name: 'Ticket it' })).toBeVisible();
  const alarm = await pickAlarm(oceane);
  await alarmRow(page, alarm).getByRole('button', { name: 'Ticket it' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await expect(dialog.getByText(alarm.elementName)).toBeVisible();
  await expect(dialog.getByText(alarm.alarmId, { exact: true })).toBeVisible();
});

test('a broken hyperlink is skipped with a notice naming it, and an edit applies live', async ({
  oceane,
}) => {
  await oceane.open({
    hyperLinksXml: hyperLinks(
      createTicket('NoConfirmation,CloseWhenFinished'),
      '<HyperLink id="7" version="2" name="Ping" menu="root" type="url" filterElement="protocol:Generic Ping">https://ping.example/[EID]</HyperLink>',
    ),
  });
  const { page } = oceane;
  const notice = page.getByRole('alert').filter({ hasText: '1 hyperlink skipped' });
  await expect(notice).toContainText('hyperlink 7 ("Ping")');
  await expect(notice).toContainText('protocol:Generic Ping');
  const alarm = await pickAlarm(oceane);
  await alarmRow(page, alarm).click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Create Ticket' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Ping' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The operator fixes the file while the app runs: the menu follows without a restart.
  await writeFile(
    path.join(oceane.dataDir, 'HyperLinks.xml'),
    hyperLinks(
      createTicket('NoConfirmation,CloseWhenFinished'),
      `<HyperLink id="7" version="2" name="Ping" menu="root" type="url" filterElement="[EID] == '${alarm.elementId}'">https://ping.example/[EID]</HyperLink>`,
    ),
  );
  await expect(
    page.getByRole('status').filter({ hasText: 'HyperLinks.xml reloaded' }),
  ).toBeVisible();
  await alarmRow(page, alarm).click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Ping' })).toBeVisible();
});

test('without NoConfirmation the operator confirms, and without CloseWhenFinished the outcome stays', async ({
  oceane,
}) => {
  await oceane.open({ hyperLinksXml: hyperLinks(createTicket('')) });
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await alarmRow(page, alarm).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  const confirm = dialog.getByRole('alertdialog', { name: 'Confirm the ticket' });
  await expect(confirm).toContainText(`Send this ticket to Oceane for ${alarm.elementName}`);
  // Back: nothing is sent.
  await confirm.getByRole('button', { name: 'Back' }).click();
  await expect(confirm).toBeHidden();
  expect(oceane.sim.ledger()).toHaveLength(0);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await dialog.getByRole('button', { name: 'Send Ticket' }).click();
  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const ticketId = oceane.sim.ledger()[0]!.id;
  // The dialog stays open on the outcome until the operator closes it.
  await expect(dialog.getByRole('status')).toHaveText(`Ticket ${ticketId} created in Oceane.`);
  await expect(dialog.getByRole('button', { name: 'Go To Ticket' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();
});

test('a ticket without a User ID is refused with the way to Settings', async ({ oceane }) => {
  await oceane.open();
  const updated = await oceane.services().connector.updateSettings({ api: { userId: '' } });
  expect(updated.ok).toBe(true);
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await alarmRow(page, alarm).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  const refusal = dialog.getByRole('alert');
  await expect(refusal).toContainText('A ticket cannot be sent without a User ID');
  expect(oceane.sim.ledger()).toHaveLength(0);
  await refusal.getByRole('button', { name: 'Open Settings' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('User ID')).toBeVisible();
});
