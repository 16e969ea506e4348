/**
 * The packaging configuration, checked offline (electron-builder itself needs the Electron
 * download): electron-builder.yml against electron-builder's own schema, and package.json plus
 * the Linux options against the metadata its deb target demands before it builds anything
 * (the real `computeFpmMetaInfoOptions` of app-builder-lib, fed the project's metadata).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  linux: Record<string, unknown> & { target: unknown[]; icon: string };
  win: Record<string, unknown> & { icon: string };
  deb?: Record<string, unknown>;
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
};
type PackageJson = Record<string, unknown> & { author?: unknown; homepage?: string };

const config = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
const packageJson = JSON.parse(
  readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
) as PackageJson;

interface FpmMetaInfo {
  url: string;
  maintainer: string;
}

/** Runs electron-builder's deb metadata check (the one that failed `package:linux`). */
async function debMetaInfo(metadata: PackageJson, linux: Record<string, unknown>) {
  const { AppInfo } = require('app-builder-lib/out/appInfo.js') as {
    AppInfo: { prototype: { computePackageUrl(): Promise<string | null> } };
  };
  const { default: FpmTarget } = require('app-builder-lib/out/targets/FpmTarget.js') as {
    default: { prototype: { computeFpmMetaInfoOptions(): Promise<FpmMetaInfo> } };
  };
  const info = { metadata, repositoryInfo: Promise.resolve(null) };
  const appInfo = {
    info,
    notNullDevMetadata: metadata,
    linuxPackageName: 'oceane-alarm-console',
  };
  const packageUrl = AppInfo.prototype.computePackageUrl.bind(appInfo);
  const target = {
    packager: { appInfo: { ...appInfo, computePackageUrl: packageUrl }, info },
    options: { ...linux, ...config.deb },
  };
  return FpmTarget.prototype.computeFpmMetaInfoOptions.call(target);
}

/** Width and height of a PNG file (from its IHDR chunk). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the packaging configuration', () => {
  it('is valid for electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(
        this: void,
        config: unknown,
        logger: { isEnabled: boolean },
      ): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    await expect(
      validateConfiguration(
        { ...config, linux: { ...config.linux, homepage: 'x' } },
        {
          isEnabled: false,
        },
      ),
    ).rejects.toThrow(/configuration\.linux/);
  });

  it('gives the deb target the homepage and maintainer it requires', async () => {
    const meta = await debMetaInfo(packageJson, config.linux);
    expect(meta.url).toMatch(/^https:\/\//);
    expect(meta.maintainer).toMatch(/^[^<>]+ <[^@<>\s]+@[^@<>\s]+>$/);
    // The check is real: without a homepage, electron-builder refuses the deb.
    const withoutHomepage = { ...packageJson };
    delete withoutHomepage.homepage;
    await expect(debMetaInfo(withoutHomepage, config.linux)).rejects.toThrow(
      /specify project homepage/,
    );
  });

  it('builds the deb first (the recommended package) and never turns the sandbox off', () => {
    expect(config.linux.target[0]).toBe('deb');
    expect(config.linux.target).toContain('AppImage');
    expect(JSON.stringify(config)).not.toMatch(/no-sandbox/);
    expect(config.linux.executableArgs).toBeUndefined();
  });

  it('uses the app icon for the packages and ships it for the window', () => {
    for (const icon of [config.linux.icon, config.win.icon]) {
      expect(icon).toBe('assets/icon.png');
      const { width, height } = pngSize(path.join(ROOT, icon));
      expect(width).toBe(height);
      // electron-builder needs 256 x 256 at least for the Windows icon.
      expect(width).toBeGreaterThanOrEqual(256);
    }
    expect(config.extraResources).toContainEqual({ from: 'assets/icon.png', to: 'icon.png' });
    for (const resource of config.extraResources) {
      expect(existsSync(path.join(ROOT, resource.from))).toBe(true);
    }
  });

  it('keeps the fuses of checklist item 19', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
