/**
 * Binds a Chromium page to a console's services, as the desktop app's preload binds its window
 * to the main process: `window.oceane` is the real `createRendererApi` (page-bridge.ts), its
 * requests reach the services' router through a Playwright binding, and the services' events
 * are delivered into the page. The services may be replaced (a restart) or taken away (a
 * console killed): requests then fail as they would with no main process.
 */
import type { Page } from '@playwright/test';
import type { AppServices } from '../../electron/app-services.js';
import { bundleForPage } from './browser.js';

let bridgeScript: Promise<string> | undefined;
/** The page bridge bundled once per process as a classic script. */
function pageBridge(): Promise<string> {
  bridgeScript ??= bundleForPage('e2e/harness/page-bridge.ts');
  return bridgeScript;
}

/** A page's link to the services it shows. */
export interface ConsoleBinding {
  /** The services requests go to from now on, and whose events reach the page. */
  attach(services: AppServices): void;
  /** No services any more: requests fail and no event reaches the page. */
  detach(): void;
}

/** Installs the bridge in `page` (before its first navigation). */
export async function bindConsolePage(page: Page): Promise<ConsoleBinding> {
  let services: AppServices | null = null;
  let unsubscribe: (() => void) | null = null;
  await page.exposeBinding('__oceaneInvoke', async (_source, channel: string, payload: unknown) => {
    if (!services) throw new Error('services not started');
    return services.router.handle(channel, payload);
  });
  await page.addInitScript({ content: await pageBridge() });
  const detach = (): void => {
    unsubscribe?.();
    unsubscribe = null;
    services = null;
  };
  return {
    attach(next) {
      detach();
      services = next;
      unsubscribe = next.subscribe((channel, payload) => {
        page
          .evaluate(([c, p]) => window.__oceaneDeliver(c, p), [channel, payload] as const)
          .catch(() => undefined);
      });
    },
    detach,
  };
}
