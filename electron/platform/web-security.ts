/**
 * The renderer's security settings, item by item from the Electron security checklist
 * (the README's security section): the window's web preferences, the Content-Security-Policy, navigation,
 * new windows, webviews and permission requests. Each function receives the Electron object
 * it configures, so unit tests pass small fakes and never load Electron.
 */
import type { Logger } from '../connector/ports.js';

/** The production CSP: only the app's own origin, no inline code, no plugins, no framing. */
export const PRODUCTION_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The development CSP, used only with the electron-vite dev server: React Refresh injects an
 * inline preamble script and inline styles, and Vite's client talks to its server over ws:.
 */
export const DEVELOPMENT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The web preferences of our window (checklist items 2, 3, 4, 6, 8, 9, 10, 12, 14). */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  /** Middle click (`auxclick`) could open links in new windows: off. */
  disableBlinkFeatures: 'Auxclick';
  devTools: boolean;
}

/** Options of the main window. */
export interface MainWindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  autoHideMenuBar: true;
  /** The app icon (Linux and Windows use it for the window and the task bar). */
  icon?: string;
  webPreferences: SecureWebPreferences;
}

/** Electron's `BrowserWindow` class (tests pass a fake that records the options). */
export type BrowserWindowClass<W> = new (options: MainWindowOptions) => W;

/**
 * Creates the one window. The options are written out here, in the `new BrowserWindow(…)`
 * call itself, so that a reader and a scanner (Electronegativity, run by `npm test`) see
 * every security setting at once. `enableBlinkFeatures` and `additionalArguments` are
 * deliberately absent; DevTools only in development.
 */
export function createMainWindow<W>(
  BrowserWindow: BrowserWindowClass<W>,
  input: { preload: string; devTools: boolean; icon?: string },
): W {
  return new BrowserWindow({
    title: 'Oceane Alarm Console',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      // The preload is one bundled file that exposes only the typed contract (item 20).
      preload: input.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: input.devTools,
    },
  });
}

/**
 * `scheme://host[:port]` of a URL, or null when it does not parse. Unlike `URL.origin` it is
 * also meaningful for our custom scheme (`app://oceane`), whose WHATWG origin is "null".
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.host === '') return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** True when `url` belongs to the app's own origin (`app://oceane` or the dev server). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}

/** A cancellable Electron event. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The event of `will-navigate` and `will-redirect`: cancellable, with the target URL. */
export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

/** The part of `WebContents` the guards configure. */
export interface GuardableWebContents {
  on(event: 'will-navigate', listener: (details: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (details: NavigationEvent) => void): unknown;
  on(
    event: 'will-attach-webview',
    listener: (event: PreventableEvent, webPreferences: unknown, params: unknown) => void,
  ): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Denies navigation and redirects away from the app's origin (item 13), every new window
 * (item 14; links to tickets go through the URL opener instead), and every `<webview>`
 * (items 11, 12). Each refusal is logged. The target is read from `details.url` (the
 * positional `url` argument is deprecated).
 */
export function guardWebContents(
  contents: GuardableWebContents,
  input: { appOrigin: string; logger: Logger },
): void {
  const { appOrigin, logger } = input;
  const guardNavigation =
    (kind: string) =>
    (details: NavigationEvent): void => {
      if (isAppUrl(details.url, appOrigin)) return;
      details.preventDefault();
      logger.warn(`Refused ${kind} away from the app`, { url: details.url.slice(0, 500) });
    };
  contents.on('will-navigate', guardNavigation('navigation'));
  contents.on('will-redirect', guardNavigation('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('Refused to attach a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('Refused to open a new window', { url: url.slice(0, 500) });
    return { action: 'deny' };
  });
}

/** The part of `Session` whose permission handlers are set. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
    ) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
}

/**
 * Denies every permission request and check (item 5): the console needs no camera,
 * microphone, notifications, geolocation, clipboard reads, MIDI, HID, serial or USB.
 */
export function denyAllPermissions(session: PermissionSession, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('Refused a permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
}

/** The part of a `DownloadItem` the download guard reads. */
export interface GuardedDownload {
  getURL(): string;
  getFilename(): string;
}

/** The part of `Session` whose downloads are guarded. */
export interface DownloadSession {
  on(
    event: 'will-download',
    listener: (event: PreventableEvent, item: GuardedDownload, contents: unknown) => void,
  ): unknown;
}

/** The file names of the table exports (renderer/src/export/table-export.ts). */
const EXPORT_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.(csv|json)$/;

/** True for a table export: a blob made by the app's own page, named like an export. */
export function isOwnExport(item: GuardedDownload, appOrigin: string): boolean {
  return (
    item.getURL().startsWith(`blob:${appOrigin}/`) && EXPORT_FILE_NAME.test(item.getFilename())
  );
}

/**
 * Lets the table exports through to Electron's save dialog (issue 12: the operating
 * system's dialog, where the operator chooses the file) and cancels every other download,
 * such as a link to a file on a web server. Each refusal is logged.
 */
export function guardDownloads(
  session: DownloadSession,
  input: { appOrigin: string; logger: Logger },
): void {
  session.on('will-download', (event, item) => {
    if (isOwnExport(item, input.appOrigin)) return;
    event.preventDefault();
    input.logger.warn('Refused a download', { url: item.getURL().slice(0, 500) });
  });
}

/** Response headers as Electron's `webRequest` hands them over. */
export type ResponseHeaders = Record<string, string | string[]>;

/**
 * Returns `headers` with the Content-Security-Policy replaced by `csp` (any existing policy
 * header, whatever its case, is dropped first), plus `X-Content-Type-Options: nosniff`.
 */
export function withSecurityHeaders(
  headers: ResponseHeaders | undefined,
  csp: string,
): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const k = key.toLowerCase();
    if (k === 'content-security-policy' || k === 'x-content-type-options') continue;
    out[key] = value;
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}

/** The part of `session.webRequest` used to add the CSP to dev-server responses. */
export interface HeaderWebRequest {
  onHeadersReceived(
    filter: { urls: string[] },
    listener: (
      details: { url: string; responseHeaders?: ResponseHeaders },
      callback: (response: { responseHeaders?: ResponseHeaders }) => void,
    ) => void,
  ): void;
}

/**
 * Development only: adds the development CSP to every response of the dev server (in
 * production the app protocol handler sets the production CSP on its own responses).
 */
export function applyCspToOrigin(webRequest: HeaderWebRequest, origin: string, csp: string): void {
  webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders, csp) });
  });
}
