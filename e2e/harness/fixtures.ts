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
import { bundleForPage } from './browser.js';
import { serveStatic, type StaticServer } from './static-server.js';

/** The harness stands for a desktop whose OS key store is available. */
const KEY_STORE = { encryptionAvailable: true, backend: 'test_keyring', persisted: true };

const ROOT = path.resolve(import.meta.dirname, '../..');

let bridgeScript: Promise<string> | undefined;
/** The page bridge bundled once per worker as a classic script. */
function pageBridge(): Promise<string> {
  bridgeScript ??= bundleForPage('e2e/harness/page-bridge.ts');
  return bridgeScript;
}

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
    let unsubscribe = null as (() => void) | null;
    let options: HarnessOptions = {};

    await page.exposeBinding(
      '__oceaneInvoke',
      async (_source, channel: string, payload: unknown) => {
        if (!services) throw new Error('services not started');
        return services.router.handle(channel, payload);
      },
    );
    await page.addInitScript({ content: await pageBridge() });

    const attach = (s: AppServices) => {
      unsubscribe = s.subscribe((channel, payload) => {
        page
          .evaluate(([c, p]) => window.__oceaneDeliver(c, p), [channel, payload] as const)
          .catch(() => undefined);
      });
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
        services = await startServices(dataDir, secretStore, options);
        const configured = await services.connector.updateSettings(
          simulatorSettings(sim.url, options.retryCount ?? 1),
        );
        if (!configured.ok) throw new Error(configured.error.message);
        attach(services);
        await page.goto(renderer.url);
      },
      async restart() {
        unsubscribe?.();
        await services?.close();
        services = await startServices(dataDir, secretStore, options);
        attach(services);
        await page.reload();
      },
    };
    await use(harness);
    unsubscribe?.();
    await services?.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
