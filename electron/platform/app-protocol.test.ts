import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  contentTypeOf,
  createAppProtocolHandler,
  fileInsideRoot,
  resolveAppPath,
} from './app-protocol.js';
import { PRODUCTION_CSP } from './web-security.js';

let base: string;
let root: string;
const warnings: string[] = [];
const warned: { url?: unknown; reason?: unknown }[] = [];
const logger: Logger = {
  info: () => undefined,
  warn: (m, fields) => {
    warnings.push(m);
    warned.push({ ...fields });
  },
  error: () => undefined,
};

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'oceane-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Oceane</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'data.bin'), 'binary');
  await writeFile(path.join(root, '..notes.txt'), 'dots in a name');
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
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-cache');
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

  it('logs refusals with the URL (cut at 500 characters) and the reason, but not a missing file', async () => {
    warned.length = 0;
    await get('app://oceane/nope.js');
    await get('app://other/index.html');
    expect(warned).toEqual([]);
    const long = `app://oceane/..%2F${'a'.repeat(600)}`;
    await get(long);
    expect(warnings).toContain('Refused an app protocol request');
    expect(warned).toEqual([{ url: long.slice(0, 500), reason: 'Path traversal refused' }]);
  });

  it('serves a file of an unknown type as binary', async () => {
    const response = await get('app://oceane/assets/data.bin');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
  });

  it('answers a refusal as plain text with its reason', async () => {
    const response = await get('app://oceane/assets%00.js');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('Forbidden character in path');
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

  it('says why each kind of URL is refused', () => {
    const refused = (url: string) => resolveAppPath(root, url);
    expect(refused('not a url')).toEqual({ ok: false, status: 400, reason: 'Not a URL' });
    expect(refused('app://other/index.html')).toMatchObject({
      status: 404,
      reason: 'Not an app URL',
    });
    expect(refused('app://oceane:99/index.html')).toMatchObject({ status: 404 });
    expect(refused('app://oceane/%E0%A4%A')).toMatchObject({ reason: 'Undecodable path' });
    expect(refused('app://oceane/a%00.js')).toMatchObject({
      status: 400,
      reason: 'Forbidden character in path',
    });
    expect(refused('app://oceane/a%5Cb.js')).toMatchObject({
      status: 400,
      reason: 'Forbidden character in path',
    });
    expect(refused('app://oceane/a/..%2Fb.js')).toMatchObject({
      status: 403,
      reason: 'Path traversal refused',
    });
    expect(refused('app://oceane/%2e%2f%2e')).toEqual({
      ok: false,
      status: 403,
      reason: 'Path traversal refused',
    });
  });

  it('serves index.html for the bare origin and for a folder', () => {
    expect(resolveAppPath(root, 'app://oceane')).toEqual({
      ok: true,
      file: path.join(root, 'index.html'),
    });
    expect(resolveAppPath(root, 'app://oceane/assets/')).toEqual({
      ok: true,
      file: path.join(root, 'assets', 'index.html'),
    });
  });

  it('serves a file whose name starts with two dots: only a .. segment climbs', async () => {
    expect(resolveAppPath(root, 'app://oceane/..notes.txt')).toEqual({
      ok: true,
      file: path.join(root, '..notes.txt'),
    });
    expect(await (await get('app://oceane/..notes.txt')).text()).toBe('dots in a name');
  });
});

describe('fileInsideRoot, the last gate on its own', () => {
  it('gives the file for a path inside the root', () => {
    expect(fileInsideRoot(root, '/assets/index-abc.js')).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
    expect(fileInsideRoot(`${root}/assets/..`, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(fileInsideRoot(root, '/..notes.txt')).toBe(path.join(root, '..notes.txt'));
    expect(fileInsideRoot(root, '/a/../index.html')).toBe(path.join(root, 'index.html'));
  });

  it('refuses the root itself and every path that climbs out of it', () => {
    expect(fileInsideRoot(root, '/')).toBeNull();
    expect(fileInsideRoot(root, '/./.')).toBeNull();
    expect(fileInsideRoot(root, '/..')).toBeNull();
    expect(fileInsideRoot(root, '/../secret.txt')).toBeNull();
    expect(fileInsideRoot(root, '/assets/../../secret.txt')).toBeNull();
    expect(fileInsideRoot(root, '/../renderer-other/index.html')).toBeNull();
  });
});

describe('contentTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.png', 'image/png'],
    ['a.jpg', 'image/jpeg'],
    ['a.jpeg', 'image/jpeg'],
    ['a.gif', 'image/gif'],
    ['a.webp', 'image/webp'],
    ['a.ico', 'image/x-icon'],
    ['a.woff', 'font/woff'],
    ['a.woff2', 'font/woff2'],
    ['a.ttf', 'font/ttf'],
    ['a.js.map', 'application/json; charset=utf-8'],
    ['a.txt', 'text/plain; charset=utf-8'],
    ['A.CSS', 'text/css; charset=utf-8'],
    ['a.exe', 'application/octet-stream'],
    ['README', 'application/octet-stream'],
  ])('%s is served as %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});

describe('the scheme registration', () => {
  it('registers app: as a standard, secure scheme that fetch may use, nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });
});
