/**
 * The console benchmarks' issue-11 scenarios: a selection of many rows made as an operator
 * makes it (click the first row, scroll, Shift+click the last), and live windows in which the
 * rows hold still (the pointer over the focused grid) and the held changes are applied at
 * once half-way through, when the pointer leaves.
 */
import type { ConsolePage } from './console-bench.js';

const GRID = '[role="grid"][aria-label="Alarms"]';

/**
 * Selects the first `rows` rows (click, then Shift+click); returns how many the console says
 * are selected (the detail pane's "Actions apply to the N selected alarms"), 0 when none.
 */
export async function selectRows(target: ConsolePage, rows: number): Promise<number> {
  const { page } = target;
  await page.locator(`${GRID} [data-alarm-key]`).first().click();
  const rowHeight = await page
    .locator(`${GRID} [data-alarm-key]`)
    .first()
    .evaluate((r) => r.getBoundingClientRect().height);
  await page.evaluate(
    ([sel, top]) => {
      const grid = document.querySelector(sel);
      if (grid) grid.scrollTop = top;
    },
    [GRID, Math.max(0, (rows - 5) * rowHeight)] as const,
  );
  const last = page.locator(`${GRID} [aria-rowindex="${rows + 1}"]`);
  await last.waitFor();
  await last.click({ modifiers: ['Shift'] });
  // Only rendered rows are in the DOM: the count comes from the detail pane's sentence (the
  // pane is opened for it, and closed again if it was closed).
  const details = page.getByRole('button', { name: 'Details', exact: true });
  const wasOpen = (await details.getAttribute('aria-pressed')) === 'true';
  if (!wasOpen) await details.click();
  const note = page.getByText(/Actions apply to the \d+ selected alarms/);
  const selected = await note
    .textContent({ timeout: 10_000 })
    .then((t) => Number(/\d+/.exec(t ?? '')?.[0] ?? 0))
    .catch(() => 0);
  if (!wasOpen) await details.click();
  await page.evaluate((sel) => {
    const grid = document.querySelector(sel);
    if (grid) grid.scrollTop = 0;
  }, GRID);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.__bench.settle(2));
  return selected;
}

/**
 * Frame intervals over `durationMs` while `changesPerSecond` changes arrive and the rows hold
 * still (pointer over the focused grid); the pointer leaves half-way, so every held change
 * is applied in one go inside the measured window. Returns the frames and the most changes
 * that waited at once, as the marker showed them.
 */
export async function heldLiveFrames(
  target: ConsolePage,
  durationMs: number,
  changesPerSecond: number,
): Promise<{ frames: number[]; changes: number; heldMax: number }> {
  const { page } = target;
  const box = await page.locator(GRID).boundingBox();
  if (!box) throw new Error('No alarm grid');
  await page.locator(GRID).focus();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  let changes = 0;
  let heldMax = 0;
  const perTick = changesPerSecond / 10;
  let carry = 0;
  const timer = setInterval(() => {
    carry += perTick;
    const count = Math.floor(carry);
    carry -= count;
    if (count > 0) {
      target.services.alarms.tick(count);
      changes += count;
    }
  }, 100);
  const release = setTimeout(() => {
    void page
      .locator('.held-marker')
      .textContent({ timeout: 500 })
      .then((t) => {
        heldMax = Math.max(heldMax, Number(/\d+/.exec(t ?? '')?.[0] ?? 0));
      })
      .catch(() => undefined)
      .finally(() => void page.mouse.move(0, 0));
  }, durationMs / 2);
  try {
    const frames = await page.evaluate((d) => window.__bench.frames(d), durationMs);
    return { frames, changes, heldMax };
  } finally {
    clearInterval(timer);
    clearTimeout(release);
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.__bench.settle(2));
  }
}
