/**
 * Issue #9: the alerts the services store while replaying the real capture equal
 * `pairdesk analyze --alerts-out` on the same file (1s, W = 30, K = 2, R = 0.5, K_crit = 3), which
 * is itself checked against the rule over analyze's zscore column — every closed bar evaluated exactly once, whether it reached the rules in
 * an append or in a reset. Hedge method rolling: its z at a bar depends only on earlier bars, so
 * the live rows equal analyze's (the live static β is re-estimated every 20 rows while analyze
 * fits one β over the whole file, so static-hedge alerts legitimately differ).
 * Also: re-entering the evaluated scope (a recompute, a W switch and back) or restarting the
 * services fires nothing again, and a 50× replay with notifications on for replays stores every
 * event while the OS notifications stay ≤ 1 per rule per minute.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateZScoreAlerts } from '../../../src/core/alerts/evaluateSeries';
import type { AlertEvent } from '../../../src/core/alerts/types';
import {
  DEFAULT_SETTINGS,
  type AlertRecord,
  type Settings,
} from '../../../src/core/contract/contract';
import type { PairDeskApp } from '../../../src/main/app/pairDeskApp';
import type { NotificationRequest, Platform } from '../../../src/main/platform/interfaces';
import { PairDeskStore } from '../../../src/main/store/store';
import { readAnalyticsCsv } from '../analyze/helpers';
import {
  analyzeCapture,
  replayStopped,
  sleep,
  startCaptureReplay,
  waitFor,
} from '../app/captureReplay';

const W = 30;
const PARAMS = { k: 2, rearm: 0.5, critical: 3 };

const SETTINGS: Settings = {
  ...DEFAULT_SETTINGS,
  pairA: 'BTCUSDT',
  pairB: 'ETHUSDT',
  timeframe: '1s',
  rollingWindow: W,
  lookback: 1000,
  hedgeMethod: 'rolling',
  alertThreshold: PARAMS.k,
  alertRearm: PARAMS.rearm,
  alertCritical: PARAMS.critical,
  notifyReplay: true,
};

/** A Notifier that only counts (with the wall time of each call). */
function countingPlatform(): {
  platform: Platform;
  shown: { n: NotificationRequest; at: number }[];
} {
  const shown: { n: NotificationRequest; at: number }[] = [];
  return {
    shown,
    platform: {
      notifier: { notify: (n) => shown.push({ n, at: Date.now() }) },
      saveDialog: { askSavePath: async () => null },
    },
  };
}

/** The most notifications of one rule inside any 60 s window. */
function maxPerRulePerMinute(shown: { n: NotificationRequest; at: number }[]): number {
  const ruleOf = (title: string): string =>
    title.includes(' z = ') ? 'zscore' : title.includes(' ρ = ') ? 'correlation' : 'other';
  let max = 0;
  for (const a of shown) {
    const n = shown.filter(
      (b) => ruleOf(b.n.title) === ruleOf(a.n.title) && b.at >= a.at && b.at - a.at < 60_000,
    ).length;
    max = Math.max(max, n);
  }
  return max;
}

type Comparable = [string, string | null, number, number, number];
const comparable = (
  e: Pick<AlertEvent, 'kind' | 'side' | 'barStartMs' | 'threshold' | 'value'>,
): Comparable => [e.kind, e.side, e.barStartMs, e.threshold, Number(e.value.toFixed(9))];

/** The rows of `analyze --alerts-out` (header time,start_ms,kind,side,zscore,threshold). */
function readAlertsCsv(file: string): AlertEvent[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  expect(header).toBe('time,start_ms,kind,side,zscore,threshold');
  return lines.map((line) => {
    const [time, start, kind, side, z, threshold] = line.split(',');
    expect(new Date(time).getTime()).toBe(Number(start));
    return {
      rule: 'zscore',
      kind: kind as AlertEvent['kind'],
      side: side as AlertEvent['side'],
      value: Number(z),
      threshold: Number(threshold),
      barStartMs: Number(start),
    };
  });
}

describe('replayed alerts equal analyze --alerts-out on the same file (issue #9)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-replay-alerts-'));
  const dbFile = join(dir, 'replay.db');
  let reference: AlertEvent[] = [];
  let app: PairDeskApp | undefined;

  beforeAll(async () => {
    const csv = join(dir, 'analyze.csv');
    const alertsCsv = join(dir, 'alerts.csv');
    const run = await analyzeCapture({
      window: W,
      lookback: 1000,
      hedge: 'rolling',
      out: csv,
      alertsOut: alertsCsv,
    });
    expect(run.code, run.stderr).toBe(0);
    // The reference is `analyze --alerts-out` (defaults K = 2, R = 0.5, K_crit = 3 = PARAMS) …
    reference = readAlertsCsv(alertsCsv);
    // … which is the rule over analyze's own zscore column.
    const t = readAnalyticsCsv(csv);
    expect(reference.map(comparable)).toEqual(
      evaluateZScoreAlerts(t.col('start_ms'), t.col('zscore'), PARAMS).map(comparable),
    );
    // The selection is stored before the first start, so the replay's first rows are already
    // analysed with it (a later settings.update would work too: the reset it causes is evaluated).
    const store = PairDeskStore.open(dbFile);
    store.setSetting('settings', SETTINGS);
    store.close();
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const zscoreRows = (a: PairDeskApp, datasetId: number, window = W): AlertRecord[] =>
    [...a.services.store.alerts.all({ rule: 'zscore' })].filter(
      (r) => r.datasetId === datasetId && r.rollingWindow === window,
    );

  async function replayToEnd(speed: number, platform: Platform): Promise<PairDeskApp> {
    const a = await startCaptureReplay(dbFile, speed, platform);
    await replayStopped(a, 90_000);
    expect(a.services.source.state).toBe('ended');
    // The end recompute's reset, then nothing more.
    const datasetId = a.services.source.datasetId;
    let n = -1;
    for (let stable = 0; stable < 3;) {
      await sleep(700);
      const m = zscoreRows(a, datasetId).length;
      stable = m === n ? stable + 1 : 0;
      n = m;
    }
    return a;
  }

  it('a fast replay stores exactly the events of analyze --alerts-out', async () => {
    const counting = countingPlatform();
    app = await replayToEnd(2_000, counting.platform);
    const datasetId = app.services.source.datasetId;
    const stored = zscoreRows(app, datasetId);
    console.log(
      `replay 2000×: ${stored.length} z-score events stored (${reference.length} from ` +
        `analyze --alerts-out: ${reference.filter((e) => e.kind === 'breach').length} breaches, ` +
        `${reference.filter((e) => e.kind === 'escalate').length} escalations, ` +
        `${reference.filter((e) => e.kind === 'revert').length} reverts); ` +
        `${counting.shown.length} OS notifications`,
    );
    expect(reference.length).toBeGreaterThan(5);
    expect(stored.map(comparable)).toEqual(reference.map(comparable));
    expect(stored.every((r) => r.source === 'replay' && r.timeframe === '1s')).toBe(true);
    expect(maxPerRulePerMinute(counting.shown)).toBeLessThanOrEqual(1);
    for (const { n } of counting.shown) expect(n.title).toMatch(/^REPLAY BTCUSDT\/ETHUSDT /);
  }, 120_000);

  it('re-entering the evaluated selection (recompute, W switch and back) fires nothing again', async () => {
    if (!app) throw new Error('no app');
    const a = app;
    const datasetId = a.services.source.datasetId;
    const before = zscoreRows(a, datasetId);
    a.services.analytics.recompute();
    await a.host.handle('settings.update', { rollingWindow: 60 });
    await waitFor(
      () => zscoreRows(a, datasetId, 60).length > 0,
      15_000,
      'the W = 60 selection to be evaluated',
    );
    await a.host.handle('settings.update', { rollingWindow: W });
    await sleep(2_000);
    expect(zscoreRows(a, datasetId)).toEqual(before);
  }, 60_000);

  it('a restart on the same database fires nothing new for the replayed dataset', async () => {
    if (!app) throw new Error('no app');
    const oldDataset = app.services.source.datasetId;
    const before = zscoreRows(app, oldDataset);
    await app.stop();
    // The stored source is the replay: a restart replays the file again into a new dataset.
    app = await replayToEnd(2_000, countingPlatform().platform);
    const newDataset = app.services.source.datasetId;
    expect(newDataset).not.toBe(oldDataset);
    expect(zscoreRows(app, oldDataset)).toEqual(before);
    expect(zscoreRows(app, newDataset).map(comparable)).toEqual(reference.map(comparable));
  }, 120_000);

  it('at 50× with replay notifications on: every event stored, ≤ 1 notification per rule per minute', async () => {
    await app?.stop();
    const counting = countingPlatform();
    const t0 = Date.now();
    app = await replayToEnd(50, counting.platform);
    const datasetId = app.services.source.datasetId;
    const all = [...app.services.store.alerts.all({})].filter((r) => r.datasetId === datasetId);
    const stored = all.filter((r) => r.rule === 'zscore');
    const maxPerMinute = maxPerRulePerMinute(counting.shown);
    console.log(
      `replay 50× (${((Date.now() - t0) / 1000).toFixed(1)} s): ${all.length} events stored ` +
        `(${stored.length} z-score, ${all.length - stored.length} correlation), ` +
        `${all.filter((r) => r.notified).length} marked notified, ${counting.shown.length} OS ` +
        `notifications, at most ${maxPerMinute} per rule per minute`,
    );
    expect(stored.map(comparable)).toEqual(reference.map(comparable));
    expect(maxPerMinute).toBeLessThanOrEqual(1);
    expect(counting.shown.length).toBe(all.filter((r) => r.notified).length);
  }, 120_000);
});
