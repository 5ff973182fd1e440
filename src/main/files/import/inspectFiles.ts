/**
 * What a file holds, from the first lines of each member (#10): the format (content decides, the
 * name is a hint), the symbols it names, whether the symbol must be asked for, the bar timeframe
 * of bar formats, and whether it can be replayed. Used by `files.inspect` and by the importer to
 * pick each member's reader. Never throws for a bad file: an unreadable or unrecognised one comes
 * back with `format: null` and the reason (listing the accepted formats).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeMessage } from '../../../core/binance/decode';
import type { FileInspection, ImportFormat } from '../../../core/contract/files';
import { ACCEPTED_FORMATS, detectFormat, type Detected } from '../../../core/formats/detect';
import { symbolFromFileName } from '../../../core/formats/fileName';
import { TIMEFRAMES, TIMEFRAME_MS, type Timeframe } from '../../../core/market/types';
import type { InputMember } from '../input/types';
import { readImportHeads } from './input';
import { createImportRowReader } from './rowReaders';

/** Lines looked at per member. */
export const HEAD_LINES = 20;

const TRADE_FORMATS: ReadonlySet<ImportFormat> = new Set([
  'ndjson-raw',
  'ndjson-combined',
  'aggTrades',
  'trades',
  'pairdesk-ticks',
]);
/** Formats whose lines carry their symbol (everything else is one symbol per file). */
const SELF_NAMING: ReadonlySet<ImportFormat> = new Set([
  'ndjson-raw',
  'ndjson-combined',
  'pairdesk-ticks',
  'pairdesk-bars',
]);

/** One member as the importer needs it. */
export interface MemberDetection {
  member: InputMember;
  /** null when not recognised or unreadable; `reason` says why. */
  detected: Detected | null;
  reason: string;
  symbols: string[];
  needsSymbol: boolean;
  /** Bar formats: the timeframe from the file name, when it says one. */
  timeframeMs: number | null;
  /** Bar formats: the bar timeframe (ms) of the first bar in the head, else the name's. */
  barsTimeframeMs: number | null;
}

/** The timeframe of the first bar the head lines give (bar formats), else null. */
function headBarsTimeframe(
  detected: Detected,
  lines: readonly string[],
  symbol: string | undefined,
  timeframeMs: number | null,
): number | null {
  const reader = createImportRowReader({
    detected,
    symbol: symbol ?? 'UNKNOWN',
    timeframeMs: timeframeMs ?? undefined,
  });
  if ('error' in reader || reader.yields !== 'bars') return null;
  for (let i = 0; i < lines.length; i++) {
    const r = reader.push(lines[i], i + 1);
    if (r.kind === 'item' && r.item.kind === 'bar') return r.item.bar.timeframeMs;
  }
  return timeframeMs;
}

function headSymbols(format: ImportFormat, lines: readonly string[]): string[] {
  const out = new Set<string>();
  if (format === 'ndjson-raw' || format === 'ndjson-combined') {
    for (const line of lines) {
      const m = decodeMessage(line);
      if (m.kind === 'trade') out.add(m.tick.symbol);
    }
  } else if (format === 'pairdesk-ticks' || format === 'pairdesk-bars') {
    for (const line of lines.slice(1)) {
      const s = line.split(',')[0]?.trim().toUpperCase();
      if (s !== undefined && /^[A-Z0-9]{2,30}$/.test(s)) out.add(s);
    }
  }
  return [...out].sort();
}

/** Detects every member of `path` (display name `name`). */
export async function detectMembers(path: string, name: string): Promise<MemberDetection[]> {
  let heads;
  try {
    heads = await readImportHeads(path, HEAD_LINES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message);
    const sizeBytes = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    return [
      {
        member: { name, member: null, container: 'plain', sizeBytes },
        detected: null,
        reason: `cannot read ${name}: ${why}`,
        symbols: [],
        needsSymbol: false,
        timeframeMs: null,
        barsTimeframeMs: null,
      },
    ];
  }
  return heads.map((head) => {
    const member = { ...head.member, name };
    const hintName = head.member.member ?? name;
    if (head.error !== undefined) {
      return {
        member,
        detected: null,
        reason: head.error,
        symbols: [],
        needsSymbol: false,
        timeframeMs: null,
        barsTimeframeMs: null,
      };
    }
    const d = detectFormat(head.lines, hintName);
    if (!d.ok) {
      return {
        member,
        detected: null,
        reason: d.reason,
        symbols: [],
        needsSymbol: false,
        timeframeMs: null,
        barsTimeframeMs: null,
      };
    }
    const { ok: _ok, ...detected } = d;
    const hint = symbolFromFileName(hintName) ?? symbolFromFileName(name);
    const fromContent = headSymbols(d.format, head.lines);
    const selfNaming = SELF_NAMING.has(d.format);
    const symbols = selfNaming ? fromContent : hint !== null ? [hint.symbol] : [];
    const timeframeMs = hint?.intervalMs ?? null;
    return {
      member,
      detected,
      reason: d.reason,
      symbols,
      needsSymbol: !selfNaming && hint === null,
      timeframeMs,
      barsTimeframeMs: headBarsTimeframe(detected, head.lines, symbols[0], timeframeMs),
    };
  });
}

function timeframeOf(ms: number | null): Timeframe | null {
  if (ms === null) return null;
  return TIMEFRAMES.find((tf) => TIMEFRAME_MS[tf] === ms) ?? null;
}

/** `files.inspect` for one file: one inspection per member. */
export async function inspectFile(path: string, fileId: string): Promise<FileInspection[]> {
  const name = basename(path);
  const members = await detectMembers(path, name);
  return members.map((m) => {
    const format = m.detected?.format ?? null;
    return {
      fileId,
      name,
      member: m.member.member,
      container: m.member.container,
      sizeBytes: m.member.sizeBytes,
      format,
      reason:
        format === null && !m.reason.includes('accepted formats')
          ? `${m.reason}; accepted formats: ${ACCEPTED_FORMATS}`
          : m.reason,
      symbols: m.symbols,
      needsSymbol: m.needsSymbol,
      barsTimeframe: timeframeOf(m.barsTimeframeMs),
      replayable: format !== null && TRADE_FORMATS.has(format),
    };
  });
}
