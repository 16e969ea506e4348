import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../shared/domain.js';
import type { AppServices } from '../app-services.js';
import { createTestAppServices } from '../app-services-test-support.js';
import { FakeClock } from '../connector/fake-clock.js';
import { simulatorSettings } from '../connector/test-support.js';
import { startSimulator, type RunningSimulator } from '../oceane-simulator/index.js';
import { CONNECTOR_ELEMENT, CONNECTOR_PARAMETER } from './connector-alarm.js';
import { HEALTH_EMIT_DELAY_MS } from './integration-health.js';

const MINUTE = 60_000;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** The services on a fake clock, against the real simulator over HTTP. */
async function start() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-connector-alarm-'));
  const clock = new FakeClock(Date.now());
  let sim: RunningSimulator = await startSimulator({ port: 0 });
  const port = Number(new URL(sim.url).port);
  cleanup.push(() => sim.close());
  const services: AppServices = await createTestAppServices({
    dataDir,
    clock,
    alarms: { initialAlarms: 5, changesPerSecond: 0 },
  });
  cleanup.push(() => services.close());
  const configured = await services.connector.updateSettings(simulatorSettings(sim.url, 0));
  if (!configured.ok) throw new Error(configured.error.message);
  const seen: Alarm[][] = [];
  services.subscribe((channel, payload) => {
    if (channel === 'alarms:changed') seen.push((payload as { upserted: Alarm[] }).upserted);
  });
  return {
    services,
    clock,
    seen,
    /** The Authenticate button: one real call to Oceane, which feeds the light. */
    async authenticate() {
      await services.router.handle('auth:authenticate', undefined);
      await clock.advanceAsync(HEALTH_EMIT_DELAY_MS);
    },
    async stopOceane() {
      await sim.close();
    },
    async restartOceane() {
      sim = await startSimulator({ port });
    },
    connectorAlarm(): Alarm | undefined {
      return services.alarms
        .list()
        .find(
          (a) =>
            a.elementName === CONNECTOR_ELEMENT.elementName && a.parameter === CONNECTOR_PARAMETER,
        );
    },
  };
}

describe('the Oceane Connector alarm', () => {
  it('is raised after 5 minutes without Oceane, and clears when Oceane answers again', async () => {
    const s = await start();
    await s.authenticate();
    expect((await s.services.router.handle('health:get', undefined)).ok).toBe(true);
    expect(s.services.health.view().level).toBe('green');
    await s.stopOceane();
    await s.authenticate();
    expect(s.services.health.view().level).toBe('red');

    await s.clock.advanceAsync(5 * MINUTE - HEALTH_EMIT_DELAY_MS - 1_000);
    expect(s.connectorAlarm()).toBeUndefined();
    await s.clock.advanceAsync(1_000);
    const raised = s.connectorAlarm();
    expect(raised).toMatchObject({ severity: 'Major', elementName: 'Oceane Connector' });
    expect(raised?.value).toMatch(/^Oceane unreachable since \d{4}-\d\d-\d\dT/);
    expect(raised?.state?.clearedAt ?? null).toBeNull();
    // The console hears it like any other alarm.
    await s.clock.advanceAsync(100);
    expect(s.seen.flat().some((a) => a.elementName === 'Oceane Connector')).toBe(true);

    // Still unreachable: one alarm, not one per failed call.
    await s.authenticate();
    await s.clock.advanceAsync(MINUTE);
    expect(
      s.services.alarms.list().filter((a) => a.elementName === 'Oceane Connector'),
    ).toHaveLength(1);

    await s.restartOceane();
    await s.authenticate();
    expect(s.services.health.view().level).toBe('green');
    const cleared = s.connectorAlarm();
    expect(cleared?.severity).toBe('Normal');
    expect(cleared?.state?.clearedAt).toBeTruthy();
  });

  it('is not raised when Oceane answers again within the setting', async () => {
    const s = await start();
    const update = await s.services.router.handle('console-settings:update', {
      connectorAlarmMinutes: 2,
    });
    expect(update.ok).toBe(true);
    await s.stopOceane();
    await s.authenticate();
    await s.clock.advanceAsync(MINUTE);
    await s.restartOceane();
    await s.authenticate();
    await s.clock.advanceAsync(10 * MINUTE);
    expect(s.connectorAlarm()).toBeUndefined();

    // A new run of failures counts from its own start, with the new setting.
    await s.stopOceane();
    await s.authenticate();
    await s.clock.advanceAsync(2 * MINUTE);
    expect(s.connectorAlarm()?.severity).toBe('Major');
  });
});
