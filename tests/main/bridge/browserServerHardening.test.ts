/**
 * Browser-mode server under attack (issue #13 findings 5, 6, 7; #8 §6), with a fake contract
 * host so replies can be made slow or large at will:
 * - an undecodable path (`/%E0%A4%A`) threw a URIError outside any try/catch and ended the
 *   process: now 400, and the server answers the next request;
 * - a client that never reads made the server buffer every reply (1 GB for 100 k requests):
 *   now at most MAX_IN_FLIGHT requests per socket, and a socket whose send buffer passes
 *   MAX_SOCKET_BUFFER is closed, while other clients are still served;
 * - oversized and malformed frames are refused without touching other clients;
 * - Host (DNS rebinding) on HTTP and upgrade, tokens, and the cookie needing
 *   Sec-Fetch-Site: same-origin when it is the only credential (cookies are not port-scoped);
 * - connect-src limited to the served port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeBridgeFrame } from '../../../src/core/contract/bridgeCodec';
import type { BridgeServerFrame } from '../../../src/core/contract/bridgeProtocol';
import type { ContractHost, EventEnvelope } from '../../../src/core/contract/contract';
import {
  MAX_IN_FLIGHT,
  startBrowserServer,
  type BrowserServer,
} from '../../../src/main/bridge/browserServer';
import { get, upgrade, writeFakeRenderer, type HttpResult } from './helpers';

/** A raw HTTP request line (paths node's client would refuse or re-encode). */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

interface Client {
  ws: WebSocket;
  frames: BridgeServerFrame[];
  closed: { code: number } | null;
  replies(): Extract<BridgeServerFrame, { type: 'reply' }>[];
}

async function openClient(server: BrowserServer): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`, {
    headers: { origin: `http://127.0.0.1:${server.port}` },
  });
  const client: Client = {
    ws,
    frames: [],
    closed: null,
    replies: () =>
      client.frames.filter(
        (f): f is Extract<BridgeServerFrame, { type: 'reply' }> => f.type === 'reply',
      ),
  };
  ws.on('message', (d: Buffer, isBinary: boolean) =>
    client.frames.push(
      (isBinary ? decodeBridgeFrame(d) : JSON.parse(d.toString())) as BridgeServerFrame,
    ),
  );
  ws.on('close', (code) => (client.closed = { code }));
  ws.on('error', () => undefined);
  await new Promise((r) => ws.once('open', r));
  return client;
}

const invoke = (id: number, channel = 'session.snapshot', req: unknown = null): string =>
  JSON.stringify({ type: 'invoke', id, channel, request: req });

async function waitFor(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('browser-mode server hardening', () => {
  let dir: string;
  let server: BrowserServer;
  /** What the fake host does with session.snapshot: reply size, or hold the reply. */
  const behaviour = { replyChars: 10, hold: false };
  const held: (() => void)[] = [];
  const host: ContractHost = {
    handle: (channel) => {
      const reply = { channel, blob: 'x'.repeat(behaviour.replyChars) } as never;
      if (!behaviour.hold) return Promise.resolve(reply);
      return new Promise((resolve) => held.push(() => resolve(reply)));
    },
    subscribe: (_listener: (e: EventEnvelope) => void) => () => undefined,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-harden-'));
    const renderer = writeFakeRenderer(dir);
    server = await startBrowserServer({ host, rendererDir: renderer, port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const own = (): Record<string, string> => ({ host: `127.0.0.1:${server.port}` });

  it('answers 400 to an undecodable path and keeps serving (#13.5)', async () => {
    const res = await get(server.port, `/%E0%A4%A?token=${server.token}`, own());
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/undecodable path/);
    const asset = await get(server.port, `/assets/%E0%A4%A.js?token=${server.token}`, own());
    expect(asset.status).toBe(400);
    // A URL that `new URL` cannot parse at all.
    expect(await rawGet(server.port, `//[?token=${server.token}`)).toMatch(/^HTTP\/1\.1 400/);
    const next = await get(server.port, `/?token=${server.token}`, own());
    expect(next.status).toBe(200);
  });

  it('checks Host on HTTP and on the bridge upgrade (DNS rebinding)', async () => {
    const q = `/?token=${server.token}`;
    expect((await get(server.port, q, { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(server.port, q, { host: `127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get(server.port, q, { host: `rebind.example:${server.port}` })).status).toBe(403);
    expect((await get(server.port, q, { host: '127.0.0.1' })).status).toBe(403);
    const bridge = `/bridge?token=${server.token}`;
    expect(await upgrade(server.port, bridge, { host: `rebind.example:${server.port}` })).toBe(403);
    expect(await upgrade(server.port, bridge, { host: `localhost:${server.port}` })).toBe('open');
  });

  it('refuses near-miss tokens (compared as fixed-length digests, in constant time)', async () => {
    const t = server.token;
    const wrong = [`${t.slice(0, -1)}${t.endsWith('0') ? '1' : '0'}`, `${t}0`, t.slice(0, -1), ''];
    for (const w of wrong) {
      expect((await get(server.port, `/?token=${w}`, own())).status).toBe(403);
    }
  });

  it('needs Sec-Fetch-Site: same-origin when the cookie is the only credential (#13.7)', async () => {
    const cookie = `pairdesk_token=${server.token}`;
    const asset = (site?: string): Promise<HttpResult> =>
      get(server.port, '/assets/app.js', {
        ...own(),
        cookie,
        ...(site ? { 'sec-fetch-site': site } : {}),
      });
    expect((await asset('same-origin')).status).toBe(200);
    // Another server on 127.0.0.1 (another port) is same-site and shares the cookie jar.
    expect((await asset('same-site')).status).toBe(403);
    expect((await asset('cross-site')).status).toBe(403);
    expect((await asset()).status).toBe(403);
    expect((await asset('none')).status).toBe(403);
    // The page itself on the user's own navigation (a reload after the token left the URL).
    const page = (site?: string): Promise<HttpResult> =>
      get(server.port, '/', { ...own(), cookie, ...(site ? { 'sec-fetch-site': site } : {}) });
    expect((await page('none')).status).toBe(200);
    expect((await page('cross-site')).status).toBe(403);
    expect((await page()).status).toBe(403);
    // The token in the URL needs no Sec-Fetch-Site (non-browser clients, first load).
    expect((await get(server.port, `/assets/app.js?token=${server.token}`, own())).status).toBe(
      200,
    );
    // Bridge upgrade on the cookie alone.
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await upgrade(server.port, '/bridge', { cookie, origin })).toBe(403);
    expect(
      await upgrade(server.port, '/bridge', { cookie, origin, 'sec-fetch-site': 'same-site' }),
    ).toBe(403);
    expect(
      await upgrade(server.port, '/bridge', { cookie, origin, 'sec-fetch-site': 'same-origin' }),
    ).toBe('open');
  });

  it('limits connect-src to the served port', async () => {
    const page = await get(server.port, `/?token=${server.token}`, own());
    const csp = String(page.headers['content-security-policy']);
    const connectSrc = /connect-src ([^;]*)/.exec(csp)?.[1];
    expect(connectSrc).toBe(`'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`);
    expect(csp).not.toContain('*');
    expect(page.body).toContain(csp);
  });

  it(`answers at most ${MAX_IN_FLIGHT} requests in flight per socket, the rest at once with an error`, async () => {
    behaviour.hold = true;
    const a = await openClient(server);
    const b = await openClient(server);
    try {
      for (let id = 1; id <= MAX_IN_FLIGHT + 36; id++) a.ws.send(invoke(id));
      await waitFor(() => a.replies().length === 36, 5_000, '36 refusals');
      expect(held.length).toBe(MAX_IN_FLIGHT);
      for (const r of a.replies()) {
        expect(r.ok).toBe(false);
        expect(r.id).toBeGreaterThan(MAX_IN_FLIGHT);
        if (!r.ok) expect(r.error).toMatch(/too many requests in flight/);
      }
      // Another socket has its own budget.
      b.ws.send(invoke(1));
      await waitFor(() => held.length === MAX_IN_FLIGHT + 1, 5_000, 'b accepted');
      for (const release of held.splice(0)) release();
      await waitFor(() => a.replies().length === MAX_IN_FLIGHT + 36, 5_000, 'held replies');
      await waitFor(() => b.replies().length === 1, 5_000, 'b reply');
      // Budget back: the next request is served.
      behaviour.hold = false;
      a.ws.send(invoke(1_000));
      await waitFor(() => a.replies().some((r) => r.id === 1_000 && r.ok), 5_000, 'served');
    } finally {
      behaviour.hold = false;
      for (const release of held.splice(0)) release();
      a.ws.close();
      b.ws.close();
    }
  });

  it('closes a socket that does not read once its send buffer passes the limit; others are served (#13.6)', async () => {
    behaviour.replyChars = 1_500_000; // 64 replies in flight exceed the 64 MiB buffer limit
    const reader = await openClient(server);
    const stalled = await openClient(server);
    const before = server.clients();
    stalled.ws.pause(); // stops reading: the kernel buffers fill, then the server's
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      // A bounded flood: 2 000 requests, far more than the socket may hold.
      for (let id = 1; id <= 2_000; id++) stalled.ws.send(invoke(id));
      await waitFor(() => server.clients() === before - 1, 20_000, 'stalled socket closed');
      // The reading client is still served, with large replies too.
      reader.ws.send(invoke(1));
      await waitFor(() => reader.replies().length === 1, 10_000, 'reader served');
      expect(reader.replies()[0].ok).toBe(true);
      expect(reader.closed).toBeNull();
    } finally {
      clearInterval(sampler);
      behaviour.replyChars = 10;
      reader.ws.close();
      stalled.ws.terminate();
    }
    const growthMb = (peak - rssBefore) / 2 ** 20;
    console.log(`[bridge backpressure, fake host] RSS growth ${growthMb.toFixed(0)} MB`);
    // 64 MiB of buffer plus the replies being encoded; unbounded before (1.5 MB × 2 000 = 3 GB).
    expect(growthMb).toBeLessThan(400);
  }, 40_000);

  it('refuses oversized and malformed frames without disturbing other clients (#8.6)', async () => {
    const hostile = await openClient(server);
    const other = await openClient(server);
    hostile.ws.send('not json');
    hostile.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    hostile.ws.send('{"type":"invoke","id":5,"channel":"session.snapshot"'); // cut short
    hostile.ws.send(JSON.stringify({ type: 'invoke', id: 6, channel: 'no.such', request: 1 }));
    hostile.ws.send(JSON.stringify([1, 2]));
    await waitFor(() => hostile.replies().length === 5, 5_000, 'error replies');
    expect(hostile.replies().every((r) => !r.ok)).toBe(true);
    expect(hostile.closed).toBeNull();
    // 2 MiB frame: over the 1 MiB limit, this socket only is closed with 1009.
    hostile.ws.send('x'.repeat(2 * 1024 * 1024));
    await waitFor(() => hostile.closed !== null, 5_000, 'oversized frame closes');
    expect(hostile.closed?.code).toBe(1009);
    other.ws.send(invoke(7));
    await waitFor(() => other.replies().length === 1, 5_000, 'other served');
    expect(other.replies()[0]).toMatchObject({ id: 7, ok: true });
    expect(other.closed).toBeNull();
    other.ws.close();
  });
});
