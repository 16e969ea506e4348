import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppServices } from './app-services.js';
import { SHIPPED_HYPERLINKS, createTestAppServices } from './app-services-test-support.js';
import { silentLogger } from './connector/ports.js';
import { ensureUserHyperLinks } from './platform/hyperlinks-file.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(showItemInFolder?: (file: string) => void) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-hyperlinks-app-'));
  // As main.ts does: the menu is read from the copy in the data folder.
  const { file } = await ensureUserHyperLinks({
    bundled: SHIPPED_HYPERLINKS,
    dataDir,
    logger: silentLogger,
  });
  const services: AppServices = await createTestAppServices({
    dataDir,
    hyperLinksPath: file,
    ...(showItemInFolder ? { showItemInFolder } : {}),
    alarms: { initialAlarms: 5, changesPerSecond: 0 },
  });
  cleanups.push(async () => {
    await services.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { services, file, dataDir };
}

describe('the HyperLinks menu file in Settings', () => {
  it('is the copy in the data folder, named in app:info', async () => {
    const { services, dataDir } = await start();
    const info = await services.router.handle('app:info', undefined);
    expect(info).toMatchObject({
      ok: true,
      value: { hyperLinksFile: path.join(dataDir, 'HyperLinks.xml') },
    });
  });

  it('opens its folder in the file manager', async () => {
    const shown: string[] = [];
    const { services, file } = await start((f) => shown.push(f));
    expect(await services.router.handle('shell:show-hyperlinks-file', undefined)).toEqual({
      ok: true,
      value: true,
    });
    expect(shown).toEqual([file]);
  });

  it('says so where there is no file manager (the browser harness)', async () => {
    const { services } = await start();
    const result = await services.router.handle('shell:show-hyperlinks-file', undefined);
    expect(result.ok).toBe(false);
  });
});
