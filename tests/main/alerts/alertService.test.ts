/**
 * The alerts service against a real SQLite file: migration 2, the store's paging/counting/
 * acknowledging, each closed bar evaluated once across appends and resets (revisions, static-β
 * redraws), scope restore on restart and on switching back, notifications per source kind and
 * at most one per rule per minute, the settings' cross-field check, the CSV export, the feed rule.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  type AlertRecord,
  type EventEnvelope,
  type EventMap,
  type IngestStats,
  type Settings,
  type SourceInfo,
  type SourceKind,
} from '../../../src/core/contract/contract';
import {
  ALERTS_CSV_HEADER,
  AlertService,
  checkAlertSettings,
} from '../../../src/main/alerts/alertService';
import type { NotificationRequest, Platform } from '../../../src/main/platform/interfaces';
import { getUserVersion, migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../src/main/store';
import { PairDeskStore } from '../../../src/main/store/store';
import { alertColumns } from '../../support/alertColumns';
import { sourceInfo } from '../../support/sourceInfo';

const T0 = Date.UTC(2024, 6, 18, 23, 57, 0);

interface Harness {
  store: PairDeskStore;
  service: AlertService;
  events: EventEnvelope[];
  shown: NotificationRequest[];
  settings: Settings;
  source: SourceInfo;
  stats: IngestStats;
  clock: { now: number };
  series(reset: boolean, startMs: number[], z: (number | null)[], rho?: (number | null)[]): void;
  stored(): AlertRecord[];
}

describe('alerts service (real SQLite)', () => {
  let dir: string;
  let dbFile: string;
  const open: Harness[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pairdesk-alerts-'));
    dbFile = join(dir, 'alerts.db');
  });
  afterEach(() => {
    for (const h of open.splice(0)) {
      h.service.stop();
      if (h.store.isOpen) h.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function harness(
    kind: SourceKind = 'live',
    over: Partial<Settings> = {},
    datasetId?: number,
  ): Harness {
    const store = PairDeskStore.open(dbFile);
    const id = datasetId ?? store.createDataset(kind, kind).id;
    const events: EventEnvelope[] = [];
    const shown: NotificationRequest[] = [];
    const clock = { now: T0 + 3_600_000 };
    const h: Harness = {
      store,
      events,
      shown,
      clock,
      settings: {
        ...DEFAULT_SETTINGS,
        timeframe: '1s',
        rollingWindow: 30,
        notifyLive: true,
        notifyDemo: true,
        notifyReplay: true,
        ...over,
      },
      source: sourceInfo({ kind, simulated: kind === 'demo', label: kind, datasetId: id }),
      stats: {
        messagesPerSec: 0,
        lastMessageAgeMs: 100,
        ticksStored: 0,
        rejects: {},
        rejectsTotal: 0,
        dbSizeBytes: 0,
      },
      service: undefined as unknown as AlertService,
      series(reset, startMs, z, rho) {
        h.service.onSeries({
          reset,
          selection: {
            pairA: h.settings.pairA,
            pairB: h.settings.pairB,
            timeframe: h.settings.timeframe,
            rollingWindow: h.settings.rollingWindow,
            lookback: h.settings.lookback,
            hedgeMethod: h.settings.hedgeMethod,
            kalmanDelta: h.settings.kalmanDelta,
            kalmanVe: h.settings.kalmanVe,
          },
          columns: alertColumns(startMs, z, { rho }),
          warmup: null,
        });
      },
      // Several harnesses may share the file: each sees its own dataset's rows.
      stored: () => [...store.alerts.all({})].filter((r) => r.datasetId === h.source.datasetId),
    };
    const platform: Platform = {
      notifier: { notify: (n) => shown.push(n) },
      saveDialog: { askSavePath: async () => join(dir, 'export.csv') },
    };
    h.service = new AlertService({
      store,
      settings: () => h.settings,
      source: () => h.source,
      ingestStats: () => h.stats,
      emit: (event, payload) => events.push({ event, payload } as EventEnvelope),
      platform,
      now: () => clock.now,
      feedCheckMs: 3_600_000, // the tests call checkFeed themselves
    });
    open.push(h);
    return h;
  }

  const bars = (from: number, n: number): number[] =>
    Array.from({ length: n }, (_, i) => T0 + (from + i) * 1000);

  it('migrates to the current version with the alert tables (version 2) and their indexes', () => {
    const h = harness();
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(getUserVersion(h.store.db)).toBe(SCHEMA_VERSION);
    const names = h.store.db
      .prepare<[], string>("SELECT name FROM sqlite_schema WHERE name LIKE 'alert%' ORDER BY name")
      .pluck()
      .all();
    expect(names).toEqual([
      'alert_cursors',
      'alert_events',
      'alert_events_pair',
      'alert_events_rule',
      'alert_events_selection',
      'alert_events_source',
      'alert_events_unacknowledged',
    ]);
    // Newest-first paging by id is a rowid walk; a filtered page uses its index.
    const plan = h.store.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT * FROM alert_events WHERE rule = ? AND id < ? ORDER BY id DESC LIMIT 50',
      )
      .all('zscore', 1000) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/alert_events_rule/);
  });

  it('upgrades a version-1 database in place, keeping its datasets', () => {
    const raw = new Database(dbFile);
    migrate(raw, [MIGRATIONS[0]!]);
    raw.prepare("INSERT INTO datasets (kind, label, created_ms) VALUES ('live', 'Live', 1)").run();
    raw.close();
    const h = harness('live', {}, 1);
    expect(getUserVersion(h.store.db)).toBe(SCHEMA_VERSION);
    expect(h.store.getDataset(1)?.label).toBe('Live');
    h.series(true, bars(0, 2), [0, 2.5]);
    expect(h.stored()).toHaveLength(1);
    // Deleting the dataset deletes its alerts and cursors.
    h.store.deleteDataset(1);
    expect([...h.store.alerts.all({})]).toHaveLength(0);
    expect(h.store.db.prepare('SELECT count(*) AS n FROM alert_cursors').get()).toEqual({ n: 0 });
  });

  it('evaluates each closed bar once across appends, resets and revisions', () => {
    const h = harness('live');
    // Warm-up, then a breach at bar 3, an escalate at 4, a revert at 6.
    h.series(true, bars(0, 3), [null, 0.4, 1.2]);
    h.series(false, bars(3, 2), [2.41, 3.2]);
    // A reset (static-β refit) redraws the same bars with other values: none fire again.
    h.series(true, bars(0, 5), [null, 2.9, -2.5, -4, 0.1]);
    h.series(false, bars(5, 2), [1.1, 0.3]);
    // A late revision of bar 6 inside a reset, plus one new bar 7 that breaches low.
    h.series(true, bars(0, 8), [null, 0.4, 1.2, 2.41, 3.2, 1.1, 2.6, -2.2]);
    const got = h.stored().map((r) => [r.kind, r.side, r.value, (r.barStartMs - T0) / 1000]);
    expect(got).toEqual([
      ['breach', 'upper', 2.41, 3],
      ['escalate', 'upper', 3.2, 4],
      ['revert', 'upper', 0.3, 6],
      ['breach', 'lower', -2.2, 7],
    ]);
    const rows = h.stored();
    expect(
      rows.every((r) => r.beta === 0.0523 && r.rollingWindow === 30 && r.source === 'live'),
    ).toBe(true);
    const alertEvents = h.events.filter((e) => e.event === 'alerts');
    expect(alertEvents.map((e) => (e.payload as EventMap['alerts']).added.length)).toEqual([
      2, 1, 1,
    ]);
    expect((alertEvents.at(-1)!.payload as EventMap['alerts']).unacknowledged).toBe(4);
  });

  it('ignores appends after a scope change until the reset of the new scope', () => {
    const h = harness('live');
    h.series(true, bars(0, 2), [0, 0]);
    h.settings = { ...h.settings, rollingWindow: 60 };
    // A late append of the old selection would carry the new key: dropped, cursor untouched.
    h.series(false, bars(50, 1), [5]);
    h.series(true, bars(0, 3), [0, 2.5, 0]);
    expect(h.stored().map((r) => [r.kind, r.rollingWindow, (r.barStartMs - T0) / 1000])).toEqual([
      ['breach', 60, 1],
      ['revert', 60, 2],
    ]);
  });

  it('a restart on the same database fires nothing for bars already evaluated', () => {
    const first = harness('live');
    const id = first.source.datasetId;
    first.series(true, bars(0, 10), [0, 2.5, 2.7, 1, 0.2, 0, -2.1, -3.5, -3, -2.9]);
    const before = first.stored();
    expect(before.map((r) => r.kind)).toEqual(['breach', 'revert', 'breach', 'escalate']);
    first.service.stop();
    first.store.close();

    const again = harness('live', {}, id);
    // The recompute after a restart re-sends the series, with other values (new static β).
    again.series(true, bars(0, 10), [0, 2.6, 2.8, 1, 0.1, 0, 3, 3.5, 3, 2.9]);
    expect(again.stored()).toEqual(before);
    // New bars continue the restored state: still disarmed low, so z = −3.6 raises nothing, a
    // side flip is a new breach.
    again.series(false, bars(10, 2), [-3.6, 2.2]);
    expect(
      again
        .stored()
        .slice(before.length)
        .map((r) => [r.kind, r.side]),
    ).toEqual([['breach', 'upper']]);
  });

  it('switching W and back restores that selection’s rule state', () => {
    const h = harness('live');
    h.series(true, bars(0, 3), [0, 2.5, 2.6]);
    h.settings = { ...h.settings, rollingWindow: 60 };
    h.series(true, bars(0, 3), [0, 0, 2.1]);
    h.settings = { ...h.settings, rollingWindow: 30 };
    h.series(true, bars(0, 5), [0, 2.5, 2.6, 2.7, 0.1]);
    expect(h.stored().map((r) => [r.rollingWindow, r.kind, (r.barStartMs - T0) / 1000])).toEqual([
      [30, 'breach', 1],
      [60, 'breach', 2],
      [30, 'revert', 4],
    ]);
  });

  it('notifies per source kind, at most once per rule per minute, grouping the rest', () => {
    const replay = harness('replay', { notifyReplay: false });
    replay.series(true, bars(0, 3), [0, 2.5, 0]);
    expect(replay.stored().map((r) => r.notified)).toEqual([false, false]);
    expect(replay.shown).toHaveLength(0);

    const h = harness('replay', { notifyReplay: true });
    h.series(true, bars(0, 2), [0, 2.41]);
    expect(h.shown).toHaveLength(1);
    expect(h.shown[0]!.title).toBe('REPLAY BTCUSDT/ETHUSDT z = +2.41 (1s)');
    expect(h.shown[0]!.body).toBe('Breach: z ≥ +2 · β = 0.05230 · bar 2024-07-18 23:57:01 UTC');
    // Three more breaches within the minute: stored, not notified.
    for (let i = 0; i < 3; i++) {
      h.clock.now += 10_000;
      h.series(false, bars(2 + 2 * i, 2), [0, i % 2 === 0 ? -2.2 : 2.2]);
    }
    expect(h.shown).toHaveLength(1);
    const rows = h.stored();
    expect(rows.filter((r) => r.kind === 'breach').map((r) => r.notified)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    // Past the minute, the next breach says how many were grouped since the last notification.
    h.clock.now += 31_000;
    h.series(false, bars(8, 2), [0, -2.05]);
    expect(h.shown).toHaveLength(2);
    expect(h.shown[1]!.title).toBe('REPLAY BTCUSDT/ETHUSDT z = −2.05 (1s)');
    expect(h.shown[1]!.body).toBe(
      'Breach: z ≤ −2 · β = 0.05230 · bar 2024-07-18 23:57:09 UTC\n(3 more breaches since 00:57 UTC)',
    );
    // Clicking a notification asks the renderer to show the bar.
    h.shown[1]!.onClick?.();
    const focus = h.events.find((e) => e.event === 'alertFocus');
    expect(focus?.payload).toEqual({
      alertId: h.stored().at(-1)!.id,
      barStartMs: T0 + 9_000,
      pairA: 'BTCUSDT',
      pairB: 'ETHUSDT',
      timeframe: '1s',
    });
  });

  it('a demo breach is titled SIMULATED; reverts are stored but do not pop up', () => {
    const h = harness('demo');
    h.series(true, bars(0, 3), [0, -2.5, 0.1]);
    expect(h.shown.map((n) => n.title)).toEqual(['SIMULATED BTCUSDT/ETHUSDT z = −2.50 (1s)']);
    expect(h.stored().map((r) => [r.kind, r.notified])).toEqual([
      ['breach', true],
      ['revert', false],
    ]);
  });

  it('new levels apply to the next bars; the settings check keeps 0 ≤ R < K < K_crit', () => {
    const h = harness('live');
    h.series(true, bars(0, 2), [0, 2.2]);
    h.settings = { ...h.settings, alertThreshold: 3, alertCritical: 4 };
    h.series(false, bars(2, 3), [0.2, 2.9, 3.1]);
    expect(h.stored().map((r) => [r.kind, r.threshold, r.value])).toEqual([
      ['breach', 2, 2.2],
      ['revert', 0.5, 0.2],
      ['breach', 3, 3.1],
    ]);

    const s = { ...DEFAULT_SETTINGS };
    expect(checkAlertSettings(s, { alertThreshold: 3.5 })).toEqual({
      alertThreshold: 3.5,
      alertCritical: 4.5,
    });
    expect(checkAlertSettings(s, { alertThreshold: 2.5 })).toEqual({ alertThreshold: 2.5 });
    expect(() => checkAlertSettings(s, { alertThreshold: 3.5, alertCritical: 3 })).toThrow(
      /critical level K_crit must be above the alert level K/,
    );
    expect(() => checkAlertSettings(s, { alertRearm: 2 })).toThrow(/re-arm level R must be below/);
    expect(() => checkAlertSettings(s, { alertThreshold: 0.4 })).toThrow(/R must be below/);
  });

  it('pages newest first by id, filters, counts and acknowledges', () => {
    const h = harness('live');
    h.series(
      true,
      bars(0, 12),
      [0, 2.5, 0, -2.5, 0, 2.5, 0, -2.5, 0, 2.5, 0, -2.5],
      [0.9, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
    );
    const all = h.stored();
    expect(all).toHaveLength(13); // 6 breaches + 5 reverts + ρ breach + ρ revert
    const p1 = h.service.history({ limit: 5 });
    expect(p1.total).toBe(13);
    expect(p1.unacknowledged).toBe(13);
    expect(p1.rows.map((r) => r.id)).toEqual(
      all
        .slice(-5)
        .map((r) => r.id)
        .reverse(),
    );
    const p2 = h.service.history({ limit: 5, beforeId: p1.rows.at(-1)!.id });
    expect(p2.rows.map((r) => r.id)).toEqual(
      all
        .slice(-10, -5)
        .map((r) => r.id)
        .reverse(),
    );
    const corr = h.service.history({ limit: 50, rule: 'correlation' });
    expect(corr.total).toBe(2);
    expect(corr.rows.map((r) => r.kind)).toEqual(['revert', 'breach']);
    expect(h.service.history({ limit: 50, source: 'replay' }).total).toBe(0);
    expect(h.service.history({ limit: 50, pair: 'BTCUSDT/ETHUSDT' }).total).toBe(13);
    expect(h.service.history({ limit: 50, pair: 'ETHUSDT/BTCUSDT' }).total).toBe(0);

    expect(h.service.acknowledge({ ids: [all[0]!.id, all[1]!.id, 999_999] })).toEqual({
      unacknowledged: 11,
    });
    expect(h.service.history({ limit: 1 }).unacknowledged).toBe(11);
    expect(h.service.acknowledge({ all: true })).toEqual({ unacknowledged: 0 });
    expect(h.stored().every((r) => r.acknowledged)).toBe(true);
  });

  it('exports the filtered history as CSV, through the save dialog when there is one', async () => {
    const h = harness('replay');
    h.series(true, bars(0, 3), [0, 2.5, 0.25]);
    const { csv, rows } = h.service.csv({ rule: 'zscore' });
    expect(rows).toBe(2);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(ALERTS_CSV_HEADER.join(','));
    expect(lines[0]).toBe(
      'id,time,bar_start_ms,source,pair,timeframe,window,rule,kind,side,value,threshold,beta,acknowledged,notified',
    );
    const [first] = h.stored();
    expect(lines[1]).toBe(
      `${first!.id},2024-07-18T23:57:01.000Z,${T0 + 1000},replay,BTCUSDT/ETHUSDT,1s,30,zscore,breach,upper,2.5,2,0.0523,false,true`,
    );
    const saved = await h.service.export({});
    expect(saved.savedTo).toBe(join(dir, 'export.csv'));
    expect(saved.csv).toBeNull();
    expect(saved.rows).toBe(2);
    expect(saved.fileName).toMatch(/^pairdesk-alerts-.*\.csv$/);
    expect(readFileSync(join(dir, 'export.csv'), 'utf8')).toBe(csv);
  });

  it('the feed rule fires on a silent live source and reverts when data flows again', () => {
    const h = harness('live', { feedSilenceSeconds: 30 });
    h.stats = { ...h.stats, lastMessageAgeMs: 29_000 };
    h.service.checkFeed();
    h.stats = { ...h.stats, lastMessageAgeMs: 31_000 };
    h.service.checkFeed();
    h.service.checkFeed();
    h.stats = { ...h.stats, lastMessageAgeMs: 200 };
    h.service.checkFeed();
    expect(h.stored().map((r) => [r.rule, r.kind, r.value, r.threshold])).toEqual([
      ['feed', 'breach', 31, 30],
      ['feed', 'revert', 0.2, 30],
    ]);
    expect(h.shown.map((n) => n.title)).toEqual(['Feed 31 s silent']);
    // Not on a replay.
    const r = harness('replay');
    r.stats = { ...r.stats, lastMessageAgeMs: 100_000 };
    r.service.checkFeed();
    expect(r.stored()).toHaveLength(0);
  });
});
