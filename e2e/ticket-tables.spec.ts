/**
 * The Tickets and Failed Ticket Requests tables (issues 9 item 6 and 12 items 2 and 3), in
 * Chromium against the real services and simulator: a long table shown as windows that main
 * sorts and filters, its export as filtered and sorted read back from the downloaded files,
 * the detail panes with every attempt and Retry, and columns chosen and resized that are
 * still so after a reload, fitting 1280 px by default.
 */
import type { TicketRow } from '../shared/domain.js';
import { expectAccessible } from './harness/axe.js';
import { fillTicketForm, goTo, openCreateTicket, pickAlarm } from './harness/console-page.js';
import { download } from './harness/downloads.js';
import { expect, test, type Harness } from './harness/fixtures.js';

const BOM = '\uFEFF';

/** Queues `count` tickets straight through the connector (elements EDGE-0 … EDGE-4). */
async function queueTickets(oceane: Harness, count: number): Promise<void> {
  const connector = oceane.services().connector;
  for (let i = 0; i < count; i++) {
    const queued = await connector.createTicket({
      dmaId: '300',
      elementId: String(10 + (i % 5)),
      alarmId: String(5000 + i),
      elementName: `EDGE-${i % 5}`,
      alarmValue: i % 7 === 0 ? '=cmd|calc' : `Link down ${i}`,
      priority: 'High',
      urgency: 'Medium',
      technicalImpact: 'Major',
    });
    expect(queued.ok).toBe(true);
  }
  await connector.whenIdle();
}

test('a long Tickets table comes in windows, sorted and filtered in main, and exports as shown', async ({
  oceane,
}) => {
  test.setTimeout(120_000);
  await oceane.open();
  const { page } = oceane;
  await queueTickets(oceane, 150);
  await goTo(page, 'Tickets');
  const table = page.getByRole('table', { name: 'Tickets' });
  await expect(page.getByText('150 tickets')).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '151');
  // Sorted in main; the rows on screen and around them are in the page, not the whole table.
  await table.getByRole('button', { name: 'DMA/Alarm ID' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('300/5000');
  expect(await table.getByRole('row').count()).toBeLessThan(100);
  await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(table.getByRole('row').filter({ hasText: '300/5149' })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: '300/5000' })).toHaveCount(0);

  // Filtered in main: the window starts at the top again.
  await page.getByRole('searchbox', { name: 'Filter tickets' }).fill('edge-3');
  await expect(page.getByText('30 matching tickets')).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText('300/5003');
  await expect(table.getByRole('row').nth(1)).toContainText('EDGE-3');

  const expected = oceane
    .services()
    .connector.listTickets()
    .filter((t) => t.elementName === 'EDGE-3')
    .sort((a, b) => (a.alarmId < b.alarmId ? -1 : 1));
  const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
  expect(csv.name).toMatch(/^tickets-\d{4}-\d\d-\d\d-\d{6}\.csv$/);
  expect(csv.text.startsWith(BOM)).toBe(true);
  const lines = csv.text.slice(1).split('\r\n');
  expect(lines[0]).toMatch(/^Instance,Ticket ID,Status,Created At,DataMiner ID,Alarm ID,/);
  expect(lines.at(-1)).toBe('');
  const records = lines.slice(1, -1).map((line) => line.split(','));
  expect(records.map((r) => r[0])).toEqual(expected.map((t) => t.instance));
  expect(records.map((r) => r[1])).toEqual(expected.map((t) => t.ticketId));
  // A would-be formula is written as text.
  const formula = expected.findIndex((t) => t.rootCause.startsWith('='));
  expect(formula).toBeGreaterThanOrEqual(0);
  expect(lines[formula + 1]).toContain(`'=cmd|calc`);

  const json = await download(page, page.getByRole('button', { name: 'Export JSON' }));
  expect(json.name).toMatch(/\.json$/);
  const rows = JSON.parse(json.text) as TicketRow[];
  expect(rows).toEqual(expected);
});

test('the detail panes show the whole failure, the alarm, every attempt, and Retry', async ({
  oceane,
}) => {
  test.setTimeout(90_000);
  await oceane.open({ retryCount: 1 });
  const { page } = oceane;
  oceane.sim.inject(
    'create',
    {
      kind: 'status',
      status: 503,
      code: 5,
      message: 'Service unavailable',
      description: 'The ticketing back end is in maintenance until 22:00, try again later',
      retryAfter: '1',
    },
    2,
  );
  const alarm = await pickAlarm(oceane);
  const dialog = await openCreateTicket(page, alarm);
  await fillTicketForm(dialog);
  await dialog.getByRole('button', { name: 'Create Ticket' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Ticket not created' })).toBeVisible({
    timeout: 20_000,
  });

  await goTo(page, 'Failed Ticket Requests');
  const table = page.getByRole('table', { name: 'Failed Ticket Requests' });
  await table
    .getByRole('row')
    .nth(1)
    .getByRole('button', { name: /^Details/ })
    .click();
  const pane = page.getByRole('complementary', { name: 'Failed request details' });
  await expect(pane).toContainText('The ticketing back end is in maintenance until 22:00');
  await expect(pane).toContainText(alarm.elementName);
  await expect(pane).toContainText(alarm.parameter);
  await expect(pane).toContainText(alarm.severity);
  await expect(pane).toContainText(`${alarm.dmaId}/${alarm.alarmId}`);
  const attempts = pane.getByRole('list', { name: 'Attempts' }).getByRole('listitem');
  await expect(attempts.filter({ hasText: 'Create · HTTP 503' })).toHaveCount(2);
  await expectAccessible(page, 'the Failed Ticket Requests detail pane');
  await pane.getByRole('button', { name: 'Close' }).click();
  const widths = await table.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(widths[0], 'the table fits 1280 px').toBeLessThanOrEqual(widths[1]!);
  await table.getByRole('row').nth(1).click();

  await pane.getByRole('button', { name: 'Retry' }).click();
  await expect.poll(() => oceane.sim.ledger().length, { timeout: 20_000 }).toBe(1);
  const ticketId = oceane.sim.ledger()[0]!.id;
  await goTo(page, 'Tickets');
  const row = page.getByRole('table', { name: 'Tickets' }).getByRole('row').nth(1);
  await expect(row.getByRole('link', { name: ticketId })).toBeVisible();
  await row.getByRole('button', { name: /^Details/ }).click();
  const ticketPane = page.getByRole('complementary', { name: 'Ticket details' });
  await expect(ticketPane.getByRole('link', { name: ticketId })).toBeVisible();
  await expect(ticketPane).toContainText(alarm.parameter);
  await expect(
    ticketPane.getByRole('listitem').filter({ hasText: `Created ticket ${ticketId}` }),
  ).toHaveCount(1);
  await expectAccessible(page, 'the Tickets detail pane');
});

test('the default columns fit 1280 px; chosen columns and widths stay after a reload', async ({
  oceane,
}) => {
  await oceane.open();
  const { page } = oceane;
  await page.setViewportSize({ width: 1280, height: 720 });
  await queueTickets(oceane, 3);
  await goTo(page, 'Tickets');
  const table = page.getByRole('table', { name: 'Tickets' });
  await expect(table.getByRole('row')).toHaveCount(4);
  const widths = await table.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(widths[0], 'the table is no wider than its room').toBeLessThanOrEqual(widths[1]!);
  await expect(table.getByRole('columnheader', { name: /^Status/ })).toBeInViewport();

  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Instance' }).check();
  await expect(table.getByRole('columnheader', { name: 'Instance' })).toBeVisible();
  const resizer = table.getByRole('separator', { name: 'Resize Element Name' });
  // Element Name starts at 135 px: one step of 10, one Shift step of 40.
  await resizer.focus();
  await resizer.press('ArrowRight');
  await resizer.press('Shift+ArrowRight');
  await expect(resizer).toHaveAttribute('aria-valuenow', '185');
  await expectAccessible(page, 'the Tickets column chooser');

  await page.reload();
  await goTo(page, 'Tickets');
  await expect(table.getByRole('columnheader', { name: 'Instance' })).toBeVisible();
  await expect(table.getByRole('separator', { name: 'Resize Element Name' })).toHaveAttribute(
    'aria-valuenow',
    '185',
  );
});
