/** Says what a chart is waiting for instead of showing an empty frame. */
import type { Timeframe } from '../../core/market/types';
import { TIMEFRAME_MS } from '../../core/market/types';
import { useSession } from '../state/sessionStore';

/** A candle chart needs this many bars to be worth drawing. */
export const MIN_BARS_TO_DRAW = 2;

interface Props {
  symbol: string;
  timeframe: Timeframe;
  have: number;
  needed: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** What the bars are for, e.g. `to compare the pair`. */
  purpose?: string;
}

export function warmupText(p: {
  symbol: string;
  timeframe: Timeframe;
  have: number;
  needed: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  hasTrades: boolean;
  connecting: boolean;
  purpose?: string;
  /** A bars-only dataset's finest timeframe: finer ones have no bars at all. */
  barsOnly?: Timeframe | null;
  /** A stored dataset is viewed: nothing more arrives, so there is nothing to wait for. */
  stored?: boolean;
}): string {
  if (p.status === 'error')
    return `Could not load the history of ${p.symbol}: ${p.error ?? 'unknown error'}`;
  if (p.barsOnly && TIMEFRAME_MS[p.timeframe] < TIMEFRAME_MS[p.barsOnly]) {
    return `This dataset holds ${p.barsOnly} bars only (no ticks): there are no ${p.timeframe} bars of ${p.symbol}; choose ${p.barsOnly} or a coarser timeframe`;
  }
  if (p.stored && p.status === 'ready') {
    return `This stored dataset holds ${p.have === 0 ? 'no' : `only ${p.have}`} ${p.timeframe} bar${p.have === 1 ? '' : 's'} of ${p.symbol}`;
  }
  if (p.status === 'loading' && p.have === 0)
    return `Loading ${p.timeframe} history of ${p.symbol}…`;
  if (p.have === 0 && !p.hasTrades) {
    return `No trades yet for ${p.symbol} — ${p.connecting ? 'connecting…' : 'waiting for the first trade…'}`;
  }
  const missing = p.needed - p.have;
  const unit = missing === 1 ? 'bar' : 'bars';
  return `Waiting for ${missing} more ${p.timeframe} ${unit} of ${p.symbol}${p.purpose ? ` ${p.purpose}` : ''}`;
}

export function WarmupMessage(props: Props) {
  const hasTrades = useSession((s) => s.prices[props.symbol] !== undefined);
  const connecting = useSession((s) => s.connection?.state !== 'live');
  const barsOnly = useSession((s) => s.source?.barsOnly ?? null);
  const stored = useSession((s) => s.source?.stored === true);
  const text = warmupText({ ...props, hasTrades, connecting, barsOnly, stored });
  return (
    <div className="warmup" data-testid="warmup-message" role="status">
      <span className="warmup-spinner" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
