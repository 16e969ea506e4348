/**
 * What the operator gets when something breaks, instead of a blank window or an app in an
 * unknown state:
 *
 * - a crashed renderer is reloaded once, with a notice; a second crash within a short time
 *   shows a plain error page (no script) with a link to try again, instead of looping;
 * - a fault of the main process (an uncaught exception) shows a dialog saying what happened
 *   and where the log is, and the operator restarts the services or quits cleanly. The
 *   ticket queue is durable either way.
 *
 * Electron's objects are passed in, so the tests use fakes and never load Electron.
 */
import type { Notice } from '../../shared/domain.js';
import type { Logger } from '../connector/ports.js';

/** Why a renderer went away, as Electron's `render-process-gone` reports it. */
export interface RenderProcessGoneDetails {
  reason: string;
  exitCode?: number;
}

/** The part of a `WebContents` the crash guard uses. */
export interface CrashableWebContents {
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: RenderProcessGoneDetails) => void,
  ): unknown;
  reload(): void;
  loadURL(url: string): Promise<void>;
}

/** Options of `guardRendererCrashes`. */
export interface RendererCrashGuardOptions {
  logger: Logger;
  /** Tells the operator (after the reload) that the window was reloaded. */
  notify: (notice: Notice) => void;
  /** The app's entry page, linked from the error page. */
  entryUrl: string;
  /** The log file, named on the error page. */
  logFile: string;
  /** A second crash within this time shows the error page (default one minute). */
  windowMs?: number;
  now?: () => number;
}

/** Default time within which a second renderer crash stops the reloading. */
export const RENDERER_CRASH_WINDOW_MS = 60_000;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The error page shown after repeated renderer crashes: static HTML, no script. */
export function rendererErrorPage(input: { entryUrl: string; logFile: string }): string {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Oceane Alarm Console</title>
<style>body{font:15px system-ui,sans-serif;margin:3em;max-width:44em;color:#1d2733}h1{font-size:1.4em}</style>
</head><body><h1>The console window stopped working</h1>
<p>Its display process crashed twice in a short time, so it was not reloaded again.</p>
<p>The ticket queue is safe: requests already accepted are sent or retried by the app, which is still running.</p>
<p><a href="${escapeHtml(input.entryUrl)}">Try to show the console again</a>, or quit and start the app again.</p>
<p>Details are in the log file: <code>${escapeHtml(input.logFile)}</code></p>
</body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/**
 * Watches the window's renderer: the first crash reloads it (and adds a notice), a second
 * crash within `windowMs` shows the error page. A clean exit (window closing) is ignored.
 */
export function guardRendererCrashes(
  contents: CrashableWebContents,
  options: RendererCrashGuardOptions,
): void {
  const now = options.now ?? (() => Date.now());
  const windowMs = options.windowMs ?? RENDERER_CRASH_WINDOW_MS;
  let lastCrash: number | null = null;
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    const at = now();
    const again = lastCrash !== null && at - lastCrash < windowMs;
    lastCrash = at;
    options.logger.error('The renderer process is gone', {
      reason: details.reason,
      exitCode: details.exitCode ?? null,
      action: again ? 'error page' : 'reload',
    });
    if (again) {
      contents
        .loadURL(rendererErrorPage({ entryUrl: options.entryUrl, logFile: options.logFile }))
        .catch((error: unknown) =>
          options.logger.error('The error page could not be shown', { error: String(error) }),
        );
      return;
    }
    options.notify({
      id: `renderer-reloaded-${at}`,
      level: 'warning',
      title: 'The window was reloaded',
      message: `The console's display process stopped (${details.reason}) and was reloaded. Queued tickets were not affected.`,
      at: new Date(at).toISOString(),
    });
    contents.reload();
  });
}

/** The part of Electron's `dialog.showMessageBox` options the fault dialog uses. */
export interface FaultDialogOptions {
  type: 'error';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: true;
}

/** Options of `createMainFaultHandler`. */
export interface MainFaultHandlerOptions {
  logger: Logger;
  /** The log file, named in the dialog. */
  logFile: () => string;
  /** `dialog.showMessageBox`; resolves with the index of the button pressed. */
  showDialog: (options: FaultDialogOptions) => Promise<{ response: number }>;
  /** Closes and starts the services again; resolves false when they did not start. */
  restartServices: () => Promise<boolean>;
  /** Quits the app the normal way (the services close first). */
  quit: () => void;
}

/** The buttons of the fault dialog, in order. */
export const FAULT_BUTTONS = ['Restart the services', 'Quit'] as const;

/**
 * Returns the handler of main-process faults (`process.on('uncaughtException', …)`): logs the
 * fault, asks the operator through a dialog and restarts the services or quits. Faults that
 * arrive while the dialog is open or the services restart are logged only.
 */
export function createMainFaultHandler(
  options: MainFaultHandlerOptions,
): (error: unknown) => Promise<void> {
  let busy = false;
  return async (error) => {
    const message = error instanceof Error ? error.message : String(error);
    options.logger.error('Uncaught exception in the main process', {
      error: error instanceof Error ? error : message,
      handled: !busy,
    });
    if (busy) return;
    busy = true;
    try {
      const { response } = await options.showDialog({
        type: 'error',
        title: 'Oceane Alarm Console',
        message: 'Oceane Alarm Console ran into an unexpected error',
        detail: `${message}\n\nQueued tickets are safe on disk. Restart the services to go on, or quit.\n\nDetails are in ${options.logFile()}`,
        buttons: [...FAULT_BUTTONS],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      });
      if (response !== 0) {
        options.quit();
        return;
      }
      if (!(await options.restartServices())) {
        options.logger.error('The services did not start again; quitting');
        options.quit();
      }
    } catch (failure) {
      options.logger.error('The fault could not be handled; quitting', { error: String(failure) });
      options.quit();
    } finally {
      busy = false;
    }
  };
}
