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
 * - memory: frames ≤ 1 MiB, at most MAX_IN_FLIGHT requests per socket between receipt and the
 *   reply's write, and a socket whose send buffer passes MAX_SOCKET_BUFFER (a client that does not
 *   read) is closed — one slow or hostile tab cannot grow the server without limit.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_PATH,
  TOKEN_PARAM,
  type BridgeInvoke,
  type BridgeServerFrame,
} from '../../core/contract/bridgeProtocol';
import { encodeBridgeFrame } from '../../core/contract/bridgeCodec';
import type { ContractHost, EventEnvelope } from '../../core/contract/contract';
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

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
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

  const http: Server = createServer((req, res) => {
    // Nothing a request carries may throw out of this handler: that would end the process.
    try {
      const url = parseUrl(req);
      if (!url) return badRequest(res, 'unparsable URL');
      const why = refusal(req, url, isPage(url));
      if (why) return forbid(res, why);
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
