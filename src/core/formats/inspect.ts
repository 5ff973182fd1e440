/**
 * What main's `files.inspect` reports about a file from its first lines (#10): the detected
 * format, the symbols (from NDJSON messages, PairDesk exports, or the file name), whether a
 * symbol must be asked for, the bar timeframe of bars-only files, and whether it can be replayed
 * (trade formats only). A bars-only file whose timeframe PairDesk does not analyse (anything but
 * 1 s, 1 m, 5 m) comes back as not importable, with the reason.
 */
import { decodeMessage } from '../binance/decode';
import type { ImportFormat } from '../contract/files';
import { SYMBOL_PATTERN } from '../validation/tickValidator';
import { parseAnalyticsFileName } from './analyticsFileName';
import { unsupportedTimeframe } from './barTimeframe';
import { isBlank, parseTime, splitFields } from './common';
import { detectFormat, type Detection } from './detect';
import { symbolFromFileName } from './fileName';

export interface HeadInspection {
  detection: Detection;
  /** Upper-case symbols in order of first appearance; the pair for analytics exports. */
  symbols: string[];
  /** A one-symbol format (or an analytics export) whose content and name do not say which. */
  needsSymbol: boolean;
  /** Bars-only formats: the bar timeframe in ms when known. */
  barsTimeframeMs: number | null;
  /** Trade formats can be replayed through the feed; bar formats only imported. */
  replayable: boolean;
}

const ONE_SYMBOL: ReadonlySet<ImportFormat> = new Set([
  'aggTrades',
  'trades',
  'klines',
  'bookTicker',
  'ohlc-csv',
]);
const REPLAYABLE: ReadonlySet<ImportFormat> = new Set([
  'ndjson-raw',
  'ndjson-combined',
  'aggTrades',
  'trades',
  'pairdesk-ticks',
]);

/**
 * `BTCUSDT_1m.csv`, `ohlc-ETHUSDT-5m.csv`: an upper-case symbol with a stablecoin quote as one
 * `-`/`_`/`.`/space-separated part of the name.
 */
const LOOSE_SYMBOL = /(?:^|[-_. ])([A-Z0-9]{2,24}(?:USDT|USDC|FDUSD|BUSD))(?=[-_. ]|$)/;

function symbolFromName(fileName: string): string | null {
  const binance = symbolFromFileName(fileName);
  if (binance !== null) return binance.symbol;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return LOOSE_SYMBOL.exec(base)?.[1] ?? null;
}

function contentSymbols(format: ImportFormat, lines: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const line of lines) {
    if (isBlank(line)) continue;
    if (format === 'ndjson-raw' || format === 'ndjson-combined') {
      const m = decodeMessage(line);
      if (m.kind === 'trade') seen.add(m.tick.symbol);
      else if (m.kind === 'bookTicker') seen.add(m.book.symbol);
    } else {
      const s = splitFields(line)[0];
      if (SYMBOL_PATTERN.test(s)) seen.add(s);
    }
  }
  return [...seen];
}

/** close_time − open_time + 1 of the first kline row, in ms; null when it does not parse. */
function klineTimeframe(lines: readonly string[]): number | null {
  for (const line of lines) {
    const f = splitFields(line);
    if (f.length !== 12) continue;
    const open = parseTime(f[0], 'open_time');
    const close = parseTime(f[6], 'close_time');
    if (typeof open === 'string' || typeof close === 'string') continue;
    const span =
      open.us !== undefined && close.us !== undefined
        ? (close.us - open.us + 1) / 1000
        : close.ms - open.ms + 1;
    return Number.isSafeInteger(span) && span > 0 ? span : null;
  }
  return null;
}

/** Inspects the head of a file (pass its first ~20 lines, without terminators). */
export function inspectHead(lines: string[], fileName: string): HeadInspection {
  const detection = detectFormat(lines, fileName);
  if (!detection.ok) {
    return { detection, symbols: [], needsSymbol: false, barsTimeframeMs: null, replayable: false };
  }
  const format = detection.format;
  let symbols: string[] = [];
  let barsTimeframeMs: number | null = null;
  let needsSymbol = false;
  if (format === 'pairdesk-analytics') {
    const name = parseAnalyticsFileName(fileName);
    if (name !== null) symbols = name.pair;
    needsSymbol = name === null;
    barsTimeframeMs = name?.timeframeMs ?? detection.barsTimeframeMs ?? null;
  } else if (ONE_SYMBOL.has(format)) {
    const s = symbolFromName(fileName);
    if (s !== null) symbols = [s];
    needsSymbol = s === null;
    if (format === 'klines') {
      barsTimeframeMs = symbolFromFileName(fileName)?.intervalMs ?? klineTimeframe(lines);
    } else if (format === 'ohlc-csv') {
      barsTimeframeMs = detection.barsTimeframeMs ?? null;
    }
  } else {
    const data = detection.hasHeader === true ? dataLines(lines) : lines;
    symbols = contentSymbols(format, data);
    if (format === 'pairdesk-bars') barsTimeframeMs = detection.barsTimeframeMs ?? null;
  }
  if (barsTimeframeMs !== null) {
    const why = unsupportedTimeframe(barsTimeframeMs);
    if (why !== null) {
      return {
        detection: { ok: false, reason: `${detection.reason} — cannot import: ${why}` },
        symbols,
        needsSymbol,
        barsTimeframeMs,
        replayable: false,
      };
    }
  }
  return {
    detection,
    symbols,
    needsSymbol,
    barsTimeframeMs,
    replayable: REPLAYABLE.has(format),
  };
}

/** The lines after the first non-blank one (the header). */
function dataLines(lines: readonly string[]): string[] {
  const i = lines.findIndex((l) => !isBlank(l));
  return i < 0 ? [] : lines.slice(i + 1);
}
