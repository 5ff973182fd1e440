/**
 * Alerts tab: the stored alert history, newest first, filtered by pair, rule and source, with
 * acknowledge (one / all) and CSV export. The table is windowed by hand (fixed row height, only
 * the rows in view plus an overscan are in the DOM) so 100 k rows scroll like 40, and older pages
 * come from `alerts.history` as the view nears the last row held.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AlertRecord, SourceKind } from '../../../core/contract/contract';
import type { AlertRuleId } from '../../../core/alerts/types';
import {
  acknowledgeAlerts,
  browserNotifier,
  exportAlerts,
  focusRecord,
  loadMoreAlerts,
  requestNotifications,
  setAlertFilter,
} from '../../alertActions';
import {
  KIND_LABEL,
  pairText,
  RULE_LABEL,
  sourceLabel,
  thresholdText,
  valueText,
} from '../../../core/alerts/alertText';
import type { NotifyPermission } from '../../lib/browserNotify';
import { formatFixed, formatInteger, formatUtcDateTime, significantDigits } from '../../lib/format';
import { nearEnd, virtualWindow } from '../../lib/virtualWindow';
import { alertsStore, useAlerts } from '../../state/alertsStore';
import { useSession } from '../../state/sessionStore';

/** Row height of the table, px (the windowing relies on it being fixed; styles.css matches). */
export const ROW_HEIGHT = 26;

const SOURCE_NAMES: Record<SourceKind, string> = {
  live: 'Live',
  demo: 'Simulated',
  replay: 'Replay',
};

export function AlertsTab() {
  return (
    <div className="alerts-layout">
      <AlertsToolbar />
      <AlertsTable />
    </div>
  );
}

function AlertsToolbar() {
  const filter = useAlerts((s) => s.filter);
  const total = useAlerts((s) => s.total);
  const held = useAlerts((s) => s.rows.length);
  const unacknowledged = useAlerts((s) => s.unacknowledged);
  const message = useAlerts((s) => s.exportMessage);
  const settings = useSession((s) => s.settings);
  const rows = useAlerts((s) => s.rows);
  const pairId = useId();
  const ruleId = useId();
  const sourceId = useId();
  // Pairs to filter by: the current pair and those seen in the rows held.
  const pairs = useMemo(() => {
    const set = new Set<string>();
    if (settings) set.add(`${settings.pairA}/${settings.pairB}`);
    for (const r of rows.slice(0, 5_000)) set.add(pairText(r));
    if (filter.pair) set.add(filter.pair);
    return [...set].sort();
  }, [rows, settings, filter.pair]);

  return (
    <div className="alerts-toolbar">
      <div className="alerts-filters">
        <label htmlFor={pairId} className="muted">
          Pair
        </label>
        <select
          id={pairId}
          data-testid="alerts-filter-pair"
          value={filter.pair ?? ''}
          onChange={(e) => void setAlertFilter({ ...filter, pair: e.target.value || undefined })}
        >
          <option value="">All pairs</option>
          {pairs.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <label htmlFor={ruleId} className="muted">
          Rule
        </label>
        <select
          id={ruleId}
          data-testid="alerts-filter-rule"
          value={filter.rule ?? ''}
          onChange={(e) =>
            void setAlertFilter({
              ...filter,
              rule: (e.target.value || undefined) as AlertRuleId | undefined,
            })
          }
        >
          <option value="">All rules</option>
          {(Object.keys(RULE_LABEL) as AlertRuleId[]).map((r) => (
            <option key={r} value={r}>
              {RULE_LABEL[r]}
            </option>
          ))}
        </select>
        <label htmlFor={sourceId} className="muted">
          Source
        </label>
        <select
          id={sourceId}
          data-testid="alerts-filter-source"
          value={filter.source ?? ''}
          onChange={(e) =>
            void setAlertFilter({
              ...filter,
              source: (e.target.value || undefined) as SourceKind | undefined,
            })
          }
        >
          <option value="">All sources</option>
          {(Object.keys(SOURCE_NAMES) as SourceKind[]).map((k) => (
            <option key={k} value={k}>
              {SOURCE_NAMES[k]}
            </option>
          ))}
        </select>
      </div>
      <span className="alerts-count muted" data-testid="alerts-count">
        {formatInteger(total)} event{total === 1 ? '' : 's'}
        {held < total ? ` (${formatInteger(held)} loaded)` : ''} ·{' '}
        <span data-testid="alerts-unacknowledged">{formatInteger(unacknowledged)}</span>{' '}
        unacknowledged
      </span>
      <div className="alerts-actions">
        <NotifyButton />
        <button
          type="button"
          data-testid="alerts-ack-all"
          disabled={unacknowledged === 0}
          onClick={() => void acknowledgeAlerts('all')}
        >
          Acknowledge all
        </button>
        <button type="button" data-testid="alerts-export" onClick={() => void exportAlerts()}>
          Export CSV
        </button>
      </div>
      {message && (
        <div className="alerts-message" role="status" data-testid="alerts-message">
          {message}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => alertsStore.getState().setExportMessage(null)}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

/** Browser mode: asks for notification permission on click (never on load). */
function NotifyButton() {
  const [permission, setPermission] = useState<NotifyPermission>(
    () => browserNotifier().permission,
  );
  if (permission === 'unsupported') return null; // Electron notifies natively, or no API
  if (permission === 'granted') {
    return (
      <span className="muted small" data-testid="alerts-notify-state">
        Browser notifications on
      </span>
    );
  }
  if (permission === 'denied') {
    return (
      <span
        className="muted small"
        data-testid="alerts-notify-state"
        title="Allow notifications for this page in the browser's site settings"
      >
        Notifications blocked by the browser
      </span>
    );
  }
  return (
    <button
      type="button"
      data-testid="alerts-notify"
      title="Show alerts as browser notifications (for the sources enabled in the settings)"
      onClick={() => void requestNotifications().then(setPermission)}
    >
      Enable notifications
    </button>
  );
}

function AlertsTable() {
  const rows = useAlerts((s) => s.rows);
  const total = useAlerts((s) => s.total);
  const load = useAlerts((s) => s.load);
  const error = useAlerts((s) => s.error);
  const pageInFlight = useAlerts((s) => s.pageInFlight);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return undefined;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Page more when the view nears the last row held (also when a page did not fill the view);
  // after a failed page only the Retry button asks again (no request loop).
  const pageError = rows.length > 0 ? error : null;
  useEffect(() => {
    if (pageError) return;
    if (rows.length < total && nearEnd(rows.length, ROW_HEIGHT, scrollTop, height)) {
      void loadMoreAlerts();
    }
  }, [rows.length, total, scrollTop, height, pageInFlight, pageError]);

  const win = virtualWindow(rows.length, ROW_HEIGHT, scrollTop, height);
  const visible = rows.slice(win.start, win.end);

  return (
    <div className="alerts-table" role="table" aria-label="Alert history, newest first">
      <div className="alerts-row alerts-head" role="row">
        {[
          'Time (UTC)',
          'Source',
          'Pair',
          'TF',
          'Rule',
          'Kind',
          'Side',
          'Value',
          'Threshold',
          'β',
          'Bar (UTC)',
          'Ack',
        ].map((h) => (
          <span key={h} role="columnheader">
            {h}
          </span>
        ))}
      </div>
      <div
        ref={viewport}
        className="alerts-viewport"
        data-testid="alerts-viewport"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        {rows.length === 0 ? (
          <div className="alerts-empty muted" data-testid="alerts-empty">
            {load === 'error'
              ? `The alert history cannot be read: ${error ?? 'unknown error'}`
              : load === 'ready'
                ? 'No alert events yet. They appear here when a rule fires on a closed bar.'
                : 'Loading the alert history…'}
          </div>
        ) : (
          <div style={{ height: win.padTop + win.padBottom + visible.length * ROW_HEIGHT }}>
            <div style={{ height: win.padTop }} />
            {visible.map((r) => (
              <AlertRow key={r.id} record={r} />
            ))}
          </div>
        )}
      </div>
      {pageError && (
        <div className="alerts-page-error" role="alert" data-testid="alerts-page-error">
          Could not load older events: {pageError}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              alertsStore.setState({ error: null });
            }}
          >
            Retry
          </button>
        </div>
      )}
    </div>
  );
}

function AlertRow({ record: r }: { record: AlertRecord }) {
  const label = sourceLabel(r.source);
  return (
    <div
      className={r.acknowledged ? 'alerts-row' : 'alerts-row unread'}
      role="row"
      data-testid="alert-row"
      data-alert-id={r.id}
      onDoubleClick={() => focusRecord(r)}
      title="Double-click: show this bar on the Analytics tab"
    >
      <span className="num">{formatUtcDateTime(r.wallMs)}</span>
      <span>
        {label ? (
          <span className={`badge ${r.source === 'demo' ? 'badge-simulated' : 'badge-replay'}`}>
            {label}
          </span>
        ) : (
          <span className="badge badge-live">LIVE</span>
        )}
      </span>
      <span className="alerts-pair">{r.rule === 'feed' ? '—' : pairText(r)}</span>
      <span>{r.timeframe}</span>
      <span>{RULE_LABEL[r.rule]}</span>
      <span className={`alert-kind alert-kind-${r.kind}`}>{KIND_LABEL[r.kind]}</span>
      <span>{r.side ?? '—'}</span>
      <span className="num">{valueText(r)}</span>
      <span>{thresholdText(r)}</span>
      <span className="num">
        {r.beta === null ? '—' : formatFixed(r.beta, significantDigits(r.beta, 4))}
      </span>
      <span className="num">{formatUtcDateTime(r.barStartMs)}</span>
      <span>
        {r.acknowledged ? (
          <span className="muted" aria-label="acknowledged">
            ✓
          </span>
        ) : (
          <button
            type="button"
            className="link-button"
            data-testid="alert-ack"
            onClick={() => void acknowledgeAlerts([r.id])}
          >
            Ack
          </button>
        )}
      </span>
    </div>
  );
}
