import { describe, expect, it } from 'vitest';
import { NO_CHROMIUM, ensureChromium, type ChromiumEnvironment } from './ensure-chromium.js';

function machine(over: Partial<ChromiumEnvironment> & { files?: string[] } = {}) {
  const files = new Set(over.files ?? []);
  const installs: number[] = [];
  const env: ChromiumEnvironment = {
    systemChromium: over.systemChromium ?? (() => undefined),
    playwrightChromium: () => '/cache/ms-playwright/chromium/chrome',
    exists: (f) => files.has(f),
    install:
      over.install ??
      (() => {
        installs.push(1);
        files.add('/cache/ms-playwright/chromium/chrome');
        return true;
      }),
  };
  return { env, installs };
}

describe('ensureChromium', () => {
  it("uses Debian's Chromium when it is installed, and downloads nothing", () => {
    const { env, installs } = machine({ systemChromium: () => '/usr/bin/chromium' });
    expect(ensureChromium(env)).toEqual({ ok: true, path: '/usr/bin/chromium', installed: false });
    expect(installs).toEqual([]);
  });

  it("uses Playwright's Chromium when it is already there", () => {
    const { env, installs } = machine({ files: ['/cache/ms-playwright/chromium/chrome'] });
    expect(ensureChromium(env)).toMatchObject({ ok: true, installed: false });
    expect(installs).toEqual([]);
  });

  it("installs Playwright's Chromium when neither is there", () => {
    const { env, installs } = machine();
    expect(ensureChromium(env)).toEqual({
      ok: true,
      path: '/cache/ms-playwright/chromium/chrome',
      installed: true,
    });
    expect(installs).toEqual([1]);
  });

  it('stops with one sentence saying what to install when the download is impossible', () => {
    const { env } = machine({ install: () => false });
    expect(ensureChromium(env)).toEqual({ ok: false, message: NO_CHROMIUM });
    expect(NO_CHROMIUM.split('. ')).toHaveLength(1);
    expect(NO_CHROMIUM).toContain('apt-get install chromium');
  });
});
