/**
 * Notices, the health light, the Settings layout and accessibility (issue 12), in Chromium
 * against the real services and simulator: a failure's notice leads to its row, the light
 * follows Oceane going away and coming back, Save stays reachable, and axe-core finds no
 * violation on any view or state.
 */
import type { Locator, Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import type { Alarm } from '../shared/domain.js';
import { expect, test, type Harness } from './harness/fixtures.js';
import { expectAccessible } from './harness/axe.js';
import { alarmRow, fillTicketForm, openCreateTicket, pickAlarm } from './harness/console-page.js';

const SCREENSHOTS = 'test-results/screenshots';

async function fillAndSubmit(dialog: Locator): Promise<void> {
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(dialog).toBeHidden();
}

async function createTicket(oceane: Harness, index: number): Promise<Alarm> {
  const alarm = await pickAlarm(oceane, index);
  await fillAndSubmit(await openCreateTicket(oceane.page, alarm));
  return alarm;
}

async function goTo(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: view, exact: true }).click();
}

function healthButton(page: Page): Locator {
  return page.getByRole('navigation').getByRole('button', { name: /^Oceane/ });
}

test("a failed ticket's one notice shows text, not the proxy's page, and leads to its row", async ({
  oceane,
}) => {
  await oceane.open({ retryCount: 0 });
  const { page } = oceane;
  oceane.sim.inject('create', { kind: 'status', status: 502, body: 'html' });
  const alarm = await createTicket(oceane, 0);

  const notice = page.getByRole('alert').filter({ hasText: 'Ticket not created' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('a web page from the server');
  await expect(notice).not.toContainText('<');
  // Requested, then failed: one notice for the ticket, not two.
  await expect(page.getByText(`Ticket request queued for ${alarm.elementName}`)).toHaveCount(0);
  const toasts = page.getByRole('region', { name: 'Notifications' });
  await expect(toasts.getByRole('alert')).toHaveCount(1);
  await expect(toasts.getByRole('status')).toHaveCount(0);

  await notice.getByRole('button', { name: 'Show in Failed Ticket Requests' }).click();
  await expect(page).toHaveURL(/#failed$/);
  const table = page.getByRole('table', { name: 'Failed Ticket Requests' });
  const selected = table.locator('[role="row"][aria-current="true"]');
  await expect(selected).toHaveCount(1);
  await expect(selected).toContainText('502');
  await expect(selected).toContainText(alarm.elementName);
  await expect(notice).toBeHidden();
});

test('successes fade, and the toasts stay in a small corner', async ({ oceane }) => {
  test.setTimeout(120_000);
  await oceane.open();
  const { page } = oceane;
  await page.setViewportSize({ width: 1280, height: 720 });
  oceane.sim.inject('create', { kind: 'status', status: 400, code: 24 }, 6);
  for (let i = 0; i < 6; i++) await createTicket(oceane, i);
  const region = page.getByRole('region', { name: 'Notifications' });
  await expect(region.getByRole('alert').first()).toBeVisible();
  const box = (await region.boundingBox())!;
  // At most a third of the height and of the width of a 1280×720 window.
  expect(box.height).toBeLessThanOrEqual(720 / 3);
  expect(box.width).toBeLessThanOrEqual(1280 / 3);

  await createTicket(oceane, 7);
  const created = region.getByRole('status').filter({ hasText: 'Ticket created' });
  await expect(created).toBeVisible();
  await expect(created).toBeHidden({ timeout: 10_000 });
});

test('the health light turns red when Oceane stops answering and green when it answers again', async ({
  oceane,
}) => {
  test.setTimeout(120_000);
  await oceane.open({ retryCount: 0 });
  const { page } = oceane;
  const light = healthButton(page);
  await expect(light).toHaveText('Oceane: no call yet');
  await createTicket(oceane, 0);
  await expect(light).toHaveText('Oceane OK');

  oceane.sim.inject('create', { kind: 'drop' });
  await createTicket(oceane, 1);
  await expect(light).toHaveText('Oceane down');
  await light.click();
  const details = page.getByRole('group', { name: 'Oceane connection' });
  await expect(details).toContainText('cannot be reached');
  await expect(details).toContainText('Last success');
  await expect(details).toContainText('Token valid until');
  await expectAccessible(page, 'the health popover');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  await createTicket(oceane, 2);
  await expect(light).toHaveText('Oceane OK');
});

test('Settings at 1400×900: Save and Discard in view, the token status gone with the Base URL', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  await page.setViewportSize({ width: 1400, height: 900 });
  await goTo(page, 'Settings');
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Discard changes' })).toBeInViewport();
  await page.getByRole('button', { name: 'Authenticate' }).click();
  await expect(page.getByText(/Token valid until/)).toBeVisible();
  await page.getByLabel('Base URL').fill('http://example.invalid');
  await expect(page.getByText(/Token valid until/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Discard changes' }).click();

  await page.getByLabel('Desktop notifications').uncheck();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  expect(oceane.services().connector.getSettings().element.desktopNotifications).toBe(false);
});

// axe-core takes seconds per page on a loaded machine: the states are split over three tests.
test.describe('axe-core finds no violation', () => {
  test.describe.configure({ timeout: 180_000 });

  test('on the console and on each table without rows', async ({ oceane }) => {
    await oceane.open({ retryCount: 0 });
    const { page } = oceane;
    await expect(page.getByRole('grid', { name: 'Alarms' })).toBeVisible();
    await expectAccessible(page, 'the alarm console');
    await goTo(page, 'Tickets');
    await expect(page.getByText('No tickets')).toBeVisible();
    await expectAccessible(page, 'Tickets without rows');
    await goTo(page, 'Failed Ticket Requests');
    await expect(page.getByText('No failed ticket requests')).toBeVisible();
    await expectAccessible(page, 'Failed Ticket Requests without rows');
  });

  test('on the context menu, the Create Ticket dialog and the notices', async ({ oceane }) => {
    await oceane.open({ retryCount: 0 });
    const { page } = oceane;
    const alarm = await pickAlarm(oceane, 0);
    await alarmRow(page, alarm).click({ button: 'right' });
    await expect(page.getByRole('menuitem', { name: 'Create Ticket' })).toBeVisible();
    await expectAccessible(page, 'the context menu');
    await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
    await expect(dialog).toBeVisible();
    await expectAccessible(page, 'the Create Ticket dialog');
    // Priority starts from its default in Settings: empty it to see the form's errors.
    await dialog.getByLabel('Priority').selectOption('');
    await dialog.getByRole('button', { name: 'Create Ticket' }).click();
    await expect(dialog.getByLabel('Priority')).toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'the Create Ticket dialog with errors');
    oceane.sim.inject('create', { kind: 'status', status: 403, code: 50, message: 'Denied' });
    await fillAndSubmit(dialog);
    await expect(page.getByRole('alert').filter({ hasText: 'Ticket not created' })).toBeVisible();
    await createTicket(oceane, 1);
    await expect(page.getByRole('status').filter({ hasText: 'Ticket created' })).toBeVisible();
    await expectAccessible(page, 'the console with an error and a success notice');
  });

  test('on each table with rows, Settings and Debug', async ({ oceane }) => {
    await oceane.open({ retryCount: 0 });
    const { page } = oceane;
    oceane.sim.inject('create', { kind: 'status', status: 403, code: 50, message: 'Denied' });
    await createTicket(oceane, 0);
    await createTicket(oceane, 1);
    await goTo(page, 'Tickets');
    await expect(page.getByRole('table', { name: 'Tickets' }).getByRole('row')).toHaveCount(3);
    await expectAccessible(page, 'Tickets with rows');
    await goTo(page, 'Failed Ticket Requests');
    await expect(
      page.getByRole('table', { name: 'Failed Ticket Requests' }).getByRole('row'),
    ).toHaveCount(2);
    await expectAccessible(page, 'Failed Ticket Requests with rows');
    await goTo(page, 'Settings');
    await expectAccessible(page, 'Settings');
    await page.getByLabel('Display Debug Page').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await goTo(page, 'Debug');
    await expect(page.getByRole('table', { name: 'Pending Ticket Creation Queue' })).toBeVisible();
    await expectAccessible(page, 'Debug');
  });
});

for (const size of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`screenshots of each view at ${size.width}×${size.height}`, async ({ oceane }) => {
    test.setTimeout(120_000);
    await oceane.open({ retryCount: 0 });
    const { page } = oceane;
    await page.setViewportSize(size);
    await mkdir(SCREENSHOTS, { recursive: true });
    const shot = (name: string) =>
      page.screenshot({ path: `${SCREENSHOTS}/${name}-${size.width}x${size.height}.png` });
    await createTicket(oceane, 0);
    oceane.sim.inject('create', { kind: 'status', status: 502, body: 'html' });
    await createTicket(oceane, 1);
    await expect(page.getByRole('alert').filter({ hasText: 'Ticket not created' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Filter alarms' }).fill('');
    await shot('alarm-console');
    await healthButton(page).click();
    await shot('health-popover');
    await page.keyboard.press('Escape');
    for (const [view, name] of [
      ['Tickets', 'tickets'],
      ['Failed Ticket Requests', 'failed-ticket-requests'],
      ['Settings', 'settings'],
    ] as const) {
      await goTo(page, view);
      await expect(page.getByRole('heading', { level: 1, name: view })).toBeVisible();
      await shot(name);
    }
  });
}
