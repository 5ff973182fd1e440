/**
 * What a replay of one or more files will play: every input (a file, or a member of a zip) with
 * its content format (detected from its first lines, never its name), symbol and trade stream.
 * Captures (NDJSON) are sent unmodified; aggTrades / trades CSV rows become the exchange's
 * payloads (tradePayloads.ts). Formats without trades (klines, bookTicker, bar exports) are
 * refused with a reason: they are imported, not replayed.
 */
import { basename } from 'node:path';
import type { FileContainer } from '../../../core/contract/files';
import { AggTradesReader } from '../../../core/formats/aggTrades';
import { PairdeskTicksReader } from '../../../core/formats/pairdeskTicks';
import { detectFormat, type FileFormat } from '../../../core/formats/detect';
import { symbolFromFileName } from '../../../core/formats/fileName';
import { TradesReader } from '../../../core/formats/trades';
import { parseCaptureLine, type CaptureMessage } from './capture';
import {
  CAPTURE_HEAD_LINES,
  CAPTURE_HEAD_MAX_BYTES,
  captureHeadText,
  CaptureHeadTally,
} from './captureHead';
import { boundedLines, newLineCounters, type LineCounters } from './lines';
import { detectContainer } from '../../files/input/detect';
import { inputChunks, zipMembers, type DiskProgress } from './replayInput';
import { tradeMessage } from './tradePayloads';

/** The formats replay plays. */
export type ReplayInputFormat = 'ndjson' | 'aggTrades' | 'trades' | 'pairdesk-ticks';

/** One input of a replay: a file, or one member of a zip file. */
export interface ReplayInput {
  file: string;
  /** Display name: the file's base name, `name.zip:member.csv` for a zip member. */
  name: string;
  container: FileContainer;
  member: string | null;
  format: ReplayInputFormat;
  /**
   * One-symbol formats (CSV): the symbol of every row; a PairDesk tick export: the symbol this
   * input plays (one input per symbol, see `otherSymbols`); null for captures.
   */
  symbol: string | null;
  /**
   * PairDesk tick export: the symbols the file's other inputs play. Their rows are left to them;
   * rows of any other symbol go to the first input, whose reader rejects and counts them.
   */
  otherSymbols?: string[];
  /** Symbols and trade stream found in the head. */
  symbols: string[];
  tradeStream: 'aggTrade' | 'trade';
}

/** A file to replay; `symbol` for a CSV whose name does not say it. */
export interface ReplayFileSpec {
  path: string;
  symbol?: string;
}

export interface ReplayPlan {
  inputs: ReplayInput[];
  /** Every symbol the inputs carry, sorted. */
  symbols: string[];
  tradeStream: 'aggTrade' | 'trade';
}

/** Lines `detectFormat` looks at. */
const DETECT_LINES = 10;

/** Line and rejection counts of one input while it plays. */
export interface InputCounters extends LineCounters {
  lines: number;
  /** Lines that gave no message: not a payload or envelope, a rejected CSV row. */
  skipped: number;
}

export function newInputCounters(): InputCounters {
  return { ...newLineCounters(), lines: 0, skipped: 0 };
}

async function headLines(
  file: string,
  container: FileContainer,
  member: string | null,
): Promise<{ lines: string[]; counters: LineCounters }> {
  const counters = newLineCounters();
  const lines: string[] = [];
  const chunks = inputChunks(file, container, member, { bytesRead: 0 });
  try {
    for await (const line of boundedLines(chunks, counters, {
      stopAfterBytes: CAPTURE_HEAD_MAX_BYTES,
    })) {
      lines.push(line);
      if (lines.length >= CAPTURE_HEAD_LINES) break;
    }
  } finally {
    await chunks.return(undefined);
  }
  return { lines, counters };
}

const NOT_TRADES: Partial<Record<FileFormat, string>> = {
  klines: 'holds klines (bars), not trades',
  bookTicker: 'holds best bid/ask quotes, not trades',
  'pairdesk-bars': 'is a PairDesk bar export, not trades',
  'pairdesk-analytics': 'is a PairDesk analytics export, not trades',
};

/** Streams a PairDesk tick export may hold (the feed server's streams per connection). */
const MAX_EXPORT_SYMBOLS = 200;

/**
 * The symbols of a PairDesk tick export (its first column), read through the whole file: the
 * export is sorted by symbol, so its head shows only the first one.
 */
async function tickExportSymbols(
  file: string,
  container: FileContainer,
  member: string | null,
): Promise<string[] | { error: string }> {
  const symbols = new Set<string>();
  const chunks = inputChunks(file, container, member, { bytesRead: 0 });
  let lineNo = 0;
  for await (const line of boundedLines(chunks)) {
    if (++lineNo === 1) continue; // the header (or a first row the reader reads anyway)
    const symbol = line.slice(0, line.indexOf(','));
    if (!/^[A-Z0-9]{2,30}$/.test(symbol)) continue; // the reader rejects the line
    symbols.add(symbol);
    if (symbols.size > MAX_EXPORT_SYMBOLS) {
      return { error: `more than ${MAX_EXPORT_SYMBOLS} symbols: import it instead` };
    }
  }
  return [...symbols].sort();
}

/** "its first 2000 lines" or "its first 16 MiB", and the over-long lines skipped. */
/** One input's plan, or why it cannot be replayed. */
async function planInput(
  file: string,
  container: FileContainer,
  member: string | null,
  symbol: string | undefined,
): Promise<ReplayInput[] | { error: string }> {
  const name = member === null ? basename(file) : `${basename(file)}:${member}`;
  const { lines, counters } = await headLines(file, container, member);
  if (lines.every((l) => l.trim() === '') && counters.bytes > 0) {
    // Only over-long lines (an endless line, a gzip bomb): say so rather than "empty".
    return { error: `${name}: no aggTrade or trade messages in ${captureHeadText(counters)}` };
  }
  const detection = detectFormat(lines.slice(0, DETECT_LINES), member ?? basename(file));
  if (!detection.ok) return { error: `${name}: ${detection.reason}` };
  const base = { file, name, container, member };
  if (detection.format === 'ndjson-raw' || detection.format === 'ndjson-combined') {
    const sniff = new CaptureHeadTally();
    for (const line of lines) sniff.add(line);
    if (sniff.agg + sniff.trade === 0) {
      return { error: `${name}: no aggTrade or trade messages in ${captureHeadText(counters)}` };
    }
    return [
      {
        ...base,
        format: 'ndjson',
        symbol: null,
        symbols: sniff.symbols(),
        tradeStream: sniff.tradeStream(),
      },
    ];
  }
  if (detection.format === 'aggTrades' || detection.format === 'trades') {
    const fromName =
      symbolFromFileName(member ?? basename(file)) ?? symbolFromFileName(basename(file));
    const s = (symbol ?? fromName?.symbol)?.toUpperCase();
    if (s === undefined || !/^[A-Z0-9]{2,30}$/.test(s)) {
      return {
        error: `${name}: ${detection.format} CSV whose name does not say the symbol; name it (e.g. BTCUSDT)`,
      };
    }
    return [
      {
        ...base,
        format: detection.format,
        symbol: s,
        symbols: [s],
        tradeStream: detection.format === 'aggTrades' ? 'aggTrade' : 'trade',
      },
    ];
  }
  if (detection.format === 'pairdesk-ticks') {
    const symbols = await tickExportSymbols(file, container, member);
    if ('error' in symbols) return { error: `${name}: ${symbols.error}` };
    if (symbols.length === 0) return { error: `${name}: the tick export holds no ticks` };
    // Exports are sorted by symbol, then time: one input per symbol, merged by time like files.
    return symbols.map((symbol) => ({
      ...base,
      name: `${name} (${symbol})`,
      format: 'pairdesk-ticks' as const,
      symbol,
      otherSymbols: symbols.filter((o) => o !== symbol),
      symbols: [symbol],
      tradeStream: 'aggTrade' as const,
    }));
  }
  return {
    error: `${name} ${NOT_TRADES[detection.format] ?? 'holds no trades'}: import it instead`,
  };
}

/**
 * The plan of a replay of `files`, in order. A zip's members are inputs of their own (members
 * that hold no trades, e.g. a readme, are left out when another member plays). Throws an Error
 * whose message says which file cannot be played and why, or that the files mix trade streams.
 */
export async function planReplay(files: readonly ReplayFileSpec[]): Promise<ReplayPlan> {
  if (files.length === 0) throw new Error('choose at least one file to replay');
  const inputs: ReplayInput[] = [];
  for (const spec of files) {
    const container = await detectContainer(spec.path);
    const members = container === 'zip' ? await zipMembers(spec.path) : [null];
    if (members.length === 0) throw new Error(`${basename(spec.path)}: the zip holds no files`);
    const planned = [];
    for (const member of members) {
      planned.push(await planInput(spec.path, container, member, spec.symbol));
    }
    const ok = planned.flatMap((p) => ('error' in p ? [] : p));
    if (ok.length === 0) {
      const first = planned[0];
      throw new Error('error' in first ? first.error : `${basename(spec.path)}: nothing to replay`);
    }
    inputs.push(...ok);
  }
  const streams = new Set(inputs.map((i) => i.tradeStream));
  if (streams.size > 1) {
    throw new Error(
      'these files mix aggTrade and trade data; replay the aggTrades and the trades files separately',
    );
  }
  const symbols = [...new Set(inputs.flatMap((i) => i.symbols))].sort();
  return { inputs, symbols, tradeStream: inputs[0].tradeStream };
}

/**
 * The messages of one input in file order: capture payloads unmodified, CSV rows as exchange
 * payloads. Lines that give none are counted in `counters.skipped`; read errors (a truncated
 * gzip or zip) are thrown after the lines before them.
 */
export async function* inputMessages(
  input: ReplayInput,
  progress: DiskProgress,
  counters: InputCounters,
): AsyncGenerator<CaptureMessage> {
  const chunks = inputChunks(input.file, input.container, input.member, progress);
  const lines = boundedLines(chunks, counters);
  if (input.format === 'ndjson') {
    for await (const line of lines) {
      counters.lines++;
      const parsed = parseCaptureLine(line);
      if (parsed.kind === 'message') yield parsed.message;
      else if (parsed.kind === 'invalid') counters.skipped++;
    }
    return;
  }
  const symbol = input.symbol ?? '';
  if (input.format === 'pairdesk-ticks') {
    yield* tickExportMessages(lines, input, counters);
    return;
  }
  const reader =
    input.format === 'aggTrades' ? new AggTradesReader({ symbol }) : new TradesReader({ symbol });
  for await (const line of lines) {
    const r = reader.push(line, ++counters.lines);
    if (r.kind === 'item') yield tradeMessage(r.item, input.tradeStream);
    else if (r.kind === 'reject') counters.skipped++;
  }
}

/** One symbol's rows of a PairDesk tick export (see ReplayInput.otherSymbols). */
async function* tickExportMessages(
  lines: AsyncIterable<string>,
  input: ReplayInput,
  counters: InputCounters,
): AsyncGenerator<CaptureMessage> {
  const own = `${input.symbol ?? ''},`;
  const others = (input.otherSymbols ?? []).map((s) => `${s},`);
  const takesStrays = others.every((o) => o > own);
  const reader = new PairdeskTicksReader();
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    const mine =
      lineNo === 1 ||
      line.startsWith(own) ||
      (takesStrays && !others.some((o) => line.startsWith(o)));
    if (!mine) continue;
    counters.lines++;
    const r = reader.push(line, lineNo);
    if (r.kind === 'item') yield tradeMessage(r.item, input.tradeStream);
    else if (r.kind === 'reject') counters.skipped++;
  }
}
