/**
 * The browser end-to-end harness (design.md "Tests"): the built renderer on 127.0.0.1, Chromium
 * driven by Playwright, `window.oceane` the real `createRendererApi` over `exposeBinding` to the
 * real router, services and simulator running in this test process. Each test gets its own data
 * folder, simulator port and page.
 */
import { test as base, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createAppServices, type AppServices } from '../../electron/app-services.js';
import { ConfSettingsStore } from '../../electron/connector/conf-settings-store.js';
import { silentLogger, type SecretStorePort } from '../../electron/connector/ports.js';
import { simulatorSettings } from '../../electron/connector/test-support.js';
import { startSimulator, type RunningSimulator } from '../../electron/oceane-simulator/index.js';
import { createMemorySecretStore } from '../../electron/connector/memory-secret-store.js';
import { bindConsolePage } from './console-binding.js';
import { serveStatic, type StaticServer } from './static-server.js';

/** The harness stands for a desktop whose OS key store is available. */
const KEY_STORE = { encryptionAvailable: true, backend: 'test_keyring', persisted: true };

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Options of the services a test starts. */
export interface HarnessOptions {
  alarms?: number;
  retryCount?: number;
  changesPerSecond?: number;
  /** A HyperLinks.xml of the test's own (written to its data folder) instead of assets'. */
  hyperLinksXml?: string;
  /** The "Oceane Connector" alarm after this many ms of Oceane unreachable (default: setting). */
  connectorAlarmMs?: number;
}

/** What a test gets: the page, the simulator, the services and a way to restart them. */
export interface Harness {
  page: Page;
  sim: RunningSimulator;
  dataDir: string;
  services(): AppServices;
  /** Starts the services (first call) and opens the app in the page. */
  open(options?: HarnessOptions): Promise<void>;
  /** Closes the services, starts them again on the same data folder, and reloads the page. */
  restart(): Promise<void>;
}

async function startServices(
  dataDir: string,
  secretStore: SecretStorePort,
  options: HarnessOptions,
): Promise<AppServices> {
  return createAppServices({
    dataDir,
    settingsStore: new ConfSettingsStore(dataDir),
    secretStore,
    logger: silentLogger,
    hyperLinksPath:
      options.hyperLinksXml === undefined
        ? path.join(ROOT, 'assets/HyperLinks.xml')
        : path.join(dataDir, 'HyperLinks.xml'),
    openExternal: async () => undefined,
    demo: 'off',
    alarms: {
      seed: 7,
      initialAlarms: options.alarms ?? 60,
      changesPerSecond: options.changesPerSecond ?? 0,
    },
    version: 'e2e',
    ...(options.connectorAlarmMs === undefined
      ? {}
      : { connectorAlarmMs: options.connectorAlarmMs }),
  });
}

export const test = base.extend<
  { oceane: Harness; renderer: StaticServer },
  { rendererServer: StaticServer }
>({
  rendererServer: [
    // Playwright requires an object pattern for a fixture that uses no other fixture.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveStatic(path.join(ROOT, 'out/renderer'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  renderer: async ({ rendererServer }, use) => use(rendererServer),
  oceane: async ({ page, renderer }, use) => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'oceane-e2e-'));
    const sim = await startSimulator({ port: 0 });
    const secretStore = createMemorySecretStore(undefined, KEY_STORE);
    let services = null as AppServices | null;
    let options: HarnessOptions = {};
    const binding = await bindConsolePage(page);
    const attach = (s: AppServices) => {
      services = s;
      binding.attach(s);
    };

    const harness: Harness = {
      page,
      sim,
      dataDir,
      services: () => {
        if (!services) throw new Error('services not started');
        return services;
      },
      async open(opts = {}) {
        options = opts;
        if (opts.hyperLinksXml !== undefined) {
          await writeFile(path.join(dataDir, 'HyperLinks.xml'), opts.hyperLinksXml);
        }
        const started = await startServices(dataDir, secretStore, options);
        services = started;
        const configured = await started.connector.updateSettings(
          simulatorSettings(sim.url, options.retryCount ?? 1),
        );
        if (!configured.ok) throw new Error(configured.error.message);
        attach(started);
        await page.goto(renderer.url);
      },
      async restart() {
        binding.detach();
        await services?.close();
        attach(await startServices(dataDir, secretStore, options));
        await page.reload();
      },
    };
    await use(harness);
    binding.detach();
    await services?.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
