/** Connection health and ingestion counters along the bottom edge. */
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../core/contract/contract';
import { formatAge, formatBytes, formatInteger, formatRate, REJECT_LABELS } from '../lib/format';
import { sourceStatusText } from '../lib/sourceStatus';
import { useSession } from '../state/sessionStore';

export const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  stale: 'Stale',
  backing_off: 'Reconnecting',
  stopped: 'Stopped',
};

/** Re-renders every `ms` while mounted (for ticking ages). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function StatusBar() {
  return (
    <footer className="statusbar" aria-label="Status">
      <ConnectionItem />
      <SourceItem />
      <span className="status-spacer" />
      <StatsItems />
    </footer>
  );
}

function ConnectionItem() {
  const connection = useSession((s) => s.connection);
  const source = useSession((s) => s.source);
  const transport = useSession((s) => s.transport);
  if (transport && transport.state !== 'open') {
    return (
      <span
        className="status-item status-connection conn-backing_off"
        data-testid="status-connection"
        role="status"
        title={transport.error ?? undefined}
      >
        <span className="dot" aria-hidden="true" />
        <strong>
          {transport.state === 'connecting' ? 'Connecting to PairDesk' : 'PairDesk unreachable'}
        </strong>
        {transport.error && <span className="status-reason">{transport.error}</span>}
      </span>
    );
  }
  if (source) {
    // In words that fit the source: "Live" is only ever the live feed.
    const status = sourceStatusText(source, connection);
    const full = sourceStatusText(source, connection, false);
    const since = connection ? ` since ${new Date(connection.sinceMs).toISOString()}` : '';
    return (
      <span
        className={`status-item status-connection conn-${status.tone}`}
        data-testid="status-connection"
        data-state={connection?.state}
        data-source-state={source.state}
        role="status"
        title={`${full.text}${full.detail ? ` — ${full.detail}` : ''}${since}`}
      >
        <span className="dot" aria-hidden="true" />
        <strong>{status.text}</strong>
        {status.detail && <span className="status-reason">{status.detail}</span>}
      </span>
    );
  }
  if (!connection) {
    return (
      <span className="status-item status-connection" data-testid="status-connection">
        <span className="dot" aria-hidden="true" />
        <strong>—</strong>
      </span>
    );
  }
  return (
    <span
      className={`status-item status-connection conn-${connection.state}`}
      data-testid="status-connection"
      data-state={connection.state}
      role="status"
      title={`${CONNECTION_LABEL[connection.state]} since ${new Date(connection.sinceMs).toISOString()}`}
    >
      <span className="dot" aria-hidden="true" />
      <strong>{CONNECTION_LABEL[connection.state]}</strong>
      {connection.reason && <span className="status-reason">{connection.reason}</span>}
    </span>
  );
}

/** The SIMULATED badge; the connection item already names the source and its state. */
function SourceItem() {
  const source = useSession((s) => s.source);
  if (!source?.simulated) return null;
  return (
    <span className="status-item status-source" title={source.label}>
      {source.simulated && (
        <span
          className="badge badge-simulated"
          data-testid="source-badge-simulated"
          title="Simulated market data, not a real feed"
        >
          SIMULATED
        </span>
      )}
    </span>
  );
}

/** The ticking message age: the only part of the bar that re-renders 4 times a second. */
function LastMessageAge() {
  const ageMs = useSession((s) => s.stats?.lastMessageAgeMs ?? null);
  const statsAtMs = useSession((s) => s.statsAtMs);
  const now = useNow(250);
  const age = ageMs !== null && statsAtMs !== null ? ageMs + Math.max(0, now - statsAtMs) : null;
  const ageClass = age === null ? '' : age > 10_000 ? 'bad' : age > 3_000 ? 'warn' : '';
  return (
    <span className={`num status-age ${ageClass}`} data-testid="status-last-age">
      {formatAge(age)}
    </span>
  );
}

function StatsItems() {
  const stats = useSession((s) => s.stats);
  const [showRejects, setShowRejects] = useState(false);
  const rejects = stats
    ? (Object.entries(stats.rejects) as [string, number][]).filter(([, n]) => n > 0)
    : [];
  const rejectsTitle =
    rejects.length > 0
      ? rejects.map(([r, n]) => `${REJECT_LABELS[r] ?? r}: ${formatInteger(n)}`).join('\n')
      : 'No rejected messages';
  return (
    <>
      <span className="status-item" title="Feed messages per second">
        <span className="status-label">Msg/s</span>
        <span className="num" data-testid="status-rate">
          {stats ? formatRate(stats.messagesPerSec) : '—'}
        </span>
      </span>
      <span className="status-item" title="Time since the last feed message">
        <span className="status-label">Last msg</span>
        <LastMessageAge />
      </span>
      <span className="status-item" title="Ticks stored in the database">
        <span className="status-label">Ticks</span>
        <span className="num" data-testid="status-ticks">
          {stats ? formatInteger(stats.ticksStored) : '—'}
        </span>
      </span>
      <span className="status-item status-rejects-wrap">
        <button
          type="button"
          className={`status-button ${stats && stats.rejectsTotal > 0 ? 'warn' : ''}`}
          data-testid="status-rejects"
          title={rejectsTitle}
          aria-expanded={showRejects}
          onClick={() => setShowRejects((v) => !v)}
        >
          <span className="status-label">Rejects</span>
          <span className="num">{stats ? formatInteger(stats.rejectsTotal) : '—'}</span>
        </button>
        {showRejects && (
          <div className="popover" role="dialog" aria-label="Rejected messages by reason">
            <div className="popover-title">Rejected messages</div>
            {rejects.length === 0 ? (
              <div className="muted">None so far.</div>
            ) : (
              <table>
                <tbody>
                  {rejects.map(([reason, n]) => (
                    <tr key={reason}>
                      <td>{REJECT_LABELS[reason] ?? reason}</td>
                      <td className="num">{formatInteger(n)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </span>
      <span className="status-item" title="Database size on disk">
        <span className="status-label">DB</span>
        <span className="num" data-testid="status-db-size">
          {stats ? formatBytes(stats.dbSizeBytes) : '—'}
        </span>
      </span>
    </>
  );
}
