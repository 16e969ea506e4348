import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import { APP_ENTRY_URL, createAppProtocolHandler, resolveAppPath } from './app-protocol.js';
import { PRODUCTION_CSP } from './web-security.js';

let base: string;
let root: string;
const warnings: string[] = [];
const logger: Logger = {
  info: () => undefined,
  warn: (m) => warnings.push(m),
  error: () => undefined,
};

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'oceane-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Oceane</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(base, 'secret.txt'), 'outside the renderer');
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') =>
  createAppProtocolHandler({ root, logger })(new Request(url, { method }));

describe('the app protocol', () => {
  it('serves the entry page with the production CSP header', async () => {
    const response = await get(APP_ENTRY_URL);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Oceane</title>');
  });

  it('serves scripts as JavaScript and the root as index.html', async () => {
    const script = await get('app://oceane/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect(await (await get('app://oceane/')).text()).toContain('Oceane');
  });

  it.each([
    'app://oceane/..%2Fsecret.txt',
    'app://oceane/assets/..%2F..%2Fsecret.txt',
    'app://oceane/%2e%2e%2fsecret.txt',
    'app://oceane/..%5Csecret.txt',
    'app://oceane/assets%00.js',
  ])('refuses the traversal %s', async (url) => {
    const response = await get(url);
    expect([400, 403]).toContain(response.status);
    expect(await response.text()).not.toContain('outside the renderer');
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
  });

  it('keeps plain dot segments inside the renderer folder', async () => {
    // The URL parser folds /../ before the handler sees it: it can never climb above the root.
    const response = await get('app://oceane/../../secret.txt');
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('outside the renderer');
  });

  it('answers 404 for a missing file or another host', async () => {
    expect((await get('app://oceane/nope.js')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('logs refusals', () => {
    expect(warnings).toContain('Refused an app protocol request');
  });

  it('resolves paths only inside the root', () => {
    expect(resolveAppPath(root, 'app://oceane/assets/index-abc.js')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'index-abc.js'),
    });
    expect(resolveAppPath(root, 'app://oceane/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppPath(root, 'https://oceane/index.html')).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});
