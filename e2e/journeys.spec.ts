/**
 * The operator's journeys, in Chromium, against the real services and simulator (issue 4).
 * Every assertion is about what a person sees on the screen.
 */
import type { Locator, Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import type { Alarm } from '../shared/domain.js';
import { toTroubleTicket } from '../electron/connector/tmf621-mapping.js';
import { DEMO_CREDENTIALS } from '../electron/oceane-simulator/index.js';
import { expect, test, type Harness } from './harness/fixtures.js';
import {
  alarmRow,
  fillTicketForm,
  openCreateTicket,
  pickAlarm,
  ticketIdCell,
} from './harness/console-page.js';

const SCREENSHOTS = 'test-results/screenshots';

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

async function fillAndSubmit(dialog: Locator): Promise<void> {
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
}

async function goTo(page: Page, view: string): Promise<void> {
  await page.getByRole('link', { name: view, exact: true }).click();
}

test('an operator creates a ticket and sees its ID and URL on the alarm', async ({ oceane }) => {
  await oceane.open();
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await screenshot(page, 'alarm-console');
  const dialog = await openCreateTicket(page, alarm);
  await expect(dialog.getByText(alarm.elementName)).toBeVisible();
  await screenshot(page, 'create-ticket-dialog');
  // Oceane answers slowly, so the operator sees the request pending on the alarm first.
  oceane.sim.inject('create', { kind: 'delay', ms: 1500 });
  await fillAndSubmit(dialog);
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Ticket request queued for ${alarm.elementName}`)).toBeVisible();
  await expect(alarmRow(page, alarm).getByRole('gridcell', { name: 'Pending' })).toBeVisible();

  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const ticket = oceane.sim.ledger()[0]!;
  await expect(ticketIdCell(page, alarm, ticket.id)).toBeVisible();
  await expect(alarmRow(page, alarm).getByRole('link', { name: /ticket/i })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: ticket.id })).toBeVisible();

  await goTo(page, 'Tickets');
  const table = page.getByRole('table', { name: 'Tickets' });
  const row = table.getByRole('row').filter({ hasText: ticket.id });
  await expect(row).toContainText('Created');
  await expect(row).toContainText(alarm.elementName);
  await screenshot(page, 'tickets');
});

test('the form names each required field that is missing', async ({ oceane }) => {
  await oceane.open();
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  const dialog = await openCreateTicket(page, alarm);
  // The fields start from the defaults in Settings; the operator empties them.
  for (const label of ['Priority', 'Urgency', 'Technical Impact']) {
    await dialog.getByLabel(label).selectOption('');
  }
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  for (const label of ['Priority', 'Urgency', 'Technical Impact']) {
    await expect(dialog.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(
    dialog
      .getByText(/Priority/)
      .filter({ hasText: /choose|required/i })
      .first(),
  ).toBeVisible();
  await expect(dialog).toBeVisible();
  expect(oceane.sim.ledger()).toHaveLength(0);
});

test('an alarm that already has a ticket shows it instead of the form', async ({ oceane }) => {
  await oceane.open();
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await fillAndSubmit(await openCreateTicket(page, alarm));
  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const ticketId = oceane.sim.ledger()[0]!.id;
  await expect(ticketIdCell(page, alarm, ticketId)).toBeVisible();

  // The menu now offers Go To Ticket rather than Create Ticket.
  await alarmRow(page, alarm).click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Go To Ticket' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Create Ticket' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Another operator created a ticket for a second alarm directly in Oceane: this console
  // knows nothing of it until Create Ticket asks Oceane, which shows that ticket, not a form.
  const other = await pickAlarm(oceane, 1);
  const othersTicketId = await createInOceaneDirectly(oceane, other);
  const dialog = await openCreateTicket(page, other);
  await expect(dialog.getByText(othersTicketId)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Go To Ticket' })).toBeVisible();
  await expect(dialog.getByLabel('Priority')).toHaveCount(0);
  await screenshot(page, 'create-ticket-existing');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(ticketIdCell(page, other, othersTicketId)).toBeVisible();
  expect(oceane.sim.ledger()).toHaveLength(2);
});

/** A ticket made in Oceane by someone else (a raw API call, not this console). */
async function createInOceaneDirectly(oceane: Harness, alarm: Alarm): Promise<string> {
  const basic = Buffer.from(
    `${DEMO_CREDENTIALS.clientId}:${DEMO_CREDENTIALS.clientSecret}`,
  ).toString('base64');
  const token = (await (
    await fetch(`${oceane.sim.url}/oauth/v3/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string };
  const body = toTroubleTicket(
    {
      dmaId: alarm.dmaId,
      elementId: alarm.elementId,
      alarmId: alarm.alarmId,
      elementName: alarm.elementName,
      priority: 'Low',
      urgency: 'Low',
      technicalImpact: 'Minor',
    },
    'another.operator',
  );
  const response = await fetch(`${oceane.sim.url}/tmf-api/troubleTicket/v5/troubleTicket`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

test('Oceane refusing a ticket shows the reason and a Failed Ticket Requests row with its codes', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  oceane.sim.inject('create', {
    kind: 'status',
    status: 403,
    code: 50,
    message: 'Access denied',
    description: 'The client may not create tickets for this perimeter',
  });
  const alarm = await pickAlarm(oceane);
  await fillAndSubmit(await openCreateTicket(page, alarm));
  await expect(page.getByRole('alert').filter({ hasText: 'Access denied' })).toBeVisible();
  await expect(alarmRow(page, alarm).getByRole('gridcell', { name: 'Failed' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Failed Ticket Requests' }),
  ).toHaveAccessibleDescription('1 failed');

  await goTo(page, 'Failed Ticket Requests');
  const row = page.getByRole('table', { name: 'Failed Ticket Requests' }).getByRole('row').nth(1);
  await expect(row.getByRole('cell', { name: '403', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: '50', exact: true })).toBeVisible();
  await expect(row).toContainText('Access denied');
  await expect(row).toContainText('The client may not create tickets for this perimeter');
  await screenshot(page, 'failed-ticket-requests');

  await goTo(page, 'Tickets');
  await expect(page.getByRole('table', { name: 'Tickets' }).getByRole('row').nth(1)).toContainText(
    'Failed',
  );
  expect(oceane.sim.ledger()).toHaveLength(0);
});

test('a 503 is retried once and the ticket is created', async ({ oceane }) => {
  await oceane.open({ retryCount: 1 });
  const { page } = oceane;
  oceane.sim.inject('create', {
    kind: 'status',
    status: 503,
    code: 5,
    message: 'Service unavailable',
    retryAfter: '1',
  });
  const alarm = await pickAlarm(oceane);
  await fillAndSubmit(await openCreateTicket(page, alarm));
  await expect.poll(() => oceane.sim.ledger().length, { timeout: 20_000 }).toBe(1);
  await expect(ticketIdCell(page, alarm, oceane.sim.ledger()[0]!.id)).toBeVisible();
  const creates = oceane.sim
    .requests()
    .filter((r) => r.method === 'POST' && r.path.includes('troubleTicket'));
  expect(creates.map((r) => r.status)).toEqual([503, 201]);
});

test('Retry in the Failed Ticket Requests table queues the same ticket again', async ({
  oceane,
}) => {
  await oceane.open({ retryCount: 0 });
  const { page } = oceane;
  oceane.sim.inject('create', { kind: 'status', status: 500, code: 1, message: 'Internal error' });
  const alarm = await pickAlarm(oceane);
  await fillAndSubmit(await openCreateTicket(page, alarm));
  await goTo(page, 'Failed Ticket Requests');
  const table = page.getByRole('table', { name: 'Failed Ticket Requests' });
  await expect(table.getByRole('row').nth(1)).toContainText('500');
  await table.getByRole('button', { name: 'Retry' }).first().click();

  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const ticket = oceane.sim.ledger()[0]!;
  expect(ticket.priority).toBe('High');
  await goTo(page, 'Tickets');
  await expect(
    page.getByRole('table', { name: 'Tickets' }).getByRole('row').filter({ hasText: ticket.id }),
  ).toContainText('Created');
});

test('Authenticate reports a valid token, then the codes of bad credentials', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Authenticate' }).click();
  await expect(page.getByText(/Token valid until/)).toBeVisible();
  await screenshot(page, 'settings');

  await page.getByLabel('Client Secret').fill('not-the-secret');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('button', { name: 'Authenticate' }).click();
  const failure = page.getByText(/Authentication failed/);
  await expect(failure).toBeVisible();
  await expect(failure).toContainText('HTTP 401');
  await expect(failure).toContainText('code 41');
});

test('the Debug page appears and disappears with its setting', async ({ oceane }) => {
  await oceane.open();
  const { page } = oceane;
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'Debug' })).toHaveCount(0);
  await goTo(page, 'Settings');
  await page.getByLabel('Display Debug Page').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await nav.getByRole('link', { name: 'Debug' }).click();
  await expect(page.getByRole('table', { name: 'Pending Ticket Creation Queue' })).toBeVisible();
  await expect(page.getByText(/Unlocked/)).toBeVisible();
  await screenshot(page, 'debug');

  await goTo(page, 'Settings');
  await page.getByLabel('Display Debug Page').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(nav.getByRole('link', { name: 'Debug' })).toHaveCount(0);
});

test('tickets and alarm properties are still there after a restart and a reload', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  const alarm = await pickAlarm(oceane);
  await fillAndSubmit(await openCreateTicket(page, alarm));
  await expect.poll(() => oceane.sim.ledger().length).toBe(1);
  const ticketId = oceane.sim.ledger()[0]!.id;
  await expect(ticketIdCell(page, alarm, ticketId)).toBeVisible();

  await oceane.restart();
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(alarm.elementName);
  await expect(ticketIdCell(page, alarm, ticketId)).toBeVisible();
  await goTo(page, 'Tickets');
  await expect(
    page.getByRole('table', { name: 'Tickets' }).getByRole('row').filter({ hasText: ticketId }),
  ).toContainText('Created');
  expect(oceane.sim.ledger()).toHaveLength(1);
});
