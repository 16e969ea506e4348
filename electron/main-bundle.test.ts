/**
 * The built main process and preload are self-contained: `electron-vite build` (into a
 * temporary folder) bundles every dependency, so `out/main/main.js` imports nothing but
 * `electron` and Node built-ins and never loads a package from inside app.asar at run time.
 * The imports are read by esbuild's parser (comments and strings that merely mention a
 * package are not imports). Then the built main.js runs under plain Node with a stand-in
 * `electron` (electron/main-smoke-fixture.ts): start-up, a few requests, the quit.
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVE, ELECTRON_STUB, HOOKS, REGISTER } from './main-smoke-fixture.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

let tmp: string;
let outDir: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'oceane-build-'));
  // Laid out as the project is: the unpackaged main.js finds assets/ two folders up.
  outDir = path.join(tmp, 'app', 'out');
  await cp(path.join(ROOT, 'assets'), path.join(tmp, 'app', 'assets'), { recursive: true });
  await promisify(execFile)(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      outDir,
      '--logLevel',
      'error',
    ],
    { cwd: ROOT },
  );
}, 180_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every import, dynamic import and require() of a built file, as written in it. */
async function importsOf(file: string): Promise<string[]> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    outdir: path.join(tmp, 'analysis'),
  });
  const input = Object.entries(result.metafile.inputs).find(([name]) =>
    path.resolve(name).endsWith(path.basename(file)),
  );
  expect(input).toBeDefined();
  return input![1].imports.map((i) => i.path);
}

describe('the built main process', () => {
  it('imports only electron and Node built-ins', async () => {
    const imports = await importsOf(path.join(outDir, 'main/main.js'));
    expect(imports).toContain('electron');
    expect(imports.filter((name) => name !== 'electron' && !BUILTINS.has(name))).toEqual([]);
  });

  it('carries the main-process libraries inside main.js', () => {
    const text = readFileSync(path.join(outDir, 'main/main.js'), 'utf8');
    // The bundler marks where each bundled module starts with its path.
    for (const name of ['electron-store', 'conf', 'ky', 'zod', 'fast-xml-parser']) {
      expect(text).toContain(`// node_modules/${name}/`);
    }
    expect(text).not.toContain('// node_modules/react');
  });

  it('has a preload that requires only electron', async () => {
    const imports = await importsOf(path.join(outDir, 'preload/preload.cjs'));
    expect(imports).toEqual(['electron']);
  });

  it('ships no run-time dependencies beside the bundles', () => {
    // Everything is bundled, so the package must not carry copies in node_modules.
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });
});

describe('the built main process under a stand-in Electron', () => {
  it('starts the services beside the window, answers the renderer and quits cleanly', async () => {
    const stub = path.join(tmp, 'stub');
    const dataDir = path.join(tmp, 'data');
    await mkdir(stub, { recursive: true });
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(stub, 'electron-stub.mjs'), ELECTRON_STUB);
    await writeFile(path.join(stub, 'hooks.mjs'), HOOKS);
    await writeFile(path.join(stub, 'register.mjs'), REGISTER);
    await writeFile(path.join(stub, 'drive.mjs'), DRIVE);
    // A configured (unreachable) Oceane: no demo simulator, so no port is bound.
    await writeFile(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ api: { baseUrl: 'https://oceane.invalid', clientId: 'c', userId: 'u' } }),
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './register.mjs', 'drive.mjs'],
      {
        cwd: stub,
        env: {
          ...process.env,
          OCEANE_DATA_DIR: dataDir,
          MAIN_JS: path.join(outDir, 'main/main.js'),
        },
      },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      seen: {
        windows: { webPreferences: Record<string, unknown>; icon?: string }[];
        loaded: string[];
        errorBoxes: string[];
        shown: string[];
        quit?: boolean;
        sandbox?: boolean;
      };
      info: { ok: boolean; value: { hyperLinksFile: string; demoMode: boolean } };
      settings: { ok: boolean };
      show: { ok: boolean };
      handlersLeft: number;
    };
    expect(report.seen.errorBoxes).toEqual([]);
    expect(report.seen.sandbox).toBe(true);
    expect(report.seen.windows).toHaveLength(1);
    expect(report.seen.windows[0]!.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(report.seen.windows[0]!.icon).toMatch(/icon\.png$/);
    expect(report.seen.loaded).toEqual(['app://oceane/index.html']);
    const hyperLinks = path.join(dataDir, 'HyperLinks.xml');
    expect(report.info).toMatchObject({ ok: true, value: { hyperLinksFile: hyperLinks } });
    expect(report.info.value.demoMode).toBe(false);
    expect(report.settings.ok).toBe(true);
    expect(report.show.ok).toBe(true);
    expect(report.seen.shown).toEqual([hyperLinks]);
    expect(report.seen.quit).toBe(true);
    expect(report.handlersLeft).toBe(0);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'settings.json')).mode & 0o777).toBe(0o600);
  }, 60_000);
});
