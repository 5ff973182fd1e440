/**
 * The `app://` scheme that serves the built renderer. Loading the page from file:// would make
 * `'self'` in the CSP mean "any local file"; under app://renderer/ it means only the files this
 * handler serves, and the handler serves nothing outside the renderer folder.
 * Only structural types here (no runtime `electron` import), so tests can pass fakes.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
/** The one host the scheme answers for: app://renderer/… */
export const APP_HOST = 'renderer';
/** The page the window loads in production. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The privileges `protocol.registerSchemesAsPrivileged` must grant before `ready`: `standard`
 * gives app:// real origins (so relative URLs and `'self'` work), `secure` makes it a secure
 * context like https, `supportFetchAPI` lets the page fetch its own assets. No CSP bypass, no
 * CORS, no service workers: the page needs none of them.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** The slice of `protocol` the bootstrap uses. */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: (typeof APP_SCHEME_PRIVILEGES)[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface RendererHandlerOptions {
  /** The built renderer folder (out/renderer); nothing outside it is ever served. */
  rendererDir: string;
  /** Reads a file:// URL: Electron's `net.fetch` (sets the MIME type from the extension). */
  fetchFile: (fileUrl: string) => Promise<Response>;
  /** Sent as a header too: webRequest's onHeadersReceived does not see custom protocols. */
  csp: string;
  log?: (message: string) => void;
}

function refuse(status: 400 | 403 | 404 | 405): Response {
  const text = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
  };
  return new Response(text[status], { status, headers: { 'Content-Type': 'text/plain' } });
}

/**
 * The absolute file for an app:// URL, or the status refusing it. The URL parser already
 * collapses literal `..` segments; percent-encoded separators (`..%2f`) only become separators
 * after decoding, so containment is checked on the decoded, resolved path.
 */
export function resolveRendererFile(
  rendererDir: string,
  url: string,
): { file: string } | { status: 400 | 403 | 404 } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { status: 400 };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return { status: 404 };
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { status: 400 }; // malformed percent-encoding
  }
  if (path.includes('\0')) return { status: 400 };
  // A backslash is a separator on Windows only; no asset name has one, so refuse it everywhere.
  if (path.includes('\\')) return { status: 403 };
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + sep + (path === '/' ? 'index.html' : path.replace(/^\/+/, '')));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { status: 403 };
  return { file };
}

/** The `protocol.handle('app', …)` handler: GET/HEAD of regular files inside the renderer. */
export function createRendererHandler(
  options: RendererHandlerOptions,
): (request: Request) => Promise<Response> {
  const log = options.log ?? (() => undefined);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const target = resolveRendererFile(options.rendererDir, request.url);
    if ('status' in target) {
      log(`app protocol: refused ${request.url} (${target.status})`);
      return refuse(target.status);
    }
    let isFile = false;
    try {
      isFile = statSync(target.file).isFile();
    } catch {
      // missing: 404 below
    }
    if (!isFile) return refuse(404);
    try {
      const response = await options.fetchFile(pathToFileURL(target.file).href);
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', options.csp);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(request.method === 'HEAD' ? null : response.body, {
        status: response.status,
        headers,
      });
    } catch (error) {
      log(`app protocol: could not read ${target.file}: ${String(error)}`);
      return refuse(404);
    }
  };
}

/** Registers the handler (after `ready`; the privileges must have been registered before). */
export function serveRenderer(protocol: ProtocolLike, options: RendererHandlerOptions): void {
  protocol.handle(APP_SCHEME, createRendererHandler(options));
}
