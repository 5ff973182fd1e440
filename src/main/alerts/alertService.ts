/**
 * The alerts service (issue #9, main side): runs the rules of src/core/alerts on the analytics
 * the worker already computes, stores every event, pushes `alerts` events, raises rate-limited
 * OS notifications through the injected Notifier, and answers the alerts requests.
 *
 * Which bars are evaluated. The analytics host emits the selection's rows as `analytics`
 * payloads: appends (new closed aligned bars) and resets (the whole retained series again: a
 * recompute, a live static-β refit, a late revision). Every row of either kind goes to the
 * rules, which ignore a start ≤ the last one they evaluated; so each closed bar is evaluated
 * exactly once, as it first appears, and a revised or redrawn row never fires again. A replay
 * from its start therefore evaluates every bar of the file once, in order.
 *
 * Rule state is per scope = (dataset, pair A, pair B, timeframe, W). Entering a scope (start,
 * selection change, source switch) restores its rules from the stored events plus the stored
 * cursor (last bar evaluated), so a restart or a switch back re-evaluates nothing. After a scope
 * change, appends are ignored until the first reset: an append still in flight from the previous
 * dataset or selection must not move the new scope's cursor.
 *
 * The feed rule runs every second on a live source from the ingest stats' last message age.
 */
import { writeFileSync } from 'node:fs';
import { CorrelationRule } from '../../core/alerts/correlationRule';
import { FeedRule } from '../../core/alerts/feedRule';
import { NotificationThrottle } from '../../core/alerts/notificationThrottle';
import type { AlertEvent, AlertRuleId } from '../../core/alerts/types';
import { validateZScoreParams, ZScoreRule } from '../../core/alerts/zScoreRule';
import type {
  AlertFilter,
  AlertRecord,
  EventMap,
  IngestStats,
  RequestOf,
  ResponseOf,
  Settings,
  SettingsUpdate,
  SourceInfo,
  SourceKind,
} from '../../core/contract/contract';
import { csvRow } from '../../core/csv/csvWriter';
import type { Platform } from '../platform/interfaces';
import type { AlertScope, NewAlert } from '../store/alerts';
import type { PairDeskStore } from '../store/store';
import {
  alertBody,
  groupedText,
  notificationTitle,
  pairText,
  sourcePrefix,
} from '../../core/alerts/alertText';

export interface AlertServiceOptions {
  store: PairDeskStore;
  settings: () => Settings;
  source: () => SourceInfo;
  ingestStats: () => IngestStats;
  /** Pushes a contract event to every transport. */
  emit: <E extends 'alerts' | 'alertFocus'>(event: E, payload: EventMap[E]) => void;
  /** Notifier and save dialog; without one nothing is notified (every event is still stored). */
  platform?: Platform;
  /** Wall clock (tests). */
  now?: () => number;
  /** Feed rule check period, ms (default 1000). */
  feedCheckMs?: number;
  /** Minimum ms between two OS notifications of one rule (default NOTIFY_INTERVAL_MS). */
  notifyIntervalMs?: number;
}

export const ALERTS_CSV_HEADER = [
  'id',
  'time',
  'bar_start_ms',
  'source',
  'pair',
  'timeframe',
  'window',
  'rule',
  'kind',
  'side',
  'value',
  'threshold',
  'beta',
  'acknowledged',
  'notified',
] as const;

/** Zscore/correlation breaches and escalations, and feed breaches/reverts, pop up; not reverts. */
function notifiable(e: AlertEvent): boolean {
  return e.rule === 'feed' || e.kind !== 'revert';
}

function notifyEnabled(s: Settings, source: SourceKind): boolean {
  return source === 'live' ? s.notifyLive : source === 'demo' ? s.notifyDemo : s.notifyReplay;
}

function scopeKey(s: AlertScope): string {
  return `${s.datasetId}|${s.pairA}|${s.pairB}|${s.timeframe}|${s.rollingWindow}`;
}

/**
 * The alert fields of a settings patch, checked against each other (0 ≤ R < K < K_crit): a patch
 * that moves K to or above the current K_crit without giving K_crit gets K_crit = K + 1. Throws
 * an Error saying what is wrong otherwise. Returns the (possibly completed) patch.
 */
export function checkAlertSettings(current: Settings, patch: SettingsUpdate): SettingsUpdate {
  const out: SettingsUpdate = { ...patch };
  const k = patch.alertThreshold ?? current.alertThreshold;
  if (
    patch.alertThreshold !== undefined &&
    patch.alertCritical === undefined &&
    k >= current.alertCritical
  ) {
    out.alertCritical = k + 1;
  }
  const problem = validateZScoreParams({
    k,
    rearm: out.alertRearm ?? current.alertRearm,
    critical: out.alertCritical ?? current.alertCritical,
  });
  if (problem !== null) throw new Error(`alert levels: ${problem}`);
  return out;
}

/** Levels a stored (possibly hand-edited) settings row may hold, repaired to valid ones. */
function zParams(s: Settings): { k: number; rearm: number; critical: number } {
  const p = { k: s.alertThreshold, rearm: s.alertRearm, critical: s.alertCritical };
  if (validateZScoreParams(p) === null) return p;
  const rearm = p.rearm >= 0 && p.rearm < p.k ? p.rearm : p.k / 4;
  return { k: p.k, rearm, critical: p.critical > p.k ? p.critical : p.k + 1 };
}

interface ScopeRules {
  scope: AlertScope;
  key: string;
  zscore: ZScoreRule;
  correlation: CorrelationRule;
  /** Cursors last written to the store, to write only when they move. */
  storedCursor: Record<'zscore' | 'correlation', number>;
}

/** A notification that was held back (rate limit): the latest event of its throttle key. */
interface Held {
  record: AlertRecord;
}

export class AlertService {
  private rules: ScopeRules | null = null;
  /** Appends are ignored until a reset arrives for the current scope (see the file comment). */
  private awaitingReset = true;
  private feed: { datasetId: number; rule: FeedRule } | null = null;
  private readonly throttle: NotificationThrottle;
  private readonly held = new Map<string, Held>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  private stopped = false;
  /** Events stored and notifications raised since start (tests, bench). */
  readonly counts = { stored: 0, notified: 0, grouped: 0 };

  constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? Date.now;
    this.throttle = new NotificationThrottle(options.notifyIntervalMs);
    this.timer = setInterval(() => this.tick(), options.feedCheckMs ?? 1_000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  // ---- bars -----------------------------------------------------------------------------------

  /** Every `analytics` payload of the analytics host, in order. */
  onSeries(payload: EventMap['analytics']): void {
    if (this.stopped) return;
    const source = this.options.source();
    if (source.datasetId === 0) return;
    const sel = payload.selection;
    const scope: AlertScope = {
      datasetId: source.datasetId,
      source: source.kind,
      pairA: sel.pairA,
      pairB: sel.pairB,
      timeframe: sel.timeframe,
      rollingWindow: sel.rollingWindow,
    };
    const key = scopeKey(scope);
    if (this.rules?.key !== key) {
      this.rules = this.enterScope(scope, key);
      this.awaitingReset = true;
    }
    if (this.awaitingReset) {
      if (!payload.reset) return;
      this.awaitingReset = false;
    }
    const rules = this.syncParams(this.rules);
    const c = payload.columns;
    const fired: { event: AlertEvent; beta: number | null }[] = [];
    for (let i = 0; i < c.startMs.length; i++) {
      const start = c.startMs[i];
      const beta = c.hedgeRatio[i] ?? null;
      for (const e of rules.zscore.evaluate(start, c.zscore[i] ?? NaN))
        fired.push({ event: e, beta });
      for (const e of rules.correlation.evaluate(start, c.correlation[i] ?? NaN))
        fired.push({ event: e, beta });
    }
    this.saveCursors(rules);
    if (fired.length > 0) this.raise(scope, fired);
  }

  private enterScope(scope: AlertScope, key: string): ScopeRules {
    const repo = this.options.store.alerts;
    const s = this.options.settings();
    const zCursor = repo.cursor(scope, 'zscore');
    const cCursor = repo.cursor(scope, 'correlation');
    return {
      scope,
      key,
      zscore: ZScoreRule.restoreFromHistory(zParams(s), repo.scopeEvents(scope, 'zscore'), zCursor),
      correlation: CorrelationRule.restoreFromHistory(
        { level: s.correlationAlertLevel },
        repo.scopeEvents(scope, 'correlation'),
        cCursor,
      ),
      storedCursor: { zscore: zCursor, correlation: cCursor },
    };
  }

  /** New levels (K, R, K_crit, ρ level) apply from the next bar on; the state carries over. */
  private syncParams(rules: ScopeRules): ScopeRules {
    const s = this.options.settings();
    const z = zParams(s);
    const zp = rules.zscore.params;
    if (zp.k !== z.k || zp.rearm !== z.rearm || zp.critical !== z.critical) {
      rules.zscore = new ZScoreRule(z, rules.zscore.state());
    }
    if (rules.correlation.params.level !== s.correlationAlertLevel) {
      rules.correlation = new CorrelationRule(
        { level: s.correlationAlertLevel },
        rules.correlation.state(),
      );
    }
    return rules;
  }

  private saveCursors(rules: ScopeRules): void {
    for (const rule of ['zscore', 'correlation'] as const) {
      const last = rules[rule].state().lastBarStartMs;
      if (last > rules.storedCursor[rule]) {
        this.options.store.alerts.setCursor(rules.scope, rule, last);
        rules.storedCursor[rule] = last;
      }
    }
  }

  // ---- feed silence ---------------------------------------------------------------------------

  private tick(): void {
    if (this.stopped) return;
    this.checkFeed();
    this.flushHeld();
  }

  /** The feed rule on a running live source (exposed for tests). */
  checkFeed(): void {
    const source = this.options.source();
    if (source.kind !== 'live' || source.state !== 'running' || source.datasetId === 0) return;
    const s = this.options.settings();
    if (this.feed?.datasetId !== source.datasetId) {
      const last = this.options.store.alerts.lastEvent(source.datasetId, 'feed');
      this.feed = {
        datasetId: source.datasetId,
        rule: FeedRule.restoreFromHistory(
          { silenceSeconds: s.feedSilenceSeconds },
          last ? [last] : [],
        ),
      };
    }
    if (this.feed.rule.params.silenceSeconds !== s.feedSilenceSeconds) {
      this.feed.rule = new FeedRule(
        { silenceSeconds: s.feedSilenceSeconds },
        this.feed.rule.state(),
      );
    }
    const events = this.feed.rule.evaluate(this.now(), this.options.ingestStats().lastMessageAgeMs);
    if (events.length === 0) return;
    this.raise(
      {
        datasetId: source.datasetId,
        source: source.kind,
        pairA: s.pairA,
        pairB: s.pairB,
        timeframe: s.timeframe,
        rollingWindow: s.rollingWindow,
      },
      events.map((event) => ({ event, beta: null })),
    );
  }

  // ---- events, storage, notifications ---------------------------------------------------------

  private raise(scope: AlertScope, fired: { event: AlertEvent; beta: number | null }[]): void {
    const wallMs = this.now();
    const notifier = this.options.platform?.notifier;
    const enabled = notifier !== undefined && notifyEnabled(this.options.settings(), scope.source);
    const decisions: ({ grouped: number; sinceMs: number } | null)[] = [];
    const rows: NewAlert[] = fired.map(({ event, beta }) => {
      let decision: { grouped: number; sinceMs: number } | null = null;
      if (enabled && notifiable(event)) {
        const key = this.throttleKey(scope, event.rule);
        const sinceMs = this.lastNotified.get(key) ?? wallMs;
        const d = this.throttle.offer(key, wallMs);
        if (d.notify) {
          decision = { grouped: d.grouped, sinceMs };
          this.lastNotified.set(key, wallMs);
        }
      }
      decisions.push(decision);
      return { ...event, beta, wallMs, notified: decision !== null };
    });
    const records = this.options.store.alerts.insert(scope, rows);
    this.counts.stored += records.length;
    records.forEach((record, i) => {
      const d = decisions[i];
      const key = this.throttleKey(scope, record.rule);
      if (d) {
        this.held.delete(key);
        this.show(record, d.grouped > 0 ? { count: d.grouped, sinceMs: d.sinceMs } : null);
      } else if (enabled && notifiable(record)) {
        this.held.set(key, { record });
      }
    });
    this.options.emit('alerts', {
      added: records,
      unacknowledged: this.options.store.alerts.unacknowledged(),
    });
  }

  private readonly lastNotified = new Map<string, number>();

  private throttleKey(scope: AlertScope, rule: AlertRuleId): string {
    return rule === 'feed'
      ? `${scope.datasetId}|feed`
      : `${pairText(scope)}|${scope.timeframe}|${rule}`;
  }

  /**
   * Held-back events whose minute has passed: one grouped notification per rule ("3 more
   * breaches since 14:02"), clicking it shows the latest of them.
   */
  private flushHeld(): void {
    const notifier = this.options.platform?.notifier;
    if (!notifier) return;
    for (const group of this.throttle.flush(this.now())) {
      const held = this.held.get(group.key);
      this.held.delete(group.key);
      this.lastNotified.set(group.key, this.now());
      if (!held) continue;
      const r = held.record;
      this.counts.notified++;
      this.counts.grouped++;
      notifier.notify({
        title: `${sourcePrefix(r.source)}${r.rule === 'feed' ? 'Feed' : `${pairText(r)} (${r.timeframe})`}`,
        body: `${groupedText(r.rule, group.grouped, group.sinceMs)}; latest: ${notificationTitle(r)}`,
        onClick: () => this.focus(r),
      });
    }
  }

  private show(record: AlertRecord, grouped: { count: number; sinceMs: number } | null): void {
    const notifier = this.options.platform?.notifier;
    if (!notifier) return;
    this.counts.notified++;
    try {
      notifier.notify({
        title: notificationTitle(record),
        body: alertBody(record, grouped),
        onClick: () => this.focus(record),
      });
    } catch {
      // A failing notification must not lose the event (it is stored and shown in the app).
    }
  }

  private focus(r: AlertRecord): void {
    if (this.stopped) return;
    this.options.emit('alertFocus', {
      alertId: r.id,
      barStartMs: r.barStartMs,
      pairA: r.pairA,
      pairB: r.pairB,
      timeframe: r.timeframe,
    });
  }

  // ---- requests -------------------------------------------------------------------------------

  history(r: RequestOf<'alerts.history'>): ResponseOf<'alerts.history'> {
    const { limit, beforeId, ...filter } = r;
    const page = this.options.store.alerts.page(filter, limit, beforeId);
    return { ...page, unacknowledged: this.options.store.alerts.unacknowledged() };
  }

  acknowledge(r: RequestOf<'alerts.acknowledge'>): ResponseOf<'alerts.acknowledge'> {
    const repo = this.options.store.alerts;
    const unacknowledged = r.all === true ? repo.acknowledgeAll() : repo.acknowledge(r.ids ?? []);
    return { unacknowledged };
  }

  /** The filtered history as CSV, oldest first. */
  csv(filter: AlertFilter): { csv: string; rows: number } {
    let csv = csvRow(ALERTS_CSV_HEADER);
    let rows = 0;
    for (const a of this.options.store.alerts.all(filter)) {
      rows++;
      csv += csvRow([
        a.id,
        new Date(a.barStartMs).toISOString(),
        a.barStartMs,
        a.source,
        pairText(a),
        a.timeframe,
        a.rollingWindow,
        a.rule,
        a.kind,
        a.side,
        a.value,
        a.threshold,
        a.beta,
        a.acknowledged,
        a.notified,
      ]);
    }
    return { csv, rows };
  }

  /**
   * `alerts.export`: through the native save dialog when there is a platform (the file written,
   * or savedTo null when cancelled), else the CSV text for the browser to download.
   */
  async export(filter: AlertFilter): Promise<ResponseOf<'alerts.export'>> {
    const { csv, rows } = this.csv(filter);
    const fileName = `pairdesk-alerts-${new Date(this.now()).toISOString().slice(0, 19).replace(/:/g, '-')}.csv`;
    const dialog = this.options.platform?.saveDialog;
    if (!dialog) return { savedTo: null, csv, fileName, rows };
    const path = await dialog.askSavePath(fileName, [{ name: 'CSV', extensions: ['csv'] }]);
    if (path === null) return { savedTo: null, csv: null, fileName, rows };
    writeFileSync(path, csv);
    return { savedTo: path, csv: null, fileName, rows };
  }
}
