/** Prices tab: candles for pair A and pair B, and the pair normalised on one scale. */
import { useSession } from '../state/sessionStore';
import { CandleChart } from './CandleChart';
import { OverlayChart } from './OverlayChart';

export function PricesTab() {
  const settings = useSession((s) => s.settings);
  if (!settings) return null;
  const { pairA, pairB, timeframe } = settings;
  return (
    <div className="prices-grid">
      <CandleChart key="A" role="A" symbol={pairA} timeframe={timeframe} />
      <CandleChart key="B" role="B" symbol={pairB} timeframe={timeframe} />
      <OverlayChart symbolA={pairA} symbolB={pairB} timeframe={timeframe} />
    </div>
  );
}
