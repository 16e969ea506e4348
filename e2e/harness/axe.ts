/** axe-core on the page as it is now, in the browser journeys (issue 12: 0 violations). */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/** The rules' ids and targets axe-core finds on the page as it is now (none expected). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Fails the test with the violations found on `state`, if any. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  expect(await axeViolations(page), `axe-core on ${state}`).toEqual([]);
}
