/**
 * The Electron main process: one instance, one window, the services of the app
 * (electron/app-services.ts) started at `ready` beside the window (never before it: the secret
 * store may wait for a key ring to be unlocked) and closed before quitting, what the operator
 * gets when something crashes (electron/platform/crash-handling.ts), and the
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
  Notification,
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
import { createMainFaultHandler, guardRendererCrashes } from './platform/crash-handling.js';
import { ensureUserHyperLinks } from './platform/hyperlinks-file.js';
import { createDesktopNotifier } from './platform/desktop-notifier.js';
import { wireIpc } from './platform/ipc.js';
import { createFileLogger, type FileLogger } from './platform/logger.js';
import { SafeSecretStore } from './platform/secret-store.js';
import { openPrivateDocuments, securePrivateFolder } from './platform/private-files.js';
import type { StoreRecovery } from './platform/settings-store.js';
import { createServiceHost } from './platform/service-host.js';
import { createUrlOpener } from './platform/url-opener.js';
import {
  applyCspToOrigin,
  createMainWindow,
  DEVELOPMENT_CSP,
  denyAllPermissions,
  guardDownloads,
  guardWebContents,
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
let logFile = '(no log file yet)';
let mainWindow: BrowserWindow | null = null;
let disposeIpc: (() => void) | null = null;
let quitState: 'running' | 'closing' | 'closed' = 'running';
/** Lets the logger redact the configured Client Secret wherever it would appear. */
let secretStoreForLog: SafeSecretStore | null = null;
let teamSecretForLog: SafeSecretStore | null = null;

const describe = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { error } : { error: String(error) };

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** A file shipped beside the app: resources in a package, assets/ in development. */
function shippedFile(name: string): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, name)
    : path.join(here, '../../assets', name);
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

/** Opens the stores (waiting for the OS key store) and starts the services. */
async function startServices(dataDir: string): Promise<AppServices> {
  const { settings: settingsStore, secrets: secretsDocument } = openPrivateDocuments({
    dataDir,
    open: (options) => new ElectronStore<Record<string, unknown>>(options),
    logger,
  });
  const secretStore = await SafeSecretStore.open({
    safeStorage,
    document: secretsDocument,
    platform: process.platform,
    logger,
  });
  secretStoreForLog = secretStore;
  // The Team settings' PostgreSQL password: the same OS encryption, its own document key.
  const teamSecretStore = await SafeSecretStore.open({
    safeStorage,
    document: secretsDocument,
    platform: process.platform,
    logger,
    ciphertextKey: 'teamPostgresPasswordCiphertext',
    secretName: 'PostgreSQL password',
  });
  teamSecretForLog = teamSecretStore;
  const hyperLinks = await ensureUserHyperLinks({
    bundled: shippedFile('HyperLinks.xml'),
    dataDir,
    logger,
  });
  const services = await createAppServices({
    dataDir,
    settingsStore,
    secretStore,
    teamSecretStore,
    logger,
    hyperLinksPath: hyperLinks.file,
    openExternal: createUrlOpener({ openExternal: (url) => shell.openExternal(url), logger }),
    showItemInFolder: (file) => shell.showItemInFolder(file),
    demo: 'auto',
    startupNotices: [
      ...recoveryNotices([settingsStore.recovery, secretsDocument.recovery]),
      ...secretStore.notices(),
      ...teamSecretStore.notices(),
    ],
    version: app.getVersion(),
    desktopNotifier: createDesktopNotifier({ Notification, logger, onClick: focusWindow }),
    // Oceane through Chromium's network stack (OS proxy and certificates), in its own session.
    createFetch: createElectronFetchFactory(session.fromPartition('oceane-connector')),
  });
  logger.info('Services started', { demo: services.demo.active });
  return {
    ...services,
    close: async () => {
      await services.close();
      await secretStore.flush();
      await teamSecretStore.flush();
    },
  };
}

const services = createServiceHost({
  start: () => startServices(app.getPath('userData')),
  logger: {
    info: (m, d) => logger.info(m, d),
    warn: (m, d) => logger.warn(m, d),
    error: (m, d) => logger.error(m, d),
  },
  closeTimeoutMs: CLOSE_TIMEOUT_MS,
});

async function createWindow(): Promise<void> {
  const window = createMainWindow(BrowserWindow, {
    preload: path.join(here, '../preload/preload.cjs'),
    devTools: !app.isPackaged,
    icon: shippedFile('icon.png'),
  });
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  guardRendererCrashes(window.webContents, {
    logger,
    notify: (notice) => services.addNotice(notice),
    entryUrl: devServerUrl ?? APP_ENTRY_URL,
    logFile,
  });
  await window.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

async function onReady(): Promise<void> {
  const dataDir = app.getPath('userData');
  securePrivateFolder(dataDir);
  const fileLogger: FileLogger = createFileLogger({
    dir: path.join(dataDir, 'logs'),
    knownSecrets: () => [secretStoreForLog?.get(), teamSecretForLog?.get()],
    ...(app.isPackaged ? {} : { mirror: (line: string) => console.log(line) }),
  });
  logger = fileLogger;
  logFile = fileLogger.file;
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
  guardDownloads(session.defaultSession, { appOrigin, logger });
  if (devServerUrl) {
    applyCspToOrigin(session.defaultSession.webRequest, appOrigin, DEVELOPMENT_CSP);
  } else {
    protocol.handle(
      APP_SCHEME,
      createAppProtocolHandler({ root: path.join(here, '../renderer'), logger }),
    );
  }

  // The window does not wait for the services: its requests wait in the service host.
  void services.start().then((running) => {
    if (running || quitState !== 'running') return;
    dialog.showErrorBox(
      'Oceane Alarm Console could not start',
      `The services of the app did not start.\n\nDetails are in ${fileLogger.file}`,
    );
    app.exit(1);
  });
  disposeIpc = wireIpc({
    ipcMain,
    router: services.router,
    subscribe: (sink) => services.subscribe(sink),
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
  await services.close();
}

const onMainFault = createMainFaultHandler({
  logger: {
    info: (m, d) => logger.info(m, d),
    warn: (m, d) => logger.warn(m, d),
    error: (m, d) => logger.error(m, d),
  },
  logFile: () => logFile,
  showDialog: (options) =>
    mainWindow && !mainWindow.isDestroyed()
      ? dialog.showMessageBox(mainWindow, options)
      : dialog.showMessageBox(options),
  restartServices: async () => (await services.restart()) !== null,
  quit: () => app.quit(),
});

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

  // A fault before the app is ready cannot show a dialog box with buttons: it ends the app.
  process.on('uncaughtException', (error) => {
    if (!app.isReady()) {
      logger.error('Uncaught exception before start-up', describe(error));
      dialog.showErrorBox('Oceane Alarm Console could not start', String(error));
      app.exit(1);
      return;
    }
    void onMainFault(error);
  });
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
