/**
 * The alarm console an operator can work in (issue 11), in Chromium against the real
 * services: alarm state (acknowledge, own, comment, clear), several alarms at once, rows that
 * hold still while the operator works, reading at a glance, the view kept across a restart,
 * and the Create Ticket dialog's defaults. Screenshots at 1280x720 and 1920x1080.
 */
import type { Locator, Page } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import type { Alarm } from '../shared/domain.js';
import { expect, test } from './harness/fixtures.js';

const SCREENSHOTS = 'test-results/screenshots';
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

/** Screenshots of the page at both sizes. */
async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size.width}x${size.height}.png` });
  }
}

function grid(page: Page): Locator {
  return page.getByRole('grid', { name: 'Alarms' });
}

/** The row of `alarm` (by its element and root Alarm ID). */
function alarmRow(page: Page, alarm: Alarm): Locator {
  return grid(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: alarm.elementName, exact: true }) })
    .filter({ has: page.getByRole('gridcell', { name: alarm.alarmId, exact: true }) });
}

function bodyRows(page: Page): Locator {
  return grid(page).locator('.alarm-body [role="row"]');
}

test('an operator acknowledges, owns and comments an alarm, by menu and by keyboard', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  // The operator's name comes from Settings.
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Operator name').fill('Camille');
  await page.getByRole('button', { name: 'Save Alarm Console settings' }).click();
  await expect(page.getByText('Alarm Console settings saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Alarm Console', exact: true }).click();
  const alarm = oceane.services().alarms.list()[0]!;
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(alarm.elementName);
  const row = alarmRow(page, alarm);

  await row.click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Acknowledge/ }).click();
  await expect(row.getByRole('gridcell', { name: /Camille/ }).first()).toBeVisible();
  expect(oceane.services().alarms.find(alarm.dmaId, alarm.alarmId)?.state?.acknowledgedBy).toBe(
    'Camille',
  );

  // Keyboard: O takes ownership of the focused alarm, C opens the comment dialog.
  await row.click();
  await page.keyboard.press('o');
  await expect
    .poll(() => oceane.services().alarms.find(alarm.dmaId, alarm.alarmId)?.state?.owner)
    .toBe('Camille');
  await page.keyboard.press('c');
  const dialog = page.getByRole('dialog', { name: 'Add Comment' });
  await dialog.getByLabel('Comment').fill('Fibre cut near the POP, field team called');
  await dialog.getByRole('button', { name: 'Add Comment' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Details' }).click();
  const pane = page.getByRole('complementary', { name: 'Alarm details' });
  await expect(pane.getByText('Fibre cut near the POP, field team called')).toBeVisible();
  await expect(pane.getByText(/^Camille,/).first()).toBeVisible();
  await expect(pane.getByRole('definition').filter({ hasText: /^Camille$/ })).toBeVisible();
  await screenshots(page, 'console-detail-pane');

  // Shift+A unacknowledges, Shift+O releases.
  await grid(page).focus();
  await page.keyboard.press('Shift+A');
  await page.keyboard.press('Shift+O');
  await expect
    .poll(() => oceane.services().alarms.find(alarm.dmaId, alarm.alarmId)?.state?.owner ?? null)
    .toBeNull();
  await expect(pane.getByRole('definition').filter({ hasText: /^No$/ })).toBeVisible();
});

test('an alarm back to normal shows as Cleared, and an update keeps its row', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  await expect(bodyRows(page).first()).toBeVisible();
  const change = oceane.services().alarms.tick(40);
  const cleared = change.upserted.find((a) => a.state?.clearedAt);
  expect(cleared).toBeDefined();
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(cleared!.elementName);
  const row = alarmRow(page, cleared!);
  await expect(row.getByRole('gridcell', { name: 'Cleared' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /Cleared/ })).toBeVisible();
});

test('several alarms are selected with Shift, Ctrl and Ctrl+A and acknowledged at once', async ({
  oceane,
}) => {
  await oceane.open({ alarms: 40 });
  const { page } = oceane;
  const rows = bodyRows(page);
  await rows.nth(0).click();
  await rows.nth(3).click({ modifiers: ['Shift'] });
  await rows.nth(6).click({ modifiers: ['Control'] });
  await expect(grid(page).locator('[role="row"][aria-selected="true"]')).toHaveCount(5);
  await page.keyboard.press('Shift+ArrowDown');
  await expect(grid(page).locator('[role="row"][aria-selected="true"]')).toHaveCount(2);

  await page.keyboard.press('Control+a');
  const visibleCount = await rows.count();
  await expect(grid(page).locator('[role="row"][aria-selected="true"]')).toHaveCount(visibleCount);
  await rows.nth(2).click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Acknowledge \(40\)/ }).click();
  await expect
    .poll(
      () =>
        oceane
          .services()
          .alarms.list()
          .filter((a) => a.state?.acknowledgedBy).length,
    )
    .toBe(40);
  // With several selected, Create Ticket says it acts on the right-clicked alarm only.
  await rows.nth(2).click({ button: 'right' });
  await expect(page.getByText(/act on the alarm you right-clicked only/)).toBeVisible();
  await screenshots(page, 'console-multi-select');
  await page.keyboard.press('Escape');
});

test('live changes are held while the menu is open, counted, and applied when it closes', async ({
  oceane,
}) => {
  await oceane.open({ alarms: 60 });
  const { page } = oceane;
  // A resize closes the menu, so this journey stays at one size.
  await page.setViewportSize(SIZES[0]);
  const first = bodyRows(page).first();
  await first.click({ button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  const menuBox = await menu.boundingBox();
  const key = await first.getAttribute('data-alarm-key');
  oceane.services().alarms.tick(30);
  const marker = page.getByRole('status').filter({ hasText: /held while you work/ });
  await expect(marker).toBeVisible();
  // The row under the menu has not moved, and neither has the menu.
  expect(await bodyRows(page).first().getAttribute('data-alarm-key')).toBe(key);
  expect(await menu.boundingBox()).toEqual(menuBox);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/console-held-updates-1280x720.png` });
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);
  await expect(marker).toBeHidden();
  await expect(grid(page).locator('.alarm-row.flash').first()).toBeAttached();
});

test('the console reads at a glance and keeps its view across a restart', async ({ oceane }) => {
  await oceane.open({ alarms: 80 });
  const { page } = oceane;
  const services = oceane.services();
  const all = services.alarms.list();
  const critical = all.filter((a) => a.severity === 'Critical').length;
  // Counts on the toggles, "N alarms", default order severity then time.
  await expect(page.getByRole('checkbox', { name: `Critical ${critical}` })).toBeVisible();
  await expect(page.getByText('80 alarms')).toBeVisible();
  await expect(bodyRows(page).first().getByRole('gridcell').nth(3)).toHaveText('Critical');
  const box = await grid(page).boundingBox();
  await page.setViewportSize({ width: 1280, height: 720 });
  const scroll = await grid(page).evaluate((g) => g.scrollWidth - g.clientWidth);
  expect(scroll).toBeLessThanOrEqual(0);
  expect(box).not.toBeNull();

  await page.keyboard.press('Control+f');
  await expect(page.getByRole('searchbox', { name: 'Filter alarms' })).toBeFocused();
  await page.getByRole('checkbox', { name: /^Warning/ }).uncheck();
  const warnings = all.filter((a) => a.severity === 'Warning').length;
  await expect(page.getByText(`${80 - warnings} of 80`)).toBeVisible();
  await page.getByRole('button', { name: 'Parameter' }).click();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Owner' }).uncheck();
  await screenshots(page, 'alarm-console-1');

  await oceane.restart();
  await expect(page.getByText(`${80 - warnings} of 80`)).toBeVisible();
  await expect(page.getByRole('checkbox', { name: /^Warning/ })).not.toBeChecked();
  await expect(page.getByRole('columnheader', { name: /Parameter/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await expect(page.getByRole('columnheader', { name: 'Owner' })).toHaveCount(0);
});

test('the Create Ticket dialog shows parameter and severity and starts from the defaults', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  await oceane.services().router.handle('console-settings:update', {
    defaultPriority: 'High',
    defaultUrgency: 'Low',
  });
  await page.reload();
  const alarm = oceane
    .services()
    .alarms.list()
    .find((a) => a.severity === 'Major')!;
  await page.getByRole('searchbox', { name: 'Filter alarms' }).fill(alarm.elementName);
  await alarmRow(page, alarm).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Ticket' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create Ticket' });
  await expect(dialog.getByText(alarm.parameter, { exact: true })).toBeVisible();
  await expect(dialog.getByText('Major', { exact: true }).first()).toBeVisible();
  await expect(dialog.getByLabel('Priority')).toHaveValue('High');
  await expect(dialog.getByLabel('Urgency')).toHaveValue('Low');
  await expect(dialog.getByLabel('Technical Impact')).toHaveValue('Major');
  await screenshots(page, 'create-ticket-dialog-defaults');
});
