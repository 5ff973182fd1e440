/**
 * `pairdesk analyze` on the real Binance captures at 1 s, against (a) an independent
 * recomputation of the aligned closes from the file and (b) the committed statsmodels / pandas
 * fixtures tests/fixtures/stats/real_*.json (generated from the same files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairSummary } from '../../../src/core/analysis/pairAnalysis';
import { loadFixture, realFixtureNames, type RealFixture } from '../../core/stats/helpers';
import {
  gunzipText,
  maxRel,
  readAnalyticsCsv,
  REAL_DIR,
  referenceAlignedCloses,
  rel,
  runAnalyzeCli,
  tempDir,
  type CliRun,
} from './helpers';

const OLS_REL = 1e-9;
const STAT_REL = 1e-8;
const P_ABS = 1e-6;
/** z-scores / correlations are O(1) and cross zero: relative to max(|ref|, 1). */
const ROLL_REL = 1e-9;
const KALMAN_REL = 1e-9;

const HEADER = 'time,start_ms,close_a,close_b,hedge_ratio,spread,zscore,correlation';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const fixtures = realFixtureNames().map((f) => loadFixture<RealFixture>(f));

for (const fx of fixtures) {
  const capture = join(REAL_DIR, `${fx.name}.ndjson.gz`);
  const W = fx.window;

  describe(`analyze ${fx.name} at 1s`, () => {
    const csv = tmp.file(`${fx.name}.csv`);
    const json = tmp.file(`${fx.name}.json`);
    let run: CliRun;
    let summary: PairSummary;

    beforeAll(async () => {
      run = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--timeframe',
        '1s',
        '--window',
        String(W),
        '--out',
        csv,
        '--json',
        json,
      ]);
      summary = JSON.parse(readFileSync(json, 'utf8')) as PairSummary;
    });

    it('exits 0, prints a readable summary, rejects nothing', () => {
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/OLS A~B\s+β 14\.|OLS A~B\s+β \d/);
      expect(run.stdout).toContain('ADF spread');
      expect(run.stdout).toContain('EG coint');
      expect(run.stdout).toMatch(/0 rejected/);
      expect(run.stderr).toBe('');
      expect(summary.notes).toEqual([]);
    });

    it('CSV header, one row per aligned bar, closes equal an independent recomputation', () => {
      const ref = referenceAlignedCloses(gunzipText(capture), 'BTCUSDT', 'ETHUSDT');
      const t = readAnalyticsCsv(csv);
      expect(t.header).toBe(HEADER);
      expect(t.rows).toBe(ref.startMs.length);
      expect(t.rows).toBe(fx.aligned.startMs.length);
      expect(summary.bars).toBe(t.rows);
      expect(t.col('start_ms')).toEqual(ref.startMs);
      expect(t.col('close_a')).toEqual(ref.a);
      expect(t.col('close_b')).toEqual(ref.b);
      expect(t.col('close_a')).toEqual(fx.aligned.a);
      expect(t.col('close_b')).toEqual(fx.aligned.b);
      expect(t.time).toEqual(ref.startMs.map((ms) => new Date(ms).toISOString()));
      expect(summary.from).toBe(t.time[0]);
      expect(summary.to).toBe(t.time[t.rows - 1]);
    });

    it('hedge ratio, spread, z-score and correlation columns equal pandas', () => {
      const t = readAnalyticsCsv(csv);
      expect(
        maxRel(t.col('hedge_ratio'), new Array<number>(t.rows).fill(fx.ols.beta)),
      ).toBeLessThanOrEqual(OLS_REL);
      expect(maxRel(t.col('spread'), fx.spread)).toBeLessThanOrEqual(OLS_REL);
      // NaN positions must match: empty cells exactly where pandas has NaN.
      expect(maxRel(t.col('zscore'), fx.zscore, 1)).toBeLessThanOrEqual(ROLL_REL);
      expect(maxRel(t.col('correlation'), fx.corr, 1)).toBeLessThanOrEqual(ROLL_REL);
      expect(t.col('zscore').findIndex(Number.isFinite)).toBe(W - 1);
      expect(t.col('correlation').findIndex(Number.isFinite)).toBe(W);
    });

    it('summary equals statsmodels: OLS, ADF on the OLS spread, Engle–Granger, half-life, Hurst, Kalman', () => {
      expect(summary.pair).toBe('BTCUSDT/ETHUSDT');
      expect(summary.timeframe).toBe('1s');
      expect(rel(summary.ols.beta as number, fx.ols.beta)).toBeLessThanOrEqual(OLS_REL);
      expect(rel(summary.ols.alpha as number, fx.ols.alpha)).toBeLessThanOrEqual(OLS_REL);
      expect(rel(summary.ols.r2 as number, fx.ols.r2)).toBeLessThanOrEqual(OLS_REL);
      expect(rel(summary.ols.se_beta as number, fx.ols.seBeta)).toBeLessThanOrEqual(OLS_REL);

      const adf = fx.adfSpread.find((r) => r.regression === 'c' && r.autolag === 'AIC');
      expect(adf).toBeDefined();
      if (!adf) return;
      expect(rel(summary.adf.stat as number, adf.stat)).toBeLessThanOrEqual(STAT_REL);
      expect(Math.abs((summary.adf.pvalue as number) - adf.pvalue)).toBeLessThanOrEqual(P_ABS);
      expect(summary.adf.usedlag).toBe(adf.usedlag);
      expect(summary.adf.nobs).toBe(adf.nobs);
      expect(rel(summary.adf.crit['1%'] as number, adf.crit[0])).toBeLessThanOrEqual(1e-12);
      expect(rel(summary.adf.crit['5%'] as number, adf.crit[1])).toBeLessThanOrEqual(1e-12);
      expect(rel(summary.adf.crit['10%'] as number, adf.crit[2])).toBeLessThanOrEqual(1e-12);

      const eg = fx.coint.find((r) => r.trend === 'c' && r.autolag === 'aic' && r.maxlag !== 2);
      expect(eg).toBeDefined();
      if (!eg) return;
      // coint[0] is coint(A, B); coint[1] is coint(B, A).
      expect(rel(summary.eg.stat as number, fx.coint[0].stat)).toBeLessThanOrEqual(STAT_REL);
      expect(Math.abs((summary.eg.pvalue as number) - fx.coint[0].pvalue)).toBeLessThanOrEqual(
        P_ABS,
      );
      expect(rel(summary.eg.crit['1%'] as number, fx.coint[0].crit[0])).toBeLessThanOrEqual(1e-12);
      expect(rel(summary.eg.crit['5%'] as number, fx.coint[0].crit[1])).toBeLessThanOrEqual(1e-12);
      expect(rel(summary.eg.crit['10%'] as number, fx.coint[0].crit[2])).toBeLessThanOrEqual(1e-12);

      expect(rel(summary.half_life_bars as number, fx.halfLife.halfLife)).toBeLessThanOrEqual(
        STAT_REL,
      );
      expect(rel(summary.hurst as number, fx.hurstSpread.hurst)).toBeLessThanOrEqual(STAT_REL);

      const k = fx.kalman.find((r) => r.delta === 1e-7 && r.ve === 10);
      expect(k).toBeDefined();
      if (!k) return;
      const n = k.beta.length;
      expect(rel(summary.kalman.beta as number, k.beta[n - 1])).toBeLessThanOrEqual(KALMAN_REL);
      expect(rel(summary.kalman.alpha as number, k.alpha[n - 1])).toBeLessThanOrEqual(KALMAN_REL);
    });

    it('summary JSON has the documented keys and no NaN', () => {
      const text = readFileSync(json, 'utf8');
      expect(text).not.toMatch(/NaN|Infinity/);
      expect(Object.keys(summary)).toEqual(
        expect.arrayContaining([
          'pair',
          'timeframe',
          'bars',
          'ols',
          'adf',
          'eg',
          'half_life_bars',
          'hurst',
          'kalman',
          'notes',
        ]),
      );
      expect(Object.keys(summary.adf).sort()).toEqual([
        'crit',
        'nobs',
        'pvalue',
        'stat',
        'usedlag',
      ]);
      expect(Object.keys(summary.eg).sort()).toEqual(['crit', 'pvalue', 'stat']);
      expect(Object.keys(summary.adf.crit)).toEqual(['1%', '5%', '10%']);
    });

    it('--hedge rolling: rolling-OLS hedge and its z-score equal pandas; ADF on the defined part', async () => {
      const rcsv = tmp.file(`${fx.name}.rolling.csv`);
      const rjson = tmp.file(`${fx.name}.rolling.json`);
      const r = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--hedge',
        'rolling',
        '--out',
        rcsv,
        '--json',
        rjson,
      ]);
      expect(r.code).toBe(0);
      const t = readAnalyticsCsv(rcsv);
      const hedge = t.col('hedge_ratio');
      expect(hedge.findIndex(Number.isFinite)).toBe(W - 1);
      expect(maxRel(hedge, fx.rollingOls.beta)).toBeLessThanOrEqual(1e-9);
      expect(maxRel(t.col('zscore'), fx.rollingSpreadZ, 1)).toBeLessThanOrEqual(1e-8);
      const s = JSON.parse(readFileSync(rjson, 'utf8')) as PairSummary;
      expect(s.hedge).toBe('rolling');
      expect(s.adf.nobs).not.toBeNull();
      // ADF runs on the n − W + 1 defined spreads: nobs = that − 1 − usedlag.
      expect((s.adf.nobs as number) + (s.adf.usedlag as number) + 1).toBe(t.rows - W + 1);
      // OLS, EG and Kalman do not depend on the hedge method.
      expect(s.ols).toEqual(summary.ols);
      expect(s.eg).toEqual(summary.eg);
      expect(s.kalman).toEqual(summary.kalman);
    });

    it('--hedge kalman: prior β of bar t (no look-ahead) after a W-bar warm-up', async () => {
      const kcsv = tmp.file(`${fx.name}.kalman.csv`);
      const r = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--hedge',
        'kalman',
        '--out',
        kcsv,
      ]);
      expect(r.code).toBe(0);
      const t = readAnalyticsCsv(kcsv);
      const k = fx.kalman[0];
      const hedge = t.col('hedge_ratio');
      const expected = k.priorBeta.map((b, i) => (i < W ? NaN : b));
      expect(maxRel(hedge, expected)).toBeLessThanOrEqual(KALMAN_REL);
      const a = t.col('close_a');
      const b = t.col('close_b');
      const spread = t.col('spread');
      for (let i = W; i < t.rows; i++)
        expect(rel(spread[i], a[i] - hedge[i] * b[i])).toBeLessThanOrEqual(1e-12);
    });

    it("--kalman-delta/--kalman-ve: Chan's δ and Ve give the reference filter's β, echoed in the summary", async () => {
      const ccsv = tmp.file(`${fx.name}.chan.csv`);
      const cjson = tmp.file(`${fx.name}.chan.json`);
      const r = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--hedge',
        'kalman',
        '--kalman-delta',
        '1e-4',
        '--kalman-ve',
        '0.001',
        '--out',
        ccsv,
        '--json',
        cjson,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const k = fx.kalman.find((x) => x.delta === 1e-4 && x.ve === 1e-3);
      expect(k).toBeDefined();
      if (!k) return;
      const hedge = readAnalyticsCsv(ccsv).col('hedge_ratio');
      expect(
        maxRel(
          hedge,
          k.priorBeta.map((v, i) => (i < W ? NaN : v)),
        ),
      ).toBeLessThanOrEqual(KALMAN_REL);
      const s = JSON.parse(readFileSync(cjson, 'utf8')) as PairSummary;
      const n = k.beta.length;
      expect(rel(s.kalman.beta as number, k.beta[n - 1])).toBeLessThanOrEqual(KALMAN_REL);
      expect(rel(s.kalman.alpha as number, k.alpha[n - 1])).toBeLessThanOrEqual(KALMAN_REL);
      expect([s.kalman.delta, s.kalman.ve]).toEqual([1e-4, 1e-3]);
      expect(summary.kalman.beta).not.toBe(s.kalman.beta);

      const bad = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--kalman-delta',
        '1',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--kalman-delta must be > 0 and < 1/);
      const badVe = await runAnalyzeCli([capture, '--pair', 'BTCUSDT/ETHUSDT', '--kalman-ve', '0']);
      expect(badVe.stderr).toMatch(/--kalman-ve must be > 0/);
    });

    it('--lookback N keeps only the last N aligned bars', async () => {
      const lcsv = tmp.file(`${fx.name}.lookback.csv`);
      const ljson = tmp.file(`${fx.name}.lookback.json`);
      const N = 200;
      const r = await runAnalyzeCli([
        capture,
        '--pair',
        'BTCUSDT/ETHUSDT',
        '--lookback',
        String(N),
        '--out',
        lcsv,
        '--json',
        ljson,
      ]);
      expect(r.code).toBe(0);
      const t = readAnalyticsCsv(lcsv);
      expect(t.rows).toBe(N);
      expect(t.col('start_ms')).toEqual(fx.aligned.startMs.slice(-N));
      expect(t.col('close_a')).toEqual(fx.aligned.a.slice(-N));
      const s = JSON.parse(readFileSync(ljson, 'utf8')) as PairSummary;
      expect(s.bars).toBe(N);
      expect(s.ols.beta).not.toBe(summary.ols.beta);
    });
  });
}
