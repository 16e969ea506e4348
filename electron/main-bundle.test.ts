/**
 * The built main process and preload are self-contained: `electron-vite build` (into a
 * temporary folder) bundles every dependency, so `out/main/main.js` imports nothing but
 * `electron` and Node built-ins and never loads a package from inside app.asar at run time.
 * The imports are read by esbuild's parser (comments and strings that merely mention a
 * package are not imports).
 */
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'oceane-build-'));
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
  await rm(outDir, { recursive: true, force: true });
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
    outdir: path.join(outDir, 'analysis'),
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
