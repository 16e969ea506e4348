/**
 * The app's own scheme, `app://oceane/`, from which the built renderer is served in
 * production instead of `file://` (checklist item 18). The handler serves only files inside
 * the renderer folder: any path that decodes to a step outside it is refused. Every response
 * carries the production Content-Security-Policy as a header (item 7).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../connector/ports.js';
import { PRODUCTION_CSP } from './web-security.js';

/** The custom scheme of the renderer. */
export const APP_SCHEME = 'app';
/** The one host of that scheme. */
export const APP_HOST = 'oceane';
/** The renderer's origin in production. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the window loads in production. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * How the scheme is registered before `ready` (`protocol.registerSchemesAsPrivileged`):
 * standard (relative URLs, origin, storage) and secure (like https). No CSP bypass, no
 * service workers, no CORS exemption.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a file served, by its extension (any case); binary when unknown. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file that a decoded URL path names inside `root`, or null when it is the folder itself
 * or outside it. The last gate behind the URL checks of resolveAppPath: it holds on its own.
 */
export function fileInsideRoot(root: string, pathname: string): string | null {
  const base = path.resolve(root);
  const file = path.resolve(base, `.${pathname}`);
  const relative = path.relative(base, file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
  // path.isAbsolute holds only on Windows, for a file on another drive.
  if (relative === '' || outside || path.isAbsolute(relative)) return null;
  return file;
}

/** Where a request for `url` may be served from, or why it may not. */
export type AppPathResolution =
  { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an `app://oceane/...` URL to a file inside `root`. Refuses other schemes and hosts,
 * undecodable paths, NUL bytes, backslashes, `..` segments (also when percent-encoded) and
 * anything that would resolve outside `root`.
 */
export function resolveAppPath(root: string, url: string): AppPathResolution {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'Not a URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) {
    return { ok: false, status: 404, reason: 'Not an app URL' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'Undecodable path' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return { ok: false, status: 400, reason: 'Forbidden character in path' };
  }
  if (pathname.split('/').some((segment) => segment === '..')) {
    return { ok: false, status: 403, reason: 'Path traversal refused' };
  }
  if (pathname === '') pathname = '/';
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = fileInsideRoot(root, pathname);
  if (file === null) return { ok: false, status: 403, reason: 'Path traversal refused' };
  return { ok: true, file };
}

/** Options of the protocol handler. */
export interface AppProtocolHandlerOptions {
  /** The built renderer folder (out/renderer). */
  root: string;
  logger: Logger;
  /** The policy header of every response (default: the production CSP). */
  csp?: string;
  /** Reads a file (tests may pass their own; default: fs.promises.readFile). */
  readFile?: (file: string) => Promise<Uint8Array>;
}

const securityHeaders = (csp: string): Record<string, string> => ({
  'Content-Security-Policy': csp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

/** Builds the handler given to `protocol.handle(APP_SCHEME, handler)`. */
export function createAppProtocolHandler(
  options: AppProtocolHandlerOptions,
): (request: Request) => Promise<Response> {
  const csp = options.csp ?? PRODUCTION_CSP;
  const readFile = options.readFile ?? ((file: string) => fsp.readFile(file));
  const refuse = (status: number, reason: string, url: string): Response => {
    if (status !== 404) options.logger.warn('Refused an app protocol request', { url, reason });
    return new Response(reason, {
      status,
      headers: { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8' },
    });
  };
  return async (request) => {
    const url = request.url.slice(0, 500);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, 'Method not allowed', url);
    }
    const resolved = resolveAppPath(options.root, request.url);
    if (!resolved.ok) return refuse(resolved.status, resolved.reason, url);
    let body: Uint8Array;
    try {
      body = await readFile(resolved.file);
    } catch {
      return refuse(404, 'Not found', url);
    }
    const type = contentTypeOf(resolved.file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...securityHeaders(csp), 'Content-Type': type },
    });
  };
}
