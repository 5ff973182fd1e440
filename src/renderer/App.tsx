import { useEffect } from 'react';
import type { ConnectionState, SymbolPrice } from '../core/contract/contract';
import { connectSession, sessionStore, useSession } from './state/sessionStore';
import { getApi } from './transport';

const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  stale: 'Stale',
  backing_off: 'Reconnecting',
  stopped: 'Stopped',
};

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

function formatPrice(price: number): string {
  const abs = Math.abs(price);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : 6;
  return price.toLocaleString(undefined, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function SourceBadge() {
  const source = useSession((s) => s.source);
  if (!source) return null;
  return (
    <div className="source">
      <span className="source-label">{source.label}</span>
      <span className="source-kind">{source.kind}</span>
      {source.simulated && (
        <span className="badge badge-simulated" title="Simulated market data, not a real feed">
          SIMULATED
        </span>
      )}
    </div>
  );
}

function Connection() {
  const connection = useSession((s) => s.connection);
  if (!connection) return <div className="connection connection-unknown">No connection status</div>;
  return (
    <div className={`connection connection-${connection.state}`} role="status">
      <span className="dot" aria-hidden="true" />
      <span className="connection-state">{CONNECTION_LABEL[connection.state]}</span>
      {connection.reason && <span className="connection-reason">{connection.reason}</span>}
      <span className="connection-since">since {timeFormat.format(connection.sinceMs)}</span>
    </div>
  );
}

function Prices() {
  const symbols = useSession((s) => s.symbols);
  const prices = useSession((s) => s.prices);
  const rows: string[] = [...symbols];
  for (const symbol of Object.keys(prices)) if (!rows.includes(symbol)) rows.push(symbol);
  if (rows.length === 0) return <p className="muted">No symbols yet.</p>;
  return (
    <table className="prices">
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          <th scope="col" className="num">
            Last price
          </th>
          <th scope="col" className="num">
            Trade time
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((symbol) => {
          const last: SymbolPrice | undefined = prices[symbol];
          return (
            <tr key={symbol}>
              <td>{symbol}</td>
              <td className="num">{last ? formatPrice(last.price) : '—'}</td>
              <td className="num muted">{last ? timeFormat.format(last.timeMs) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function App() {
  const load = useSession((s) => s.load);
  const error = useSession((s) => s.error);

  useEffect(() => {
    try {
      return connectSession(sessionStore, getApi());
    } catch (e) {
      sessionStore.getState().setError(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <h1>PairDesk</h1>
        <SourceBadge />
        <Connection />
      </header>
      <main className="content">
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        {load === 'loading' && <p className="muted">Loading session…</p>}
        <section className="panel">
          <h2>Last prices</h2>
          <Prices />
        </section>
      </main>
    </div>
  );
}
