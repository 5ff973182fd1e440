import type Database from 'better-sqlite3';
import type { AlertEvent, AlertKind, AlertRuleId, AlertSide } from '../../core/alerts/types';
import type { AlertFilter, AlertRecord, SourceKind } from '../../core/contract/contract';
import type { Timeframe } from '../../core/market/types';

/** Where a rule ran: the dataset and the selection whose bars it evaluated. */
export type AlertScope = Pick<
  AlertRecord,
  'datasetId' | 'source' | 'pairA' | 'pairB' | 'timeframe' | 'rollingWindow'
>;

/** An event to store: the rule's event, where it ran, and what happened to it. */
export interface NewAlert extends AlertEvent {
  beta: number | null;
  wallMs: number;
  notified: boolean;
}

interface AlertRow {
  id: number;
  dataset_id: number;
  source: SourceKind;
  pair_a: string;
  pair_b: string;
  timeframe: Timeframe;
  rolling_window: number;
  rule: AlertRuleId;
  kind: AlertKind;
  side: AlertSide | null;
  value: number | null;
  threshold: number;
  beta: number | null;
  bar_start_ms: number;
  wall_ms: number;
  acknowledged: number;
  notified: number;
}

function toRecord(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    source: r.source,
    pairA: r.pair_a,
    pairB: r.pair_b,
    timeframe: r.timeframe,
    rollingWindow: r.rolling_window,
    rule: r.rule,
    kind: r.kind,
    side: r.side,
    // A non-finite statistic binds as NULL (see bars); it reads back as NaN.
    value: r.value ?? NaN,
    threshold: r.threshold,
    beta: r.beta,
    barStartMs: r.bar_start_ms,
    wallMs: r.wall_ms,
    acknowledged: r.acknowledged === 1,
    notified: r.notified === 1,
  };
}

const finiteOrNull = (x: number | null): number | null =>
  x !== null && Number.isFinite(x) ? x : null;

/**
 * The `alert_events` and `alert_cursors` tables (migration 2). Writes are direct transactions:
 * events are rare, and an event must be stored before it is shown or notified.
 */
export class AlertRepo {
  private readonly insertStmt;
  private readonly ackIdStmt;
  private readonly ackAllStmt;
  private readonly unackStmt;
  private readonly scopeEventsStmt;
  private readonly cursorGet;
  private readonly cursorSet;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare<
      [
        number,
        string,
        string,
        string,
        string,
        number,
        string,
        string,
        string | null,
        number | null,
        number,
        number | null,
        number,
        number,
        number,
      ]
    >(
      `INSERT INTO alert_events (dataset_id, source, pair_a, pair_b, timeframe, rolling_window,
         rule, kind, side, value, threshold, beta, bar_start_ms, wall_ms, notified)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.ackIdStmt = db.prepare<[number]>(
      'UPDATE alert_events SET acknowledged = 1 WHERE id = ? AND acknowledged = 0',
    );
    this.ackAllStmt = db.prepare('UPDATE alert_events SET acknowledged = 1 WHERE acknowledged = 0');
    this.unackStmt = db
      .prepare<[], number>('SELECT count(*) FROM alert_events WHERE acknowledged = 0')
      .pluck();
    this.scopeEventsStmt = db.prepare<[number, string, string, string, number, string], AlertRow>(
      `SELECT * FROM alert_events
        WHERE dataset_id = ? AND pair_a = ? AND pair_b = ? AND timeframe = ? AND rolling_window = ?
          AND rule = ?
        ORDER BY id`,
    );
    this.cursorGet = db
      .prepare<[number, string, string, string, number, string], number>(
        `SELECT last_bar_start_ms FROM alert_cursors
          WHERE dataset_id = ? AND pair_a = ? AND pair_b = ? AND timeframe = ?
            AND rolling_window = ? AND rule = ?`,
      )
      .pluck();
    this.cursorSet = db.prepare<[number, string, string, string, number, string, number]>(
      `INSERT INTO alert_cursors
         (dataset_id, pair_a, pair_b, timeframe, rolling_window, rule, last_bar_start_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET last_bar_start_ms = max(last_bar_start_ms, excluded.last_bar_start_ms)`,
    );
  }

  /** Stores events of one scope in one transaction; returns them as records, in order. */
  insert(scope: AlertScope, events: readonly NewAlert[]): AlertRecord[] {
    if (events.length === 0) return [];
    return this.db.transaction(() =>
      events.map((e): AlertRecord => {
        const info = this.insertStmt.run(
          scope.datasetId,
          scope.source,
          scope.pairA,
          scope.pairB,
          scope.timeframe,
          scope.rollingWindow,
          e.rule,
          e.kind,
          e.side,
          finiteOrNull(e.value),
          e.threshold,
          finiteOrNull(e.beta),
          e.barStartMs,
          e.wallMs,
          e.notified ? 1 : 0,
        );
        return {
          id: Number(info.lastInsertRowid),
          ...scope,
          rule: e.rule,
          kind: e.kind,
          side: e.side,
          value: e.value,
          threshold: e.threshold,
          beta: finiteOrNull(e.beta),
          barStartMs: e.barStartMs,
          wallMs: e.wallMs,
          acknowledged: false,
          notified: e.notified,
        };
      }),
    )();
  }

  /**
   * Up to `limit` rows with id < `beforeId`, newest first, matching `filter`; `total` counts
   * every match.
   */
  page(
    filter: AlertFilter,
    limit: number,
    beforeId?: number,
  ): { rows: AlertRecord[]; total: number } {
    const { where, params } = whereOf(filter);
    const total = this.db
      .prepare<unknown[], number>(`SELECT count(*) FROM alert_events ${where}`)
      .pluck()
      .get(...params);
    const pageWhere = beforeId === undefined ? where : `${where ? `${where} AND` : 'WHERE'} id < ?`;
    const pageParams = beforeId === undefined ? params : [...params, beforeId];
    const rows = this.db
      .prepare<unknown[], AlertRow>(
        `SELECT * FROM alert_events ${pageWhere} ORDER BY id DESC LIMIT ?`,
      )
      .all(...pageParams, Math.max(0, Math.floor(limit)));
    return { rows: rows.map(toRecord), total: total ?? 0 };
  }

  /** Every row matching `filter`, oldest first, streamed (exports). */
  *all(filter: AlertFilter): Generator<AlertRecord, void, undefined> {
    const { where, params } = whereOf(filter);
    const stmt = this.db.prepare<unknown[], AlertRow>(
      `SELECT * FROM alert_events ${where} ORDER BY id`,
    );
    for (const row of stmt.iterate(...params)) yield toRecord(row);
  }

  unacknowledged(): number {
    return this.unackStmt.get() ?? 0;
  }

  /** Marks rows acknowledged (unknown ids are ignored); returns the unacknowledged count. */
  acknowledge(ids: readonly number[]): number {
    this.db.transaction(() => {
      for (const id of ids) this.ackIdStmt.run(id);
    })();
    return this.unacknowledged();
  }

  acknowledgeAll(): number {
    this.ackAllStmt.run();
    return this.unacknowledged();
  }

  /** The stored events of one rule in one scope, oldest first (to restore the rule's state). */
  scopeEvents(scope: AlertScope, rule: AlertRuleId): AlertRecord[] {
    return this.scopeEventsStmt.all(...scopeRuleParams(scope, rule)).map(toRecord);
  }

  /** The newest event of a rule in a dataset, whatever the selection (the feed rule's state). */
  lastEvent(datasetId: number, rule: AlertRuleId): AlertRecord | undefined {
    const row = this.db
      .prepare<[number, string], AlertRow>(
        'SELECT * FROM alert_events WHERE dataset_id = ? AND rule = ? ORDER BY id DESC LIMIT 1',
      )
      .get(datasetId, rule);
    return row ? toRecord(row) : undefined;
  }

  /** The last bar start the rule evaluated in this scope, −∞ when none is recorded. */
  cursor(scope: AlertScope, rule: AlertRuleId): number {
    const v = this.cursorGet.get(...scopeRuleParams(scope, rule));
    return v ?? -Infinity;
  }

  /** Moves the cursor forward (never back). */
  setCursor(scope: AlertScope, rule: AlertRuleId, lastBarStartMs: number): void {
    if (!Number.isFinite(lastBarStartMs)) return;
    this.cursorSet.run(...scopeRuleParams(scope, rule), lastBarStartMs);
  }
}

/** The `dataset_id, pair_a, pair_b, timeframe, rolling_window, rule` parameters of a scope's rule. */
function scopeRuleParams(
  scope: AlertScope,
  rule: AlertRuleId,
): [number, string, string, string, number, string] {
  return [scope.datasetId, scope.pairA, scope.pairB, scope.timeframe, scope.rollingWindow, rule];
}

function whereOf(filter: AlertFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.pair !== undefined) {
    const [a, b] = filter.pair.split('/');
    clauses.push('pair_a = ? AND pair_b = ?');
    params.push(a ?? '', b ?? '');
  }
  if (filter.rule !== undefined) {
    clauses.push('rule = ?');
    params.push(filter.rule);
  }
  if (filter.source !== undefined) {
    clauses.push('source = ?');
    params.push(filter.source);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
