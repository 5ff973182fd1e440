/**
 * Browser mode: serves the built renderer and a WebSocket bridge carrying the same typed contract
 * as Electron IPC, so the unchanged UI runs in any browser tab on this machine.
 *
 * Security, since any web page the user visits can try to reach 127.0.0.1:
 * - binds 127.0.0.1 only;
 * - a random token per run: the printed URL carries it; the first page request with the token
 *   sets an HttpOnly SameSite=Strict cookie so the page's own asset requests pass; every request
 *   and upgrade without a valid token or cookie gets 403;
 * - the Host header must name this server (defeats DNS rebinding) and an Origin, when sent, must
 *   be this server's own, else 403;
 * - cookies are not port-scoped (any server on 127.0.0.1 shares them): a request whose only
 *   credential is the cookie must come from this page (`Sec-Fetch-Site: same-origin`, or `none`
 *   for the user's own navigation to the page, e.g. a reload once the token left the address bar);
 * - every bridge request is validated against the contract's schemas before it reaches the host;
 *   `files.register` (paths of files dropped on the Electron window) is refused: a page uploads;
 * - memory: frames ≤ 1 MiB, at most MAX_IN_FLIGHT requests per socket between receipt and the
 *   reply's write, and a socket whose send buffer passes MAX_SOCKET_BUFFER (a client that does not
 *   read) is closed — one slow or hostile tab cannot grow the server without limit.
 *
 * Files (#10), under the same Host/Origin/token/cookie rules as everything else:
 * - `POST /files/upload?name=…` streams the body to `<dataDir>/uploads/<random id>/<name>`; the
 *   name is the client's word only, so it is cut to its base name and a small charset
 *   (`sanitiseUploadName`); at most MAX_UPLOAD_BYTES (413 beyond) and MAX_CONCURRENT_UPLOADS at
 *   once (429 beyond); the stored file is handed to `onUpload`, whose PickedFile is the answer;
 * - `GET /files/download/<id>` sends the one regular file in `<dataDir>/downloads/<id>/` as a CSV
 *   attachment, once (the folder is removed after a complete send); anything else is 404.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Transform, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_PATH,
  TOKEN_PARAM,
  type BridgeInvoke,
  type BridgeServerFrame,
} from '../../core/contract/bridgeProtocol';
import { encodeBridgeFrame } from '../../core/contract/bridgeCodec';
import type { ContractHost, EventEnvelope } from '../../core/contract/contract';
import type { PickedFile } from '../../core/contract/files';
import { isRequestChannel, parseRequest } from '../../core/contract/schemas';
import { buildCsp, withCspMeta } from '../platform/csp';

export const BROWSER_HOST = '127.0.0.1';
const COOKIE = 'pairdesk_token';
/** A client whose socket buffers more than this is too slow: its coalesced events are skipped. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** A client whose socket buffers more than this does not read at all: it is closed. */
export const MAX_SOCKET_BUFFER = 64 * 1024 * 1024;
/** Requests per socket received and not yet answered (reply written); more get an error. */
export const MAX_IN_FLIGHT = 64;
/** Largest bridge frame accepted; requests are small JSON. */
export const MAX_BRIDGE_FRAME = 1024 * 1024;

/** Upload route; the file name comes as `?name=`. */
export const UPLOAD_PATH = '/files/upload';
/** Download route: `/files/download/<id>` serves the file in `<dataDir>/downloads/<id>/`. */
export const DOWNLOAD_PATH_PREFIX = '/files/download/';
/** Largest upload by default (a month of one symbol's aggTrades CSV is a few GiB). */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
/** Uploads received at the same time; more get 429. */
export const MAX_CONCURRENT_UPLOADS = 4;
/** Longest stored upload name, in characters. */
export const MAX_UPLOAD_NAME = 200;
const DOWNLOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface BrowserServerOptions {
  host: ContractHost;
  /** Built renderer folder (out/renderer). */
  rendererDir: string;
  /** TCP port on 127.0.0.1; 0 = any free port. */
  port: number;
  /** Fixed token (tests); default a fresh random one. */
  token?: string;
  /** Folder of `uploads/` and `downloads/`; without it (or `onUpload`) the file routes are 404. */
  dataDir?: string;
  /** Registers a stored upload (FilesService.registerPath); its PickedFile is the reply. */
  onUpload?: (path: string) => PickedFile;
  /** Upload size cap in bytes (default MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

export interface BrowserServer {
  port: number;
  token: string;
  /** The URL to open, token included. */
  url: string;
  clients(): number;
  close(): Promise<void>;
}

/** Constant-time comparison: digests have equal length whatever the candidate's length. */
function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

/**
 * The name an upload is stored under, or null when nothing usable is left: the base name only
 * (after the last `/` or `\`), letters, digits and ` ._-+()@,=` kept and anything else made
 * `_`, no leading dots (no hidden files, no `..`), no trailing dots or spaces (Windows), device
 * names (`CON`, `NUL`, …) prefixed, at most MAX_UPLOAD_NAME characters.
 */
export function sanitiseUploadName(raw: string): string | null {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base.replace(/[^\p{L}\p{N} ._\-+()@,=]/gu, '_');
  name = name.replace(/^[. ]+/, '').replace(/[. ]+$/, '');
  if (name.length === 0 || [...name].length > MAX_UPLOAD_NAME) return null;
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(name)) name = `_${name}`;
  return name;
}

/** `Content-Disposition: attachment` with an ASCII fallback and RFC 5987 UTF-8 (RFC 6266). */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (ascii === fileName) return `attachment; filename="${fileName}"`;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

class UploadTooLarge extends Error {}

/**
 * Streams the request body into `target` (created, never overwritten), counting bytes; rejects
 * with UploadTooLarge past `maxBytes` and with an Error when the client goes away. The request
 * itself is not destroyed on a refusal, so the 413 can still be sent on its socket.
 */
async function receiveUpload(req: IncomingMessage, target: string, maxBytes: number) {
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > maxBytes) done(new UploadTooLarge(`the upload is over ${maxBytes} bytes`));
      else done(null, chunk);
    },
  });
  req.on('error', (error) => limiter.destroy(error));
  req.on('close', () => {
    if (!req.complete) limiter.destroy(new Error('the upload was interrupted'));
  });
  req.pipe(limiter);
  await pipeline(limiter, createWriteStream(target, { flags: 'wx' }));
  return received;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const rendererDir = resolve(options.rendererDir);
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) {
    throw new Error(`no built renderer at ${rendererDir} (run \`npm run build\`)`);
  }
  const indexTemplate = readFileSync(indexFile, 'utf8');
  // connect-src names the served port, known once listening (port 0 = any): set after listen.
  let csp = buildCsp('browser');
  let indexHtml = withCspMeta(indexTemplate, csp);
  let port = options.port;

  const allowedHosts = (): Set<string> => new Set([`${BROWSER_HOST}:${port}`, `localhost:${port}`]);
  const ownOrigins = (): Set<string> =>
    new Set([`http://${BROWSER_HOST}:${port}`, `http://localhost:${port}`]);

  /** Why a request must be refused, or null when it may pass. */
  function refusal(req: IncomingMessage, url: URL, page: boolean): string | null {
    if (!allowedHosts().has(req.headers.host ?? '')) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().has(origin)) return 'foreign Origin';
    if (sameToken(url.searchParams.get(TOKEN_PARAM), token)) return null;
    if (!sameToken(cookieToken(req), token)) return 'missing or wrong token';
    // Cookie only: another server on 127.0.0.1 (another port, same cookie jar) or a cross-site
    // page must not be able to use it. Browsers set Sec-Fetch-Site and pages cannot forge it.
    const site = req.headers['sec-fetch-site'];
    if (site === 'same-origin' || (page && site === 'none')) return null;
    return `the cookie alone needs Sec-Fetch-Site: same-origin (got ${site ?? 'none sent'})`;
  }

  function forbid(res: ServerResponse, why: string): void {
    res.writeHead(403, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(`403 Forbidden: ${why}. Open the URL printed by \`pairdesk serve\`.\n`);
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const cookie = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    const common = {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, {
        ...common,
        'content-type': CONTENT_TYPES['.html'],
        'content-security-policy': csp,
        'cache-control': 'no-store',
        'set-cookie': cookie,
      });
      res.end(indexHtml);
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return badRequest(res, 'undecodable path');
    }
    const file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...common, 'content-type': 'text/plain' });
      res.end('404 Not Found\n');
      return;
    }
    res.writeHead(200, {
      ...common,
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(readFileSync(file));
  }

  function badRequest(res: ServerResponse, why: string): void {
    res.writeHead(400, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(`400 Bad Request: ${why}\n`);
  }

  /** The request URL, or null when it cannot be parsed (e.g. `//[`): never a thrown error. */
  function parseUrl(req: IncomingMessage): URL | null {
    try {
      return new URL(req.url ?? '/', `http://${BROWSER_HOST}`);
    } catch {
      return null;
    }
  }

  const isPage = (url: URL): boolean => url.pathname === '/' || url.pathname === '/index.html';

  function plain(res: ServerResponse, status: number, text: string, extra = {}): void {
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      ...extra,
    });
    res.end(`${text}\n`);
  }

  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  let uploadsRunning = 0;

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { dataDir, onUpload } = options;
    if (dataDir === undefined || onUpload === undefined) {
      return plain(res, 404, '404 Not Found: uploads are not enabled');
    }
    if (req.method !== 'POST') return plain(res, 405, '405 Method Not Allowed', { allow: 'POST' });
    const name = sanitiseUploadName(url.searchParams.get('name') ?? '');
    if (name === null) {
      return badRequest(res, `?name= must be a file name of 1 to ${MAX_UPLOAD_NAME} characters`);
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    // Refused before reading; `connection: close` drops the unread body with the socket.
    const refuse = (status: number, text: string): void =>
      plain(res, status, text, { connection: 'close' });
    if (declared > maxUploadBytes) {
      return refuse(413, `413 Payload Too Large: uploads are limited to ${maxUploadBytes} bytes`);
    }
    if (uploadsRunning >= MAX_CONCURRENT_UPLOADS) {
      return refuse(429, `429 Too Many Requests: ${MAX_CONCURRENT_UPLOADS} uploads at a time`);
    }
    uploadsRunning++;
    const folder = join(dataDir, 'uploads', randomBytes(12).toString('base64url'));
    const target = join(folder, name);
    try {
      await mkdir(folder, { recursive: true });
      await receiveUpload(req, target, maxUploadBytes);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      if (error instanceof UploadTooLarge) {
        return refuse(413, `413 Payload Too Large: uploads are limited to ${maxUploadBytes} bytes`);
      }
      if (!res.writableEnded && !req.destroyed)
        return refuse(400, `400 Bad Request: ${messageOf(error)}`);
      return;
    } finally {
      uploadsRunning--;
    }
    let picked: PickedFile;
    try {
      picked = onUpload(target);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      return badRequest(res, messageOf(error));
    }
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(JSON.stringify(picked));
  }

  function download(req: IncomingMessage, res: ServerResponse, id: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(res, 405, '405 Method Not Allowed', { allow: 'GET, HEAD' });
    }
    const notFound = (): void => plain(res, 404, '404 Not Found: no such download');
    if (options.dataDir === undefined || !DOWNLOAD_ID.test(id)) return notFound();
    const folder = join(options.dataDir, 'downloads', id);
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return notFound();
    }
    // Exactly one regular file (a symlink is not followed).
    if (names.length !== 1) return notFound();
    const file = join(folder, names[0]);
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) return notFound();
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(st.size),
      'content-disposition': attachmentDisposition(names[0]),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Served once: the folder goes after a complete send (a failed one can be retried).
    pipeline(createReadStream(file), res).then(
      () => rm(folder, { recursive: true, force: true }),
      () => undefined,
    );
  }

  const http: Server = createServer((req, res) => {
    // Nothing a request carries may throw out of this handler: that would end the process.
    try {
      const url = parseUrl(req);
      if (!url) return badRequest(res, 'unparsable URL');
      const why = refusal(req, url, isPage(url));
      if (why) return forbid(res, why);
      if (url.pathname === UPLOAD_PATH) {
        upload(req, res, url).catch((error: unknown) => {
          if (!res.headersSent) badRequest(res, messageOf(error));
          else res.destroy();
        });
        return;
      }
      if (url.pathname.startsWith(DOWNLOAD_PATH_PREFIX)) {
        return download(req, res, url.pathname.slice(DOWNLOAD_PATH_PREFIX.length));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' });
        res.end();
        return;
      }
      serveFile(req, res, url);
    } catch (error) {
      if (!res.headersSent) badRequest(res, (error as Error).message);
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_FRAME });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(req);
    const why = !url
      ? 'unparsable URL'
      : url.pathname !== BRIDGE_PATH
        ? 'not the bridge path'
        : refusal(req, url, false);
    if (why) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n403 Forbidden: ${why}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  /** Sends a frame; `done` runs once it is written (or dropped). Closes clients that do not read. */
  const send = (ws: WebSocket, frame: BridgeServerFrame, done?: () => void): void => {
    if (ws.readyState !== ws.OPEN) {
      done?.();
      return;
    }
    // Bulk payloads (bar histories, analytics series) go as binary frames: see bridgeCodec.
    ws.send(encodeBridgeFrame(frame), () => done?.());
    if (ws.bufferedAmount > MAX_SOCKET_BUFFER) {
      // A client that does not read would otherwise hold every reply in our memory.
      ws.close(1008, 'not reading: send buffer over limit');
      // The close frame would queue behind the backlog: drop the connection now.
      ws.terminate();
    }
  };

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = options.host.subscribe((envelope: EventEnvelope) => {
      // Bars and prices are coalesced and the next event supersedes them: a client that cannot
      // keep up skips some rather than growing an unbounded queue.
      const skippable = envelope.event === 'bars' || envelope.event === 'prices';
      if (skippable && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      send(ws, { type: 'event', envelope });
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    let inFlight = 0;
    ws.on('message', (data, isBinary) => {
      let id = -1;
      if (inFlight >= MAX_IN_FLIGHT) {
        // Answered at once without work; the reply names the id when it can be read cheaply.
        const match = /"id"\s*:\s*(-?\d{1,15})[,}\s]/.exec(isBinary ? '' : data.toString());
        send(ws, {
          type: 'reply',
          id: match ? Number(match[1]) : -1,
          ok: false,
          error: `too many requests in flight (${MAX_IN_FLIGHT}); wait for replies`,
        });
        return;
      }
      inFlight++;
      const finished = (): void => {
        inFlight--;
      };
      void (async () => {
        try {
          if (isBinary) throw new Error('bridge frames are JSON text');
          const msg = JSON.parse(data.toString()) as Partial<BridgeInvoke>;
          if (typeof msg !== 'object' || msg === null || msg.type !== 'invoke')
            throw new Error('expected {"type":"invoke",…}');
          if (typeof msg.id !== 'number' || !Number.isInteger(msg.id))
            throw new Error('invoke needs an integer id');
          id = msg.id;
          if (!isRequestChannel(msg.channel))
            throw new Error(`unknown request channel ${JSON.stringify(msg.channel)}`);
          if (msg.channel === 'files.register') {
            // Paths come from Electron drops only; a page here uploads, so a path from it is
            // never the user's choice (and would let it read any file main can).
            throw new Error('files.register is for the desktop app; browser mode uploads files');
          }
          const request = parseRequest(msg.channel, msg.request);
          const response = await options.host.handle(msg.channel, request);
          send(ws, { type: 'reply', id, ok: true, response }, finished);
        } catch (error) {
          send(ws, { type: 'reply', id, ok: false, error: (error as Error).message }, finished);
        }
      })();
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(options.port, BROWSER_HOST, () => {
      http.off('error', reject);
      resolvePromise();
    });
  });
  const address = http.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  csp = buildCsp('browser', { port });
  indexHtml = withCspMeta(indexTemplate, csp);

  return {
    port,
    token,
    url: `http://${BROWSER_HOST}:${port}/?${TOKEN_PARAM}=${token}`,
    clients: () => wss.clients.size,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => http.close(() => r()));
      http.closeAllConnections();
    },
  };
}
