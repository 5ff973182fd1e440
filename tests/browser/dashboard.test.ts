/**
 * The real renderer in Debian's Chromium against `pairdesk serve`, fed by the project's local
 * Binance-compatible feed: the scenario of the dashboard issue, end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bar, Timeframe } from '../../src/core/market/types';
import { TIMEFRAME_MS } from '../../src/core/market/types';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import { startFeedServer, type FeedServer } from '../../src/main/feedserver';
import { PairDeskStore } from '../../src/main/store/store';
import {
  ARTIFACTS,
  HAS_CHROMIUM,
  CHROMIUM,
  launchChromium,
  startServe,
  waitUntil,
  type ServeProcess,
} from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

function debugBars(page: Page, symbol: string, tf: Timeframe): Promise<Bar[]> {
  return page.evaluate(([s, t]) => window.__pairdeskDebug?.bars(s, t as Timeframe) ?? [], [
    symbol,
    tf,
  ] as const);
}

describe.skipIf(!HAS_CHROMIUM)('dashboard in Chromium against serve + local feed', () => {
  let dir: string;
  let feed: FeedServer;
  let browser: Browser;
  let serve: ServeProcess | undefined;
  const db = (): string => join(dir, 'dashboard.db');
  const liveArgs = (): string[] => [
    '--source',
    'live',
    '--feed-url',
    feed.url,
    '--db',
    db(),
    '--symbols',
    'BTCUSDT,ETHUSDT',
  ];

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-browser-'));
    feed = await startFeedServer({
      port: 0,
      source: { kind: 'sim', symbols: ['BTCUSDT', 'ETHUSDT'], rate: 200, seed: 3 },
    });
    browser = await launchChromium();
    serve = await startServe(liveArgs());
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
    await feed?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Script errors, console errors and failed requests of the pages the current test opened. */
  let pageProblems: string[] = [];
  beforeEach(() => {
    pageProblems = [];
  });
  afterEach(() => {
    expect(pageProblems).toEqual([]);
  });

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageProblems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') pageProblems.push(`console error: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400)
        pageProblems.push(`HTTP ${r.status()} for ${new URL(r.url()).pathname}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__pairdeskDebug !== undefined);
    expect(pageProblems).toEqual([]);
    return page;
  }

  it('refuses requests without the token with 403', async () => {
    if (!serve) throw new Error('serve not started');
    expect(await httpStatus(serve.port, '/')).toBe(403);
    expect(await httpStatus(serve.port, '/?token=deadbeef')).toBe(403);
  });

  it('reaches live, draws candles that keep updating, and shows stored bars per timeframe', async () => {
    if (!serve) throw new Error('serve not started');
    const page = await openPage(serve.url);
    await page.getByTestId('status-connection').first().waitFor();
    await waitUntil(
      'status live',
      () => page.getByTestId('status-connection').first().innerText(),
      (t) => /live/i.test(t),
    );
    // The live source on another feed URL is named by its host, not as Binance (#8 §3).
    expect(await page.getByTestId('status-connection').first().innerText()).toMatch(
      /^Live feed 127\.0\.0\.1:\d+: receiving data/,
    );
    expect(await page.getByTestId('source-badge-simulated').count()).toBe(0);

    await page.getByTestId('timeframe-1s').click();
    await page.getByTestId('chart-candles-BTCUSDT').waitFor();
    const first = await waitUntil(
      '1s bars',
      () => debugBars(page, 'BTCUSDT', '1s'),
      (b) => b.length >= 4,
    );
    // Candles keep updating: later bars appear without a reload.
    await waitUntil(
      'new 1s bars',
      () => debugBars(page, 'BTCUSDT', '1s'),
      (b) => b.length > 0 && b[b.length - 1].startMs > first[first.length - 1].startMs,
    );
    expect(
      await page.evaluate(() => window.__pairdeskDebug?.chartPointCount('BTCUSDT') ?? 0),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live-1s.png') });

    for (const tf of ['1s', '1m'] as const) {
      await page.getByTestId(`timeframe-${tf}`).click();
      const shown = await waitUntil(
        `${tf} bars shown`,
        () => debugBars(page, 'ETHUSDT', tf),
        (b) => b.length >= 1 && b.every((bar) => bar.timeframeMs === TIMEFRAME_MS[tf]),
      );
      // Every bar the chart holds that the store has closed is exactly the stored bar.
      const store = PairDeskStore.open(db(), { readonly: true });
      try {
        const dataset = store.latestDataset('live');
        expect(dataset).toBeDefined();
        const stored = new Map(
          store
            .bars(dataset?.id ?? 0, 'ETHUSDT', TIMEFRAME_MS[tf])
            .map((b) => [b.startMs, b] as const),
        );
        const closed = shown.filter((b) => stored.has(b.startMs));
        expect(closed.length).toBeGreaterThanOrEqual(Math.min(shown.length - 2, 1));
        for (const bar of closed) {
          const s = stored.get(bar.startMs);
          // An in-progress bar may have moved on since the view read it; a closed one may not.
          if (s && bar !== shown[shown.length - 1]) expect(bar).toEqual(s);
        }
        expect(shown.map((b) => b.startMs)).toEqual(
          [...shown.map((b) => b.startMs)].sort((a, b) => a - b),
        );
      } finally {
        store.close();
      }
    }
    await page.close();
  });

  it('toggles the theme and keeps settings across a restart of serve', async () => {
    if (!serve) throw new Error('serve not started');
    let page = await openPage(serve.url);
    const theme = (): Promise<string | undefined> =>
      page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await page.getByTestId('theme-toggle').click();
    const after = await waitUntil('theme change', theme, (t) => t !== before);
    expect(['dark', 'light']).toContain(after);
    await page.getByTestId('timeframe-5m').click();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-theme-toggled.png') });
    // Settings are saved in SQLite by the main side; wait until they are.
    await waitUntil(
      'settings stored',
      () => {
        const store = PairDeskStore.open(db(), { readonly: true });
        try {
          return store.getSetting('settings') as { theme?: string; timeframe?: string } | undefined;
        } finally {
          store.close();
        }
      },
      (s) => s?.theme === after && s?.timeframe === '5m',
    );
    await page.close();

    expect(await serve.stop()).toBe(0);
    serve = await startServe(liveArgs());
    page = await openPage(serve.url);
    await waitUntil('restored theme', theme, (t) => t === after);
    await waitUntil(
      'restored timeframe',
      () => page.getByTestId('timeframe-5m').getAttribute('aria-checked'),
      (v) => v === 'true',
    );
    await page.close();
  });

  it('labels the simulated market SIMULATED', async () => {
    await serve?.stop();
    serve = await startServe(['--source', 'demo', '--db', db(), '--demo-rate', '100']);
    const page = await openPage(serve.url);
    await page.getByTestId('source-badge-simulated').first().waitFor();
    await page.getByTestId('chart-candles-BTCUSDT').waitFor();
    // Never "Live" for the simulated market (#8 §3).
    await waitUntil(
      'simulated status',
      () => page.getByTestId('status-connection').first().innerText(),
      (t) => t === 'Simulated market: streaming',
    );
    // Every chart panel and the status bar carry the label.
    await waitUntil(
      'SIMULATED labels',
      () => page.getByText('SIMULATED', { exact: true }).count(),
      (n) => n >= 4,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-simulated.png') });
    await page.close();
  });
});
