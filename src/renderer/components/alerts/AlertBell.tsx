/** The header bell: unacknowledged alerts; a click opens the Alerts tab. */
import { saveSettings } from '../../actions';
import { formatInteger } from '../../lib/format';
import { useAlerts } from '../../state/alertsStore';
import { useSession } from '../../state/sessionStore';

export function AlertBell() {
  const count = useAlerts((s) => s.unacknowledged);
  const ready = useSession((s) => s.settings !== null);
  const label =
    count === 0
      ? 'Alerts: none unacknowledged (L)'
      : `Alerts: ${formatInteger(count)} unacknowledged (L)`;
  return (
    <button
      type="button"
      className={count > 0 ? 'icon-button alert-bell has-unread' : 'icon-button alert-bell'}
      data-testid="alert-bell"
      aria-label={label}
      title={label}
      disabled={!ready}
      onClick={() => void saveSettings({ activeTab: 'alerts' })}
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <path
          d="M8 1.5a4 4 0 0 0-4 4v2.6L2.6 10.6a.6.6 0 0 0 .5.9h9.8a.6.6 0 0 0 .5-.9L12 8.1V5.5a4 4 0 0 0-4-4Zm-1.8 11.2a1.8 1.8 0 0 0 3.6 0Z"
          fill="currentColor"
        />
      </svg>
      {count > 0 && (
        <span className="alert-bell-count num" data-testid="alert-bell-count">
          {count > 999 ? '999+' : count}
        </span>
      )}
    </button>
  );
}
