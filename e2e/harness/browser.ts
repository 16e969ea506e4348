/**
 * The Chromium the browser tests and the console benchmarks drive, and the bundling of scripts
 * injected into its pages, kept in one place so both launch the same browser the same way.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The flags Debian's Chromium needs here (root without a sandbox, no GPU, no network). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium when present, else undefined (Playwright's own browser). */
export function chromiumExecutable(): string | undefined {
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** Bundles a module of the repository (path from its root) as one classic page script. */
export async function bundleForPage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
