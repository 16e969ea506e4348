/**
 * Issue 12 point 4 and issue 14 in Chromium against the real services: the health light turns
 * red and the "Oceane Connector" alarm appears in the console when Oceane stays unreachable,
 * both clear when it answers again; and Settings → Team tests a connection to a real
 * (embedded) PostgreSQL.
 */
import type { Locator, Page } from '@playwright/test';
import { startTestPostgres } from '../electron/team/test-postgres.js';
import { expect, test } from './harness/fixtures.js';
import { healthLight, requestTicket } from './harness/console-page.js';

function connectorRow(page: Page): Locator {
  return page
    .getByRole('grid', { name: 'Alarms' })
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: 'Oceane Connector', exact: true }) });
}

test('the light turns red and the Oceane Connector alarm appears, both clear when Oceane returns', async ({
  oceane,
}) => {
  test.setTimeout(90_000);
  await oceane.open({ retryCount: 0, connectorAlarmMs: 1_500 });
  const { page } = oceane;
  await requestTicket(oceane, 0);
  await expect(healthLight(page)).toHaveText('Oceane OK');

  oceane.sim.inject('create', { kind: 'drop' });
  await requestTicket(oceane, 1);
  await expect(healthLight(page)).toHaveText('Oceane down');
  const search = page.getByRole('searchbox', { name: 'Filter alarms' });
  await search.fill('Oceane Connector');
  await expect(connectorRow(page)).toBeVisible();
  await expect(connectorRow(page)).toContainText('Oceane unreachable since');
  await expect(connectorRow(page)).toContainText('Major');

  await requestTicket(oceane, 2);
  await expect(healthLight(page)).toHaveText('Oceane OK');
  await search.fill('Oceane Connector');
  await expect(connectorRow(page)).toContainText('Oceane answers');
  const alarm = oceane
    .services()
    .alarms.list()
    .find((a) => a.elementName === 'Oceane Connector');
  expect(alarm?.state?.clearedAt).toBeTruthy();
});

test('Settings → Team tests the connection to PostgreSQL and keeps the password write-only', async ({
  oceane,
}) => {
  test.setTimeout(90_000);
  const pg = await startTestPostgres();
  try {
    await oceane.open();
    const { page } = oceane;
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click();
    const team = page.getByRole('group', { name: 'Team' });
    await team
      .getByLabel('PostgreSQL URL')
      .fill(`postgres://${pg.user}@${pg.host}:${pg.port}/postgres`);
    await team.getByLabel('TLS').selectOption('off');
    await team.getByLabel('PostgreSQL password').fill('wrong-password');
    await team.getByRole('button', { name: 'Test connection' }).click();
    await expect(team.getByRole('status')).toContainText(
      'PostgreSQL refused the user name or password',
    );

    await team.getByLabel('PostgreSQL password').fill(pg.password);
    await team.getByRole('button', { name: 'Test connection' }).click();
    await expect(team.getByRole('status')).toHaveText(
      /^Connected to PostgreSQL \d+\.\d+.* \(without TLS\)\.$/,
    );

    await page.getByRole('button', { name: 'Save Team settings' }).click();
    await expect(page.getByText('Team settings saved.', { exact: false })).toBeVisible();
    await expect(team.getByTestId('team-password-status')).toHaveText('set');
    await expect(team.getByLabel('PostgreSQL password')).toHaveValue('');
    const view = await oceane.services().router.handle('team:get', undefined);
    expect(JSON.stringify(view)).not.toContain(pg.password);
  } finally {
    await pg.stop();
  }
});
