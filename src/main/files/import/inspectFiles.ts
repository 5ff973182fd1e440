/**
 * What a file holds, from the first lines of each member (#10): the format (content decides, the
 * name is a hint), the symbols it names, whether the symbol must be asked for, the bar timeframe
 * of bar formats, and whether it can be replayed. Used by `files.inspect` and by the importer to
 * pick each member's reader. Never throws for a bad file: an unreadable or unrecognised one comes
 * back with `format: null` and the reason (listing the accepted formats).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileInspection } from '../../../core/contract/files';
import { ACCEPTED_FORMATS, type Detected } from '../../../core/formats/detect';
import { symbolFromFileName } from '../../../core/formats/fileName';
import { inspectHead } from '../../../core/formats/inspect';
import { TIMEFRAMES, TIMEFRAME_MS, type Timeframe } from '../../../core/market/types';
import { readHeads } from '../input';
import type { InputMember } from '../input/types';

/** Lines looked at per member. */
export const HEAD_LINES = 20;

/** One member as the importer needs it. */
export interface MemberDetection {
  member: InputMember;
  /** null when not recognised or unreadable; `reason` says why. */
  detected: Detected | null;
  reason: string;
  /** Symbols from the content or the name (the pair, for analytics exports). */
  symbols: string[];
  needsSymbol: boolean;
  /** Bar formats: the bar timeframe (ms), when the name or the head says it. */
  barsTimeframeMs: number | null;
  replayable: boolean;
}

function unusable(member: InputMember, reason: string): MemberDetection {
  return {
    member,
    detected: null,
    reason,
    symbols: [],
    needsSymbol: false,
    barsTimeframeMs: null,
    replayable: false,
  };
}

/** Detects every member of `path` (display name `name`). */
export async function detectMembers(path: string, name: string): Promise<MemberDetection[]> {
  let heads;
  try {
    heads = await readHeads(path, HEAD_LINES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message);
    const sizeBytes = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const member: InputMember = { name, member: null, container: 'plain', sizeBytes };
    return [unusable(member, `cannot read ${name}: ${why}`)];
  }
  return heads.map((head) => {
    const member = { ...head.member, name };
    if (head.error !== undefined) return unusable(member, head.error);
    // A zip member's own name says more (BTCUSDT-aggTrades-….csv) than an upload's name.
    const memberName = head.member.member;
    const hintName =
      memberName !== null && symbolFromFileName(memberName) !== null ? memberName : name;
    const h = inspectHead(head.lines, hintName);
    if (!h.detection.ok) return unusable(member, h.detection.reason);
    const { ok: _ok, ...detected } = h.detection;
    return {
      member,
      detected,
      reason: h.detection.reason,
      symbols: h.symbols,
      needsSymbol: h.needsSymbol,
      barsTimeframeMs: h.barsTimeframeMs,
      replayable: h.replayable,
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
      replayable: m.replayable,
    };
  });
}
