/**
 * The app's services with the DataMiner address set (issue 14, point 5): the alarms, the
 * operator actions and the connector's alarm come from and go to the team's DataMiner, and
 * the console says when that DataMiner cannot be reached.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../shared/domain.js';
import { MockDataMiner } from './alarms/mock-dataminer.js';
import { CONSOLE_SETTINGS_FILE } from './alarms/console-settings.js';
import type { AppServices } from './app-services.js';
import { createTestAppServices } from './app-services-test-support.js';
import { startDataMinerServer } from './dataminer/dataminer-server.js';
import { eventually } from './dataminer/eventually.js';
import { freePort } from './team/test-postgres.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function services(dataMinerUrl: string): Promise<AppServices> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-console-'));
  await writeFile(path.join(dataDir, CONSOLE_SETTINGS_FILE), JSON.stringify({ dataMinerUrl }));
  const s = await createTestAppServices({ dataDir });
  cleanup.push(() => s.close());
  return s;
}

describe('a console whose DataMiner address is set', () => {
  it("shows the team DataMiner's alarms and acts on them there", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-dataminer-'));
    const dm = await MockDataMiner.open({ dataDir: dir, initialAlarms: 12, changesPerSecond: 0 });
    cleanup.push(() => dm.close());
    const server = await startDataMinerServer(dm);
    cleanup.push(() => server.close());

    const s = await services(server.url);
    const listed = await s.router.handle('alarms:list', undefined);
    expect(listed.ok && listed.value).toHaveLength(12);
    const target = dm.list()[3]!;
    const acted = await s.router.handle('alarms:act', {
      keys: [{ dmaId: target.dmaId, alarmId: target.alarmId }],
      action: 'take-ownership',
    });
    expect(acted).toEqual({ ok: true, value: { changed: 1, missing: [] } });
    expect(dm.find(target.dmaId, target.alarmId)?.state?.owner).toBeTruthy();
    await eventually(
      'the owner on the console',
      () => s.alarms.find(target.dmaId, target.alarmId)?.state?.owner,
    );
    // The connector alarm is raised on the team's DataMiner, where every console sees it.
    s.alarms.setSystemAlarm({
      elementId: '1',
      elementName: 'Oceane Connector',
      parameter: 'Oceane Reachability',
      severity: 'Major',
      value: 'Oceane unreachable since 2025-01-01T00:00:00Z',
    });
    await eventually('the change', () =>
      dm.list().find((a) => a.elementName === 'Oceane Connector'),
    );
  });

  it('starts without it, says so, and says so again when it is back', async () => {
    const port = await freePort();
    const s = await services(`http://127.0.0.1:${port}`);
    const info = await s.router.handle('app:info', undefined);
    const notices = info.ok ? (info.value as { notices: Notice[] }).notices : [];
    const down = notices.find((n) => n.id === 'dataminer-connection');
    expect(down?.title).toBe('The DataMiner cannot be reached');
    expect(down?.message).toMatch(
      new RegExp(`^The DataMiner at http://127\\.0\\.0\\.1:${port} cannot be reached \\(`),
    );
    expect(down?.message).toContain('reconnects by itself');
    const heard: Notice[] = [];
    s.subscribe((channel, payload) => {
      if (channel === 'notice') heard.push(payload as Notice);
    });

    const dir = await mkdtemp(path.join(tmpdir(), 'oceane-dataminer-'));
    const dm = await MockDataMiner.open({ dataDir: dir, initialAlarms: 5, changesPerSecond: 0 });
    cleanup.push(() => dm.close());
    const server = await startDataMinerServer(dm, { port });
    cleanup.push(() => server.close());
    const back = await eventually('the change', () =>
      heard.find((n) => n.title === 'Connected to the DataMiner'),
    );
    expect(back.level).toBe('success');
    expect(s.alarms.list()).toHaveLength(5);
  }, 30_000);
});
