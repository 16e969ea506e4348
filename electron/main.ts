/**
 * The Electron main process: one instance, one window, the services of the app
 * (electron/app-services.ts) started at `ready` and closed before quitting, and the
 * renderer's security settings (the README's security section lists every checklist item and where it is
 * met). The checks themselves live in electron/platform/ as small functions that take the
 * Electron objects they configure, so they are unit tested without Electron.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import ElectronStore from 'electron-store';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Notice } from '../shared/domain.js';
import { createAppServices, type AppServices } from './app-services.js';
import { createElectronFetchFactory } from './platform/electron-fetch.js';
import type { Logger } from './connector/ports.js';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
} from './platform/app-protocol.js';
import { wireIpc } from './platform/ipc.js';
import { createFileLogger, type FileLogger } from './platform/logger.js';
import { SafeSecretStore } from './platform/secret-store.js';
import { openRecoveringJsonStore, type StoreRecovery } from './platform/settings-store.js';
import { createUrlOpener } from './platform/url-opener.js';
import {
  applyCspToOrigin,
  DEVELOPMENT_CSP,
  denyAllPermissions,
  guardWebContents,
  mainWindowOptions,
  originOf,
} from './platform/web-security.js';

/** Environment variable that moves the data folder (tests give each run its own). */
export const DATA_DIR_ENV = 'OCEANE_DATA_DIR';
/** How long quitting waits for the services before it goes on (the queue is durable). */
const CLOSE_TIMEOUT_MS = 15_000;

const here = path.dirname(fileURLToPath(import.meta.url));

// Before `ready`: the data folder (the single-instance lock and the sessions live there),
// the privileged app scheme, and the sandbox for every renderer.
const dataDirOverride = process.env[DATA_DIR_ENV];
if (dataDirOverride) app.setPath('userData', path.resolve(dataDirOverride));
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

/** The dev server of `electron-vite dev`; never honoured in a packaged app. */
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appOrigin = (devServerUrl && originOf(devServerUrl)) || APP_ORIGIN;

let logger: Logger = {
  info: (message, data) => console.log(message, data ?? ''),
  warn: (message, data) => console.warn(message, data ?? ''),
  error: (message, data) => console.error(message, data ?? ''),
};
let mainWindow: BrowserWindow | null = null;
let services: Promise<AppServices | null> | null = null;
let disposeIpc: (() => void) | null = null;
let quitState: 'running' | 'closing' | 'closed' = 'running';
/** Lets the logger redact the configured Client Secret wherever it would appear. */
let secretStoreForLog: SafeSecretStore | null = null;

const describe = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error } : { error: String(error) };

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function hyperLinksPath(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'HyperLinks.xml')
    : path.join(here, '../../assets/HyperLinks.xml');
}

function recoveryNotices(recoveries: (StoreRecovery | null)[]): Notice[] {
  return recoveries
    .filter((r): r is StoreRecovery => r !== null)
    .map((r) => ({
      id: `recovery-${path.basename(r.file)}-${path.basename(r.movedTo)}`,
      level: 'warning' as const,
      title: `${path.basename(r.file)} was damaged`,
      message: `It could not be read and was kept as ${path.basename(r.movedTo)}; the app started from the default values. Check the Settings page.`,
      at: new Date().toISOString(),
    }));
}

async function startServices(dataDir: string): Promise<AppServices> {
  const settingsStore = openRecoveringJsonStore({
    file: path.join(dataDir, 'settings.json'),
    open: () => new ElectronStore<Record<string, unknown>>({ name: 'settings', cwd: dataDir }),
    logger,
  });
  const secretsDocument = openRecoveringJsonStore({
    file: path.join(dataDir, 'secrets.json'),
    open: () => new ElectronStore<Record<string, unknown>>({ name: 'secrets', cwd: dataDir }),
    logger,
  });
  const secretStore = new SafeSecretStore({
    safeStorage,
    document: secretsDocument,
    platform: process.platform,
    logger,
  });
  secretStoreForLog = secretStore;
  return createAppServices({
    dataDir,
    settingsStore,
    secretStore,
    logger,
    hyperLinksPath: hyperLinksPath(),
    openExternal: createUrlOpener({ openExternal: (url) => shell.openExternal(url), logger }),
    demo: 'auto',
    startupNotices: recoveryNotices([settingsStore.recovery, secretsDocument.recovery]),
    version: app.getVersion(),
    // Oceane through Chromium's network stack (OS proxy and certificates), in its own session.
    createFetch: createElectronFetchFactory(session.fromPartition('oceane-connector')),
  });
}

async function createWindow(): Promise<void> {
  const window = new BrowserWindow(
    mainWindowOptions({
      preload: path.join(here, '../preload/preload.cjs'),
      devTools: !app.isPackaged,
    }),
  );
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    logger.error('The renderer process is gone', { reason: details.reason });
  });
  await window.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

async function onReady(): Promise<void> {
  const dataDir = app.getPath('userData');
  const fileLogger: FileLogger = createFileLogger({
    dir: path.join(dataDir, 'logs'),
    knownSecrets: () => [secretStoreForLog?.get()],
    ...(app.isPackaged ? {} : { mirror: (line: string) => console.log(line) }),
  });
  logger = fileLogger;
  logger.info('Oceane Alarm Console starting', {
    version: app.getVersion(),
    packaged: app.isPackaged,
    platform: process.platform,
    dataDir,
    renderer: devServerUrl ? 'dev server' : APP_ORIGIN,
  });

  if (app.isPackaged) Menu.setApplicationMenu(null);
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, { appOrigin, logger }),
  );
  denyAllPermissions(session.defaultSession, logger);
  if (devServerUrl) {
    applyCspToOrigin(session.defaultSession.webRequest, appOrigin, DEVELOPMENT_CSP);
  } else {
    protocol.handle(
      APP_SCHEME,
      createAppProtocolHandler({ root: path.join(here, '../renderer'), logger }),
    );
  }

  services = startServices(dataDir).catch((error: unknown) => {
    logger.error('The services could not start', describe(error));
    dialog.showErrorBox(
      'Oceane Alarm Console could not start',
      `${error instanceof Error ? error.message : String(error)}\n\nDetails are in ${fileLogger.file}`,
    );
    app.exit(1);
    return null;
  });
  const running = await services;
  if (!running) return;
  logger.info('Services started', { demo: running.demo.active });

  disposeIpc = wireIpc({
    ipcMain,
    router: running.router,
    subscribe: (sink) => running.subscribe(sink),
    target: () =>
      mainWindow && !mainWindow.isDestroyed() && !mainWindow.webContents.isDestroyed()
        ? mainWindow.webContents
        : null,
    appOrigin,
    logger,
  });
  await createWindow();
}

/** Stops the services once; an in-flight ticket finishes or stays in the durable queue. */
async function closeServices(): Promise<void> {
  disposeIpc?.();
  disposeIpc = null;
  const running = await services;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
  });
  const outcome = await Promise.race([running.close().then(() => 'closed' as const), timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn('The services did not close in time; pending tickets stay queued for next start');
  } else {
    logger.info('Services closed');
  }
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', focusWindow);

  app.on('before-quit', (event) => {
    if (quitState === 'closed') return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    closeServices()
      .catch((error: unknown) => logger.error('Closing the services failed', describe(error)))
      .finally(() => {
        quitState = 'closed';
        app.quit();
      });
  });
  app.on('window-all-closed', () => app.quit());

  process.on('uncaughtException', (error) => logger.error('Uncaught exception', describe(error)));
  process.on('unhandledRejection', (reason) =>
    logger.error('Unhandled promise rejection', describe(reason)),
  );

  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      logger.error('Start-up failed', describe(error));
      dialog.showErrorBox('Oceane Alarm Console could not start', String(error));
      app.exit(1);
    });
}

main();
