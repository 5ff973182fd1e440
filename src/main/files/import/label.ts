/**
 * The default label of an imported dataset, from its files (#10): Binance archive names give
 * "BTCUSDT + ETHUSDT aggTrades 2024-07-18"; other files their names, e.g.
 * "um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz + 1 more".
 */
import { symbolFromFileName } from '../../../core/formats/fileName';
import type { MemberDetection } from './inspectFiles';

/** How many file names a label spells out before "+ N more". */
const NAMES_SHOWN = 2;

export function datasetLabel(
  files: readonly { name: string; symbol?: string }[],
  detections: readonly (readonly MemberDetection[])[],
): string {
  const symbols = new Set<string>();
  const kinds = new Set<string>();
  const dates = new Set<string>();
  let allBinance = files.length > 0;
  files.forEach((f, i) => {
    const parsed = symbolFromFileName(f.name);
    if (parsed === null) {
      allBinance = false;
      return;
    }
    symbols.add(f.symbol?.toUpperCase() ?? parsed.symbol);
    kinds.add(parsed.interval ?? parsed.kind);
    dates.add(parsed.date);
    for (const d of detections[i] ?? []) for (const s of d.symbols) symbols.add(s);
  });
  if (allBinance) {
    return `${[...symbols].join(' + ')} ${[...kinds].join('/')} ${[...dates].sort().join(', ')}`;
  }
  const names = files.map((f) => f.name);
  const shown = names.slice(0, NAMES_SHOWN).join(' + ');
  const more = names.length - NAMES_SHOWN;
  return more > 0 ? `${shown} + ${more} more` : shown || 'import';
}
