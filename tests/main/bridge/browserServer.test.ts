/**
 * Browser mode's server with the real app services (SQLite file, simulated market over
 * loopback): token, Host and Origin checks, the bridge carrying the contract, validation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeBridgeFrame } from '../../../src/core/contract/bridgeCodec';
import type { BridgeServerFrame } from '../../../src/core/contract/bridgeProtocol';
import type { SessionSnapshot } from '../../../src/core/contract/contract';
import { buildCsp } from '../../../src/main/platform/csp';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { startBrowserServer, type BrowserServer } from '../../../src/main/bridge/browserServer';
import { get, upgrade, writeFakeRenderer } from './helpers';

describe('browser-mode server', () => {
  let dir: string;
  let app: PairDeskApp;
  let server: BrowserServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-serve-'));
    const renderer = writeFakeRenderer(dir);
    app = await startPairDeskApp({ dbFile: join(dir, 'app.db'), source: 'demo', demoRate: 200 });
    server = await startBrowserServer({ host: app.host, rendererDir: renderer, port: 0 });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses requests without the token with 403', async () => {
    const host = `127.0.0.1:${server.port}`;
    expect((await get(server.port, '/', { host })).status).toBe(403);
    expect((await get(server.port, '/assets/app.js', { host })).status).toBe(403);
    expect((await get(server.port, '/?token=wrong', { host })).status).toBe(403);
  });

  it('serves the page with the token, a browser CSP and a cookie for its assets', async () => {
    const page = await get(server.port, `/?token=${server.token}`, {
      host: `127.0.0.1:${server.port}`,
    });
    expect(page.status).toBe(200);
    const csp = buildCsp('browser', { port: server.port });
    expect(page.headers['content-security-policy']).toBe(csp);
    expect(page.body).toContain(csp);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`pairdesk_token=${server.token}`);
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    // As a browser sends it for the page's own assets (the cookie alone needs it, see #13.7).
    const asset = await get(server.port, '/assets/app.js', {
      host: `127.0.0.1:${server.port}`,
      cookie,
      'sec-fetch-site': 'same-origin',
    });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const escape = await get(server.port, '/..%2F..%2Fapp.db', {
      host: `127.0.0.1:${server.port}`,
      cookie,
      'sec-fetch-site': 'same-origin',
    });
    expect(escape.status).toBe(404);
  });

  it('refuses a foreign Origin or Host even with the token', async () => {
    const q = `/?token=${server.token}`;
    expect(
      (
        await get(server.port, q, {
          host: `127.0.0.1:${server.port}`,
          origin: 'http://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await get(server.port, q, { host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('refuses bridge upgrades without the token or from another Origin', async () => {
    expect(await upgrade(server.port, '/bridge')).toBe(403);
    expect(
      await upgrade(server.port, `/bridge?token=${server.token}`, {
        origin: 'http://evil.example',
      }),
    ).toBe(403);
    expect(
      await upgrade(server.port, `/bridge?token=${server.token}`, {
        origin: `http://127.0.0.1:${server.port}`,
      }),
    ).toBe('open');
  });

  it('carries the contract: replies, validation errors and live events', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`, {
      headers: { origin: `http://127.0.0.1:${server.port}` },
    });
    const frames: BridgeServerFrame[] = [];
    ws.on('message', (d: Buffer, isBinary: boolean) =>
      frames.push(
        (isBinary ? decodeBridgeFrame(d) : JSON.parse(d.toString())) as BridgeServerFrame,
      ),
    );
    await new Promise((r) => ws.on('open', r));
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'session.snapshot', request: null }));
    ws.send(
      JSON.stringify({
        type: 'invoke',
        id: 2,
        channel: 'bars.history',
        request: { symbol: 'btc', timeframe: '1m', limit: 5 },
      }),
    );
    ws.send(JSON.stringify({ type: 'invoke', id: 3, channel: 'shell.exec', request: 'rm -rf /' }));
    ws.send('not json');
    const waitFor = async (check: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(check()).toBe(true);
    };
    await waitFor(() => frames.filter((f) => f.type === 'reply').length >= 4);
    const reply = (id: number) => frames.find((f) => f.type === 'reply' && f.id === id);
    const snapshot = reply(1);
    expect(snapshot?.type === 'reply' && snapshot.ok).toBe(true);
    if (snapshot?.type === 'reply' && snapshot.ok) {
      const s = snapshot.response as SessionSnapshot;
      expect(s.source.kind).toBe('demo');
      expect(s.source.simulated).toBe(true);
    }
    const bad = reply(2);
    expect(bad?.type === 'reply' && !bad.ok && bad.error).toMatch(
      /Invalid request for "bars.history": symbol/,
    );
    const unknown = reply(3);
    expect(unknown?.type === 'reply' && !unknown.ok && unknown.error).toMatch(
      /unknown request channel/,
    );
    const garbage = reply(-1);
    expect(garbage?.type === 'reply' && !garbage.ok).toBe(true);
    await waitFor(() => frames.some((f) => f.type === 'event' && f.envelope.event === 'bars'));
    ws.close();
  });
});
