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
 * - every bridge request is validated against the contract's schemas before it reaches the host.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
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

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
  const csp = buildCsp('browser');
  const indexHtml = withCspMeta(readFileSync(indexFile, 'utf8'), csp);
  let port = options.port;

  const allowedHosts = (): Set<string> => new Set([`${BROWSER_HOST}:${port}`, `localhost:${port}`]);
  const ownOrigins = (): Set<string> =>
    new Set([`http://${BROWSER_HOST}:${port}`, `http://localhost:${port}`]);

  /** Why a request must be refused, or null when it may pass. */
  function refusal(req: IncomingMessage, url: URL): string | null {
    if (!allowedHosts().has(req.headers.host ?? '')) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins().has(origin)) return 'foreign Origin';
    if (
      !sameToken(url.searchParams.get(TOKEN_PARAM), token) &&
      !sameToken(cookieToken(req), token)
    ) {
      return 'missing or wrong token';
    }
    return null;
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
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
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

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${BROWSER_HOST}`);
    const why = refusal(req, url);
    if (why) return forbid(res, why);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    serveFile(req, res, url);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${BROWSER_HOST}`);
    const why = url.pathname !== BRIDGE_PATH ? 'not the bridge path' : refusal(req, url);
    if (why) {
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n403 Forbidden: ${why}\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, frame: BridgeServerFrame): void => {
    // Bulk payloads (bar histories, analytics series) go as binary frames: see bridgeCodec.
    if (ws.readyState === ws.OPEN) ws.send(encodeBridgeFrame(frame));
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
    ws.on('message', (data, isBinary) => {
      let id = -1;
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
          send(ws, { type: 'reply', id, ok: true, response });
        } catch (error) {
          send(ws, { type: 'reply', id, ok: false, error: (error as Error).message });
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
