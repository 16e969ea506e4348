import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleServices } from './console-services.js';
import { CONSOLE_SETTINGS_FILE } from './console-settings.js';
import { MockDataMiner } from './mock-dataminer.js';

let dir: string;
let dm: MockDataMiner;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'console-services-'));
  dm = await MockDataMiner.open({ dataDir: dir, initialAlarms: 10, changesPerSecond: 0 });
});

afterEach(async () => {
  await dm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('console settings', () => {
  it('start from defaults: the login name, Medium/Medium, impact following the severity', async () => {
    const s = (await openConsoleServices(dir, dm)).getConsoleSettings();
    expect(s.operatorName.length).toBeGreaterThan(0);
    expect(s.defaultPriority).toBe('Medium');
    expect(s.defaultUrgency).toBe('Medium');
    expect(s.impactBySeverity).toMatchObject({ Critical: 'Critical', Minor: 'Minor' });
  });

  it('are saved in their own file and read back after a restart', async () => {
    const first = await openConsoleServices(dir, dm);
    const result = await first.updateConsoleSettings({
      operatorName: 'Camille Martin',
      defaultPriority: 'High',
      impactBySeverity: { ...first.getConsoleSettings().impactBySeverity, Warning: 'Minor' },
    });
    expect(result.ok).toBe(true);
    const onDisk = JSON.parse(await readFile(path.join(dir, CONSOLE_SETTINGS_FILE), 'utf8')) as {
      operatorName: string;
    };
    expect(onDisk.operatorName).toBe('Camille Martin');
    const again = (await openConsoleServices(dir, dm)).getConsoleSettings();
    expect(again.operatorName).toBe('Camille Martin');
    expect(again.defaultPriority).toBe('High');
    expect(again.impactBySeverity.Warning).toBe('Minor');
  });

  it('refuses an empty operator name and keeps the previous settings', async () => {
    const services = await openConsoleServices(dir, dm);
    const before = services.getConsoleSettings();
    const result = await services.updateConsoleSettings({ operatorName: '   ' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fields?.operatorName).toMatch(/required/);
    expect(services.getConsoleSettings()).toEqual(before);
  });

  it('move a damaged file aside and start from defaults', async () => {
    await writeFile(path.join(dir, CONSOLE_SETTINGS_FILE), '{"operatorName": 42}');
    const services = await openConsoleServices(dir, dm);
    expect(services.recovery).toMatch(/\.broken-/);
    expect(typeof services.getConsoleSettings().operatorName).toBe('string');
  });
});

describe('operator actions', () => {
  it('act on every alarm given, as the operator named in the settings', async () => {
    const services = await openConsoleServices(dir, dm);
    await services.updateConsoleSettings({ operatorName: 'Noor' });
    const keys = dm
      .list()
      .slice(0, 3)
      .map(({ dmaId, alarmId }) => ({ dmaId, alarmId }));
    const result = await services.actOnAlarms({ keys, action: 'take-ownership' });
    expect(result).toEqual({ ok: true, value: { changed: 3, missing: [] } });
    for (const k of keys) expect(dm.find(k.dmaId, k.alarmId)?.state?.owner).toBe('Noor');
  });
});
