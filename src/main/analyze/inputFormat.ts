/**
 * What kind of file an `analyze` input is, from its content rather than its name (#10): NDJSON
 * captures (plain or .gz) take the fast NDJSON path (ingestFiles); every other import format
 * (data.binance.vision CSV and .zip, PairDesk exports, OHLC CSV) the general one (ingestFormats).
 * `analyzeInputs` also finds the bar timeframe of bars-only inputs, analysed at their own
 * timeframe, and refuses what cannot be analysed in one plain sentence.
 */
import { ACCEPTED_FORMATS } from '../../core/formats/detect';
import { TIMEFRAMES, TIMEFRAME_MS, type Timeframe } from '../../core/market/types';
import { detectMembers } from '../files/import/inspectFiles';

/** What `analyze` reads, for messages. */
export const ACCEPTED_INPUT = ACCEPTED_FORMATS;

export interface AnalyzeInputs {
  /** Every input is an NDJSON capture, plain or gzip: the fast path applies. */
  ndjsonOnly: boolean;
  /** Every recognised member holds bars (no trades): analysed at their timeframe. */
  barsOnly: boolean;
  /** The coarsest bar timeframe among the bar inputs (ms); null when none holds bars. */
  barsTimeframeMs: number | null;
  /** Why the inputs cannot be analysed (one sentence), or null. */
  refusal: string | null;
}

function tfName(ms: number): string {
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms) ?? `${ms} ms`;
}

/** Classifies `files` for analyze (reads only their first lines). */
export async function analyzeInputs(files: readonly string[]): Promise<AnalyzeInputs> {
  let ndjsonOnly = true;
  let barsOnly = true;
  let barsTf: number | null = null;
  for (const path of files) {
    const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    const members = await detectMembers(path, name);
    const usable = members.filter((m) => m.detected !== null);
    // An empty file holds nothing to refuse: the analysis then says which symbol has no data.
    if (members.every((m) => m.detected === null && m.reason.startsWith('the file is empty'))) {
      continue;
    }
    if (usable.length === 0) {
      const why = members[0]?.reason ?? 'nothing readable';
      const accepted = why.includes('accepted formats') ? '' : `; accepted: ${ACCEPTED_INPUT}`;
      return {
        ndjsonOnly,
        barsOnly,
        barsTimeframeMs: barsTf,
        refusal: `${path}: ${why}${accepted}`,
      };
    }
    for (const m of usable) {
      const f = m.detected?.format;
      const label = m.member.member === null ? path : `${path}:${m.member.member}`;
      if (f === 'bookTicker') {
        return {
          ndjsonOnly,
          barsOnly,
          barsTimeframeMs: barsTf,
          refusal: `${label} holds bookTicker quotes, not trades or bars; accepted: ${ACCEPTED_INPUT}`,
        };
      }
      if (m.needsSymbol) {
        return {
          ndjsonOnly,
          barsOnly,
          barsTimeframeMs: barsTf,
          refusal: `${label} is ${f} of one symbol but its name does not say which (name it like BTCUSDT-${f === 'klines' ? '1m' : 'aggTrades'}-2024-07-18.csv)`,
        };
      }
      const ndjson =
        (f === 'ndjson-raw' || f === 'ndjson-combined') && m.member.container !== 'zip';
      if (!ndjson) ndjsonOnly = false;
      if (m.replayable) barsOnly = false;
      else if (m.barsTimeframeMs === null) {
        return {
          ndjsonOnly,
          barsOnly,
          barsTimeframeMs: barsTf,
          refusal: `${label} holds ${f} bars of an unknown timeframe (fewer than two bars of one symbol in its first lines)`,
        };
      } else {
        barsTf = barsTf === null ? m.barsTimeframeMs : Math.max(barsTf, m.barsTimeframeMs);
      }
    }
  }
  return {
    ndjsonOnly,
    barsOnly: barsOnly && barsTf !== null,
    barsTimeframeMs: barsTf,
    refusal: null,
  };
}

/**
 * The timeframe to analyse: the one asked for, else the bars' own (bars-only inputs) or 1 s.
 * A timeframe finer than the bars held, or not a multiple of them, is refused (null + why).
 */
export function analyzeTimeframe(
  asked: Timeframe | undefined,
  inputs: AnalyzeInputs,
): { timeframe: Timeframe } | { refusal: string } {
  const bars = inputs.barsTimeframeMs;
  if (asked === undefined) {
    if (inputs.barsOnly && bars !== null) {
      const own = TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === bars);
      if (own === undefined)
        return {
          refusal: `the input's ${tfName(bars)} bars are not a timeframe PairDesk analyses (${TIMEFRAMES.join(', ')})`,
        };
      return { timeframe: own };
    }
    asked = '1s';
  }
  if (bars !== null && (TIMEFRAME_MS[asked] < bars || TIMEFRAME_MS[asked] % bars !== 0)) {
    return {
      refusal: `--timeframe ${asked} is finer than the ${tfName(bars)} bars the input holds: use --timeframe ${tfName(bars)} or coarser`,
    };
  }
  return { timeframe: asked };
}
