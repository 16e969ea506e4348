/**
 * Run by `npm run test:e2e` before Playwright: makes sure a Chromium is there, so that a first
 * `npm test` on a fresh machine just works. Debian's `/usr/bin/chromium` is used when present;
 * otherwise Playwright's own Chromium, downloaded now when missing. Where that download is
 * impossible, it stops with one sentence saying what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from './browser.js';

/** The sentence printed when no Chromium can be had. */
export const NO_CHROMIUM =
  "No Chromium for the browser tests and Playwright's could not be downloaded: install Chromium (Debian/Ubuntu: sudo apt-get install chromium), or run `npx playwright install chromium` where the network allows it, then run npm test again.";

/** What the machine offers, as ensureChromium sees it. */
export interface ChromiumEnvironment {
  /** Debian's Chromium, when installed. */
  systemChromium(): string | undefined;
  /** Where Playwright's own Chromium lives (whether or not it is there). */
  playwrightChromium(): string;
  exists(file: string): boolean;
  /** Downloads Playwright's Chromium; true when it worked. */
  install(): boolean;
}

/** Which Chromium the tests use, installing Playwright's when neither is there. */
export function ensureChromium(
  env: ChromiumEnvironment,
): { ok: true; path: string; installed: boolean } | { ok: false; message: string } {
  const system = env.systemChromium();
  if (system) return { ok: true, path: system, installed: false };
  const own = env.playwrightChromium();
  if (env.exists(own)) return { ok: true, path: own, installed: false };
  if (env.install() && env.exists(own)) return { ok: true, path: own, installed: true };
  return { ok: false, message: NO_CHROMIUM };
}

const nodeEnvironment: ChromiumEnvironment = {
  systemChromium: chromiumExecutable,
  playwrightChromium: () => chromium.executablePath(),
  exists: existsSync,
  install: () =>
    spawnSync('npx', ['playwright', 'install', 'chromium'], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    }).status === 0,
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = ensureChromium(nodeEnvironment);
  if (result.ok) {
    console.log(`Browser tests use ${result.path}${result.installed ? ' (just installed)' : ''}`);
  } else {
    console.error(result.message);
    process.exitCode = 1;
  }
}
