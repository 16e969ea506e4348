import { describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import {
  applyCspToOrigin,
  denyAllPermissions,
  DEVELOPMENT_CSP,
  guardDownloads,
  guardWebContents,
  isAppUrl,
  createMainWindow,
  type MainWindowOptions,
  PRODUCTION_CSP,
  withSecurityHeaders,
  type DownloadSession,
  type GuardableWebContents,
  type HeaderWebRequest,
  type PermissionSession,
  type PreventableEvent,
  type ResponseHeaders,
} from './web-security.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    warn: (message) => warnings.push(message),
    error: () => undefined,
  };
}

type Listener = (event: PreventableEvent, ...args: unknown[]) => void;

/** A fake WebContents that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
      openHandler = handler;
    },
  };
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    const preventDefault = () => (prevented = true);
    if (event === 'will-navigate' || event === 'will-redirect') {
      // Electron 45 passes the target in the event (`details.url`); the positional url is
      // deprecated, so the fake leaves it out.
      listeners.get(event)?.({ preventDefault, url: args[0] } as PreventableEvent);
    } else {
      listeners.get(event)?.({ preventDefault }, ...args);
    }
    return prevented;
  };
  return {
    contents: contents as unknown as GuardableWebContents,
    fire,
    open: (url: string) => openHandler?.({ url }),
  };
}

/** Creates the window with a fake BrowserWindow class and returns the options it got. */
function windowOptions(input: { preload: string; devTools: boolean; icon?: string }) {
  class FakeBrowserWindow {
    constructor(readonly options: MainWindowOptions) {}
  }
  return createMainWindow(FakeBrowserWindow, input).options;
}

describe('the main window', () => {
  it('isolates, sandboxes and keeps web security on, with no Node and no experiments', () => {
    const options = windowOptions({ preload: '/app/out/preload/preload.cjs', devTools: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.webPreferences).not.toHaveProperty('additionalArguments');
    expect(options.show).toBe(false);
  });

  it('disables middle click (auxclick), which could open links in new windows', () => {
    const options = windowOptions({ preload: 'p', devTools: false });
    expect(options.webPreferences.disableBlinkFeatures).toBe('Auxclick');
  });

  it('has DevTools only when asked for (development)', () => {
    expect(windowOptions({ preload: 'p', devTools: true }).webPreferences.devTools).toBe(true);
  });

  it('shows the app icon when given one', () => {
    expect(windowOptions({ preload: 'p', devTools: false, icon: '/r/icon.png' }).icon).toBe(
      '/r/icon.png',
    );
    expect(windowOptions({ preload: 'p', devTools: false })).not.toHaveProperty('icon');
  });
});

describe('the Content-Security-Policy', () => {
  it('allows only the app itself in production', () => {
    expect(PRODUCTION_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(PRODUCTION_CSP).not.toContain('unsafe');
  });

  it('relaxes inline code and websockets only in the development policy', () => {
    expect(DEVELOPMENT_CSP).toContain("'unsafe-inline'");
    expect(DEVELOPMENT_CSP).toContain('ws://localhost:*');
    expect(DEVELOPMENT_CSP).toContain("object-src 'none'");
  });

  it('replaces any policy header of a response, whatever its case', () => {
    const headers = withSecurityHeaders(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      PRODUCTION_CSP,
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [PRODUCTION_CSP],
      'X-Content-Type-Options': ['nosniff'],
    });
  });

  it('is added to the dev server responses only', () => {
    let filter: { urls: string[] } | null = null;
    let listener: Parameters<HeaderWebRequest['onHeadersReceived']>[1] | null = null;
    applyCspToOrigin(
      {
        onHeadersReceived: (f, l) => {
          filter = f;
          listener = l;
        },
      },
      'http://localhost:5173',
      DEVELOPMENT_CSP,
    );
    expect(filter).toEqual({ urls: ['http://localhost:5173/*'] });
    let answered: ResponseHeaders | undefined;
    listener!({ url: 'http://localhost:5173/', responseHeaders: {} }, (r) => {
      answered = r.responseHeaders;
    });
    expect(answered?.['Content-Security-Policy']).toEqual([DEVELOPMENT_CSP]);
  });
});

describe('navigation, new windows and webviews', () => {
  const appOrigin = 'app://oceane';

  it('recognises the app origin, including the custom scheme', () => {
    expect(isAppUrl('app://oceane/index.html', appOrigin)).toBe(true);
    expect(isAppUrl('app://evil/index.html', appOrigin)).toBe(false);
    expect(isAppUrl('https://oceane/', appOrigin)).toBe(false);
    expect(isAppUrl('not a url', appOrigin)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
  });

  it('denies navigation away from the app and logs it', () => {
    const logger = recordingLogger();
    const fake = fakeContents();
    guardWebContents(fake.contents, { appOrigin, logger });
    expect(fake.fire('will-navigate', 'https://attacker.example/')).toBe(true);
    expect(fake.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(logger.warnings).toEqual([
      'Refused navigation away from the app',
      'Refused navigation away from the app',
    ]);
  });

  it('lets the app reload itself', () => {
    const fake = fakeContents();
    guardWebContents(fake.contents, { appOrigin, logger: recordingLogger() });
    expect(fake.fire('will-navigate', 'app://oceane/index.html')).toBe(false);
  });

  it('denies redirects away from the app', () => {
    const fake = fakeContents();
    guardWebContents(fake.contents, { appOrigin, logger: recordingLogger() });
    expect(fake.fire('will-redirect', 'https://attacker.example/')).toBe(true);
    expect(fake.fire('will-redirect', 'app://oceane/other.html')).toBe(false);
  });

  it('denies every new window, even on the app origin', () => {
    const logger = recordingLogger();
    const fake = fakeContents();
    guardWebContents(fake.contents, { appOrigin, logger });
    expect(fake.open('https://oceane.example/ticket/1')).toEqual({ action: 'deny' });
    expect(fake.open('app://oceane/index.html')).toEqual({ action: 'deny' });
    expect(logger.warnings).toHaveLength(2);
  });

  it('refuses to attach a webview', () => {
    const fake = fakeContents();
    guardWebContents(fake.contents, { appOrigin, logger: recordingLogger() });
    expect(fake.fire('will-attach-webview', {}, { src: 'https://x.example' })).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const logger = recordingLogger();
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | null = null;
    let device: ((details: unknown) => boolean) | null = null;
    denyAllPermissions(
      {
        setPermissionRequestHandler: (h) => (request = h),
        setPermissionCheckHandler: (h) => (check = h),
        setDevicePermissionHandler: (h) => (device = h),
      },
      logger,
    );
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read']) {
      request!({}, permission, (granted) => answers.push(granted));
    }
    expect(answers).toEqual([false, false, false, false]);
    expect(check!({}, 'media')).toBe(false);
    expect(device!({ deviceType: 'usb' })).toBe(false);
    expect(logger.warnings).toHaveLength(4);
  });
});

describe('downloads', () => {
  it("let the app's own exports through to the save dialog and cancel every other", () => {
    const logger = recordingLogger();
    let listener: Parameters<DownloadSession['on']>[1] | null = null;
    guardDownloads({ on: (_event, l) => (listener = l) }, { appOrigin: 'app://oceane', logger });
    const outcome = (url: string, name: string): 'saved' | 'cancelled' => {
      let cancelled = false;
      listener!(
        { preventDefault: () => (cancelled = true) },
        { getURL: () => url, getFilename: () => name },
        {},
      );
      return cancelled ? 'cancelled' : 'saved';
    };
    const blob = 'blob:app://oceane/5f0c6c9e-2f7a-4f43-9d3c-0c1f5d1b6a11';
    expect(outcome(blob, 'tickets-2026-01-02-030405.csv')).toBe('saved');
    expect(outcome(blob, 'failed-ticket-requests-2026-01-02-030405.json')).toBe('saved');
    expect(outcome(blob, 'tickets.exe')).toBe('cancelled');
    expect(outcome(blob, '../tickets.csv')).toBe('cancelled');
    expect(outcome('blob:https://evil.example/5f0c', 'tickets.csv')).toBe('cancelled');
    expect(outcome('https://oceane.example.com/report.csv', 'report.csv')).toBe('cancelled');
    expect(outcome('app://oceane/index.html', 'index.csv')).toBe('cancelled');
    expect(logger.warnings).toEqual(Array(5).fill('Refused a download'));
  });
});
