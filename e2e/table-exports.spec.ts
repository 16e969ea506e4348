/**
 * Exports in Chromium against the real services (issue 12 item 3): the Failed Ticket Requests
 * table, filtered and sorted, read back from the downloaded CSV and JSON files and compared with
 * main's rows; and a large Tickets export formatted in the export worker while the UI keeps
 * drawing frames and showing its progress.
 */
import type { FailedRequestRow } from '../shared/domain.js';
import { makePrefillData, writePrefill } from '../bench/fixtures.js';
import { ConfSettingsStore } from '../electron/connector/conf-settings-store.js';
import { defaultSettings } from '../electron/connector/settings-service.js';
import { goTo } from './harness/console-page.js';
import { download, readCsv } from './harness/downloads.js';
import { expect, test } from './harness/fixtures.js';

const BOM = '\uFEFF';

test('the Failed Ticket Requests export is the table as filtered and sorted, in CSV and JSON', async ({
  oceane,
}) => {
  test.setTimeout(120_000);
  await oceane.open({ retryCount: 0 });
  const { page } = oceane;
  const connector = oceane.services().connector;
  for (let i = 0; i < 12; i++) {
    oceane.sim.inject('create', {
      kind: 'status',
      status: i % 2 ? 422 : 400,
      code: 20 + (i % 4),
      message: i % 3 === 2 ? `Quota exceeded ${i}` : `Refused, field ${i} "invalid"`,
      description: i === 4 ? '=SUM(A1:A9)' : `Line one\nline two ${i}`,
    });
    const queued = await connector.createTicket({
      dmaId: '300',
      elementId: String(10 + i),
      alarmId: String(7000 + i),
      elementName: `CORE-${i}`,
      priority: 'High',
      urgency: 'Medium',
      technicalImpact: 'Major',
    });
    expect(queued.ok).toBe(true);
    await connector.whenIdle();
  }
  expect(connector.listFailedRequests()).toHaveLength(12);

  await goTo(page, 'Failed Ticket Requests');
  const table = page.getByRole('table', { name: 'Failed Ticket Requests' });
  await page.getByRole('searchbox', { name: 'Filter failed ticket requests' }).fill('refused');
  await expect(page.getByText('8 matching failed requests')).toBeVisible();
  await table.getByRole('button', { name: 'App Code' }).click();
  await expect(table.getByRole('columnheader', { name: /App Code/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  const byCodeThenInstance = (a: FailedRequestRow, b: FailedRequestRow): number =>
    a.appErrorCode.localeCompare(b.appErrorCode) || (a.instance < b.instance ? -1 : 1);
  const expected = connector
    .listFailedRequests()
    .filter((r) => r.errorMessage.startsWith('Refused'))
    .sort(byCodeThenInstance);
  expect(expected).toHaveLength(8);

  const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
  expect(csv.name).toMatch(/^failed-ticket-requests-\d{4}-\d\d-\d\d-\d{6}\.csv$/);
  expect(csv.text.startsWith(BOM)).toBe(true);
  const [header, ...records] = readCsv(csv.text.slice(1));
  expect(header).toEqual([
    'Instance',
    'Ticket Instance',
    'Failed At',
    'Element Name',
    'DataMiner ID',
    'Alarm ID',
    'Parameter',
    'Severity',
    'HTTP Error Code',
    'App Error Code',
    'Failed Call',
    'Error Message',
    'Error Description',
  ]);
  expect(records).toEqual(
    expected.map((r) => [
      r.instance,
      r.ticketInstance,
      r.failedAt,
      r.elementName ?? '',
      r.dmaId ?? '',
      r.alarmId ?? '',
      r.parameter ?? '',
      r.severity ?? '',
      String(r.httpErrorCode),
      r.appErrorCode,
      r.failedCall ?? 'create',
      r.errorMessage,
      // A would-be formula is written as text.
      r.errorDescription.startsWith('=') ? `'${r.errorDescription}` : r.errorDescription,
    ]),
  );
  expect(records.map((r) => r[12])).toContain("'=SUM(A1:A9)");
  expect(records.map((r) => r[3])).toContain('CORE-0');

  const json = await download(page, page.getByRole('button', { name: 'Export JSON' }));
  expect(json.name).toMatch(/^failed-ticket-requests-.*\.json$/);
  expect(JSON.parse(json.text)).toEqual(expected);
});

test('a large export is formatted in a worker while the UI keeps drawing its progress', async ({
  oceane,
}) => {
  test.setTimeout(180_000);
  const rows = 20_000;
  // Kept whole: the default count limit (1,000 rows) would prune the table when it opens.
  const settings = defaultSettings();
  new ConfSettingsStore(oceane.dataDir).write({
    ...settings,
    element: { ...settings.element, ticketStorageCountLimit: 100_000 },
  });
  await writePrefill(
    makePrefillData({ created: rows, pending: 0, baseUrl: oceane.sim.url }),
    oceane.dataDir,
  );
  await oceane.open();
  const { page } = oceane;
  await goTo(page, 'Tickets');
  await expect(page.getByText(`${rows.toLocaleString('en-US')} tickets`)).toBeVisible();

  // Counts the frames drawn while the export's progress is on screen, and what it said.
  await page.evaluate(() => {
    const probe = { frames: 0, texts: [] as string[] };
    (window as unknown as { __exportProbe: typeof probe }).__exportProbe = probe;
    const tick = (): void => {
      const status = document.querySelector('.export-status')?.textContent;
      if (status) {
        probe.frames++;
        if (probe.texts.at(-1) !== status) probe.texts.push(status);
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const worker = page.waitForEvent('worker');
  const csv = await download(page, page.getByRole('button', { name: 'Export CSV' }));
  expect((await worker).url()).toMatch(/\/assets\/export-worker-[\w-]+\.js$/);
  const probe = await page.evaluate(
    () =>
      (window as unknown as { __exportProbe: { frames: number; texts: string[] } }).__exportProbe,
  );
  // The UI drew frames during the export and showed it advancing window by window.
  expect(probe.frames).toBeGreaterThan(1);
  expect(probe.texts.some((t) => /^Exporting [1-9][\d,]* of 20,000 rows/.test(t))).toBe(true);
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  expect(csv.text.startsWith(BOM)).toBe(true);
  const lines = csv.text.split('\r\n');
  expect(lines).toHaveLength(rows + 2); // header, the rows, the empty string after the last CRLF
  expect(new Set(lines.slice(1, -1).map((l) => l.split(',')[0])).size).toBe(rows);
});
