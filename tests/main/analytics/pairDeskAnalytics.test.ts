/**
 * The analytics through the app composition: real SQLite file, the demo source (simulated,
 * cointegrated market over loopback), the worker thread. At 1 s bars with W = 10: aligned rows
 * with defined z-scores, 'analytics' events, a finite Engle–Granger + ADF report, and a reset
 * when the window changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, EventMap } from '../../../src/core/contract/contract';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('PairDeskServices analytics (demo source, SQLite, worker)', () => {
  let dir: string;
  let app: PairDeskApp;
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-analytics-'));
    app = await startPairDeskApp({ dbFile: join(dir, 'app.db'), source: 'demo', demoRate: 400 });
    app.host.subscribe((e) => events.push(e));
    await app.host.handle('settings.update', {
      timeframe: '1s',
      rollingWindow: 10,
      lookback: 500,
      hedgeMethod: 'rolling',
    });
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const analytics = (): EventMap['analytics'][] =>
    events.filter((e) => e.event === 'analytics').map((e) => e.payload as EventMap['analytics']);

  it('series: aligned 1 s rows with defined z-scores, and analytics events', async () => {
    await waitFor(
      () => analytics().some((p) => !p.reset && p.selection.rollingWindow === 10),
      30_000,
      'appended analytics rows',
    );
    let series = await app.host.handle('analytics.series', { limit: 1000 });
    // z needs 2W − 1 = 19 aligned 1 s bars with the rolling hedge.
    for (let i = 0; i < 150 && series.columns.zscore.filter((z) => z !== null).length < 3; i++) {
      await new Promise((r) => setTimeout(r, 200));
      series = await app.host.handle('analytics.series', { limit: 1000 });
    }
    const c = series.columns;
    expect(series.selection).toMatchObject({ timeframe: '1s', rollingWindow: 10 });
    expect(c.startMs.length).toBeGreaterThanOrEqual(20);
    for (let i = 1; i < c.startMs.length; i++) expect(c.startMs[i] - c.startMs[i - 1]).toBe(1000);
    const z = c.zscore.filter((v): v is number => v !== null);
    expect(z.length).toBeGreaterThanOrEqual(3);
    expect(z.every(Number.isFinite)).toBe(true);
    expect(JSON.stringify(series)).not.toMatch(/NaN/);
    expect(series.warmup).toBeNull();
  }, 60_000);

  it('runTests: Engle–Granger + ADF report with finite statistics; lastTests returns it', async () => {
    const report = await app.host.handle('analytics.runTests', null);
    expect(report.engleGranger.ok).toBe(true);
    expect(report.adf.ok).toBe(true);
    if (report.engleGranger.ok) expect(Number.isFinite(report.engleGranger.stat)).toBe(true);
    if (report.adf.ok) expect(Number.isFinite(report.adf.pvalue)).toBe(true);
    expect(report.reading).toMatch(/^Engle–Granger: /);
    expect(report.selection.timeframe).toBe('1s');
    const last = await app.host.handle('analytics.lastTests', null);
    expect(last?.computedAtMs).toBeGreaterThanOrEqual(report.computedAtMs);
    expect(events.some((e) => e.event === 'stationarity')).toBe(true);
  }, 30_000);

  it('changing the window emits reset = true for the new selection', async () => {
    const before = events.length;
    await app.host.handle('settings.update', { rollingWindow: 12 });
    await waitFor(
      () =>
        events
          .slice(before)
          .some(
            (e) =>
              e.event === 'analytics' &&
              (e.payload as EventMap['analytics']).reset &&
              (e.payload as EventMap['analytics']).selection.rollingWindow === 12,
          ),
      10_000,
      'reset event',
    );
    const series = await app.host.handle('analytics.series', { limit: 10 });
    expect(series.selection.rollingWindow).toBe(12);
  }, 20_000);

  it('Kalman δ and Ve are settings: a change recomputes with them; out-of-range values are refused', async () => {
    const before = events.length;
    const settings = await app.host.handle('settings.update', {
      kalmanDelta: 1e-4,
      kalmanVe: 1e-3,
    });
    expect([settings.kalmanDelta, settings.kalmanVe]).toEqual([1e-4, 1e-3]);
    await waitFor(
      () =>
        events.slice(before).some((e) => {
          if (e.event !== 'analytics') return false;
          const p = e.payload as EventMap['analytics'];
          return p.reset && p.selection.kalmanDelta === 1e-4 && p.selection.kalmanVe === 1e-3;
        }),
      10_000,
      'reset event with the new Kalman settings',
    );
    for (const patch of [
      { kalmanDelta: 1 },
      { kalmanDelta: 0 },
      { kalmanVe: 0 },
      { kalmanVe: -1 },
    ]) {
      await expect(app.host.handle('settings.update', patch)).rejects.toThrow(/kalman/);
    }
    const series = await app.host.handle('analytics.series', { limit: 10 });
    expect([series.selection.kalmanDelta, series.selection.kalmanVe]).toEqual([1e-4, 1e-3]);
  }, 20_000);
});
