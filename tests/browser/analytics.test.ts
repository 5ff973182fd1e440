/**
 * The Analytics tab in Debian's Chromium against `pairdesk serve` on the simulated cointegrated
 * market: warm-up first, then the panels fill live; the rows the page holds are the server's
 * (checked through a second bridge connection); "Run now" shows Engle–Granger, ADF and a reading;
 * screenshots in both themes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsSeries } from '../../src/core/contract/contract';
import { ensureRendererBuilt } from '../../src/main/bridge/rendererBuild';
import type { AnalyticsRow } from '../../src/renderer/state/analyticsStore';
import {
  ARTIFACTS,
  bridgeInvoke,
  CHROMIUM,
  HAS_CHROMIUM,
  launchChromium,
  startServe,
  waitUntil,
  type ServeProcess,
  waitForSession,
} from './support';

if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const rowCount = (page: Page): Promise<number> =>
  page.evaluate(() => window.__pairdeskDebug?.analyticsRowCount() ?? 0);

const pageRows = (page: Page): Promise<AnalyticsRow[]> =>
  page.evaluate(() => window.__pairdeskDebug?.analyticsRows() ?? []);

/** Rows of the server's series that the page also holds and where they differ. */
function mismatches(rows: AnalyticsRow[], series: AnalyticsSeries): string[] {
  const c = series.columns;
  const byTime = new Map(c.startMs.map((t, i) => [t, i] as const));
  const out: string[] = [];
  let shared = 0;
  for (const row of rows) {
    const i = byTime.get(row.startMs);
    if (i === undefined) continue;
    shared++;
    for (const key of Object.keys(row) as (keyof AnalyticsRow)[]) {
      if (row[key] !== c[key][i]) out.push(`${key}@${row.startMs}: ${row[key]} ≠ ${c[key][i]}`);
    }
  }
  if (shared < Math.min(rows.length, c.startMs.length) - 3) out.push(`only ${shared} rows shared`);
  return out;
}

describe.skipIf(!HAS_CHROMIUM)('analytics tab in Chromium against serve --source demo', () => {
  let dir: string;
  let browser: Browser;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    ensureRendererBuilt();
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-analytics-'));
    browser = await launchChromium();
    serve = await startServe([
      '--source',
      'demo',
      '--db',
      join(dir, 'analytics.db'),
      '--demo-rate',
      '300',
    ]);
  }, 120_000);

  afterAll(async () => {
    await serve?.stop();
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('warms up, fills live with the server’s rows, runs the tests and shows them', async () => {
    if (!serve) throw new Error('serve not started');
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // `analytics.series` requests the page sends over the bridge.
    let seriesRequests = 0;
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (typeof payload === 'string' && payload.includes('"analytics.series"')) seriesRequests++;
      }),
    );
    await page.goto(serve.url);
    await page.waitForFunction(() => window.__pairdeskDebug !== undefined);
    await waitForSession(page);

    // A fresh database at 1m and W = 60: nothing to draw yet, said in plain words.
    await page.keyboard.press('a');
    const warmup = page.getByTestId('analytics-warmup');
    await warmup.waitFor();
    expect(await warmup.innerText()).toMatch(/waiting|loading/i);
    await page.screenshot({ path: join(ARTIFACTS, 'analytics-warmup.png') });

    // 1s bars and a small window, through the UI.
    await page.getByTestId('timeframe-1s').click();
    const windowField = page.getByTestId('input-rolling-window');
    await windowField.fill('10');
    await windowField.press('Enter');
    await waitUntil(
      'the 1s selection',
      () => page.getByTestId('analytics-summary').innerText(),
      (t) => /\b1s\b/.test(t) && /W\s*10\b/.test(t),
    );

    // The panels fill and keep growing without a reload; the warm-up message goes away.
    const first = await waitUntil(
      'analytics rows',
      () => rowCount(page),
      (n) => n >= 20,
      40_000,
    );
    await waitUntil(
      'more rows',
      () => rowCount(page),
      (n) => n > first,
      10_000,
    );
    await warmup.waitFor({ state: 'detached', timeout: 10_000 });

    // Another window W: the rows come once, with the server's reset event; the page sends no
    // `analytics.series` request for them (it would get the same rows twice).
    const requestsBefore = seriesRequests;
    await windowField.fill('12');
    await windowField.press('Enter');
    await waitUntil(
      'rows computed with W = 12',
      () => page.evaluate(() => window.__pairdeskDebug?.analyticsSelection() ?? null),
      (sel) => sel?.rollingWindow === 12 && sel.timeframe === '1s',
      10_000,
    );
    expect(await rowCount(page)).toBeGreaterThan(0);
    expect(seriesRequests).toBe(requestsBefore);

    // Kalman δ and Ve are settings: δ = 1 is refused in place (never sent); 1e-4 recomputes.
    const deltaField = page.getByTestId('input-kalman-delta');
    await deltaField.fill('1');
    expect(await page.getByRole('alert').filter({ hasText: 'Kalman δ' }).innerText()).toMatch(
      /must be > 0 and < 1/,
    );
    await deltaField.fill('1e-4');
    await deltaField.press('Enter');
    await waitUntil(
      'rows computed with Kalman δ = 1e-4',
      () => page.evaluate(() => window.__pairdeskDebug?.analyticsSelection() ?? null),
      (sel) => sel?.kalmanDelta === 1e-4 && sel.kalmanVe === 10,
      10_000,
    );
    expect(await page.locator('.analytics-panel-hedge .chart-hint-inline').innerText()).toMatch(
      /Kalman δ = 1e-4, Ve = 10/,
    );
    for (const id of ['spread', 'zscore', 'hedge', 'correlation', 'volatility']) {
      await page.getByTestId(`analytics-chart-${id}`).waitFor();
      expect(
        await page.evaluate(
          (name) => window.__pairdeskDebug?.chartPointCount(name) ?? 0,
          `analytics-${id}`,
        ),
      ).toBeGreaterThan(0);
    }

    // The z-score shown for the last row is the page's last row, which is the server's.
    const shownZ = page.getByTestId('analytics-last-zscore');
    const [valueAttr, startAttr, last] = await Promise.all([
      shownZ.getAttribute('data-value'),
      shownZ.getAttribute('data-start-ms'),
      page.evaluate(() => window.__pairdeskDebug?.lastAnalyticsRow() ?? null),
    ]);
    expect(last).not.toBeNull();
    expect(last?.zscore).not.toBeNull();
    expect(Number(startAttr)).toBeLessThanOrEqual(last?.startMs ?? 0);
    const server = await bridgeInvoke(serve, 'analytics.series', { limit: 1000 });
    const i = server.columns.startMs.indexOf(Number(startAttr));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(Number(valueAttr)).toBe(server.columns.zscore[i]);
    expect(await shownZ.innerText()).not.toMatch(/NaN/);
    // Every row the page holds equals the server's (a static-β refit between the two reads
    // re-sends the series, so allow a moment for both to agree).
    await waitUntil(
      'page rows = server rows',
      async () =>
        mismatches(
          await pageRows(page),
          await bridgeInvoke(serve!, 'analytics.series', { limit: 1000 }),
        ),
      (m) => m.length === 0,
      10_000,
    );

    // Run now: Engle–Granger and ADF statistics and a reading appear.
    await waitUntil(
      'enough rows for the tests',
      () => rowCount(page),
      (n) => n >= 32,
      40_000,
    );
    const before = await page.getByTestId('stationarity-last-run').innerText();
    await page.getByTestId('stationarity-run').click();
    await waitUntil(
      'a new report',
      () => page.getByTestId('stationarity-last-run').innerText(),
      (t) => t !== before && /Last run/.test(t),
      20_000,
    );
    const statistic = /^−?\d+\.\d{3}$/;
    const pvalue = /^(< 0\.0001|\d\.\d{4})$/;
    expect(await page.getByTestId('stationarity-eg-stat').innerText()).toMatch(statistic);
    expect(await page.getByTestId('stationarity-eg-pvalue').innerText()).toMatch(pvalue);
    expect(await page.getByTestId('stationarity-adf-stat').innerText()).toMatch(statistic);
    expect(await page.getByTestId('stationarity-adf-pvalue').innerText()).toMatch(pvalue);
    // The hedge regression Engle–Granger starts from: β ± se(β), R².
    expect(await page.getByTestId('stationarity-ols-beta').innerText()).toMatch(
      /^−?[\d,]+\.\d+ ± [\d,]+\.\d+$/,
    );
    expect(await page.getByTestId('stationarity-ols-r2').innerText()).toMatch(/^−?\d\.\d{4}$/);
    const eg = await page.getByTestId('stationarity-eg').innerText();
    const adf = await page.getByTestId('stationarity-adf').innerText();
    const reading = await page.getByTestId('stationarity-reading').innerText();
    expect(adf).toMatch(/overstate stationarity/);
    expect(eg).toMatch(/1 %[\s\S]*5 %[\s\S]*10 %/);
    expect(reading.length).toBeGreaterThan(20);
    expect(reading).toMatch(/Engle–Granger/);
    expect(await page.getByTestId('stationarity-run').isEnabled()).toBe(true);
    // `r` runs them again from the keyboard.
    const beforeKey = await page.getByTestId('stationarity-last-run').innerText();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await waitUntil(
      'a report from the keyboard',
      () => page.getByTestId('stationarity-last-run').innerText(),
      (t) => t !== beforeKey,
      20_000,
    );

    // Nothing on the tab reads NaN.
    expect(await page.locator('.analytics-layout').innerText()).not.toMatch(/NaN/);

    // Crosshair readout, then screenshots in both themes.
    const box = await page.getByTestId('analytics-chart-zscore').boundingBox();
    if (box) await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5);
    await page.waitForTimeout(300);
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.screenshot({ path: join(ARTIFACTS, `analytics-${theme ?? 'dark'}.png`) });
    await page.getByTestId('theme-toggle').click();
    const other = await waitUntil(
      'theme change',
      () => page.evaluate(() => document.documentElement.dataset.theme),
      (t) => t !== theme,
    );
    if (box) await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, `analytics-${other ?? 'light'}.png`) });

    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
