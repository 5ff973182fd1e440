/**
 * Toasts of new alert events: one per event, coloured by kind (amber breach, red escalate, green
 * revert), labelled REPLAY / SIMULATED by source, gone after TOAST_MS; at most MAX_TOASTS at
 * once, the rest grouped as "+N more". A click opens the event's bar on the Analytics tab.
 */
import { useEffect } from 'react';
import { focusRecord } from '../../alertActions';
import { alertBody, alertTitle, sourceLabel } from '../../../core/alerts/alertText';
import { alertsStore, TOAST_MS, useAlerts } from '../../state/alertsStore';

export function Toasts() {
  const toasts = useAlerts((s) => s.toasts);
  const hidden = useAlerts((s) => s.hiddenToasts);

  // One timer for the oldest toast: it expires, the next one schedules itself.
  useEffect(() => {
    if (toasts.length === 0) return undefined;
    const oldest = Math.min(...toasts.map((t) => t.shownAtMs));
    const wait = Math.max(0, oldest + TOAST_MS - Date.now());
    const timer = setTimeout(() => alertsStore.getState().expireToasts(Date.now()), wait + 20);
    return () => clearTimeout(timer);
  }, [toasts]);

  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="region" aria-label="New alerts" data-testid="alert-toasts">
      {toasts.map(({ record }) => {
        const label = sourceLabel(record.source);
        return (
          <div
            key={record.id}
            className={`toast toast-${record.kind}`}
            role="status"
            data-testid="alert-toast"
            data-alert-id={record.id}
            data-rule={record.rule}
            data-kind={record.kind}
          >
            <button
              type="button"
              className="toast-main"
              title="Show this bar on the Analytics tab"
              onClick={() => {
                alertsStore.getState().dismissToast(record.id);
                focusRecord(record);
              }}
            >
              <span className="toast-head">
                <span className={`alert-kind alert-kind-${record.kind}`}>{record.kind}</span>
                {label && (
                  <span
                    className={`badge ${record.source === 'demo' ? 'badge-simulated' : 'badge-replay'}`}
                  >
                    {label}
                  </span>
                )}
              </span>
              <span className="toast-title">{alertTitle(record)}</span>
              <span className="toast-body muted">{alertBody(record)}</span>
            </button>
            <button
              type="button"
              className="icon-button toast-close"
              aria-label="Dismiss"
              title="Dismiss"
              onClick={() => alertsStore.getState().dismissToast(record.id)}
            >
              ×
            </button>
          </div>
        );
      })}
      {hidden > 0 && (
        <button
          type="button"
          className="toast-more"
          data-testid="alert-toast-more"
          title="Dismiss every toast; the Alerts tab lists them all"
          onClick={() => alertsStore.getState().dismissAllToasts()}
        >
          +{hidden} more
        </button>
      )}
    </div>
  );
}
