/**
 * The input layer's entry points (#10): `readInput` streams every member of a plain, gzip or zip
 * file as lines; `readHeads` gives the first lines of each member for format detection. The
 * container comes from the first bytes (detect.ts), never the name. Neither rejects for bad
 * data: damage is reported in words next to the lines that were intact.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { LineHandler } from '../../analyze/lineReader';
import { detectContainer } from './detect';
import type { InflateEngine } from './memberInflaters';
import { readStreamLines } from './streamLines';
import type { InputMember, MemberHead, ReadInputOptions, ReadInputResult } from './types';
import { readZipLines } from './zipLines';

export interface ReadInputTuning {
  /** Deflate engine for zip members (native zlib unless comparing; see zipLines.ts). */
  engine?: InflateEngine;
  /** Head mode: each member is read only until it gave this many lines. */
  headLines?: number;
}

/**
 * Streams every member of `path` into the handler `options.member(member)` returns (null skips
 * the member). Rejects only when the file cannot be opened, or when the caller's own code
 * (`member`, a line handler) throws.
 */
export async function readInput(
  path: string,
  options: ReadInputOptions,
  tuning: ReadInputTuning = {},
): Promise<ReadInputResult> {
  const container = await detectContainer(path);
  if (container === 'zip') {
    return readZipLines(path, options, { ...tuning, engine: tuning.engine ?? 'native' });
  }
  const size = (await stat(path)).size;
  return readStreamLines(path, container, size, options, tuning);
}

/**
 * The first `maxLines` lines of each member of `path` (skipped zip entries — directories,
 * `__MACOSX/` — are not listed). Cheap: a member is inflated only until it gave its head, and
 * the file is read no further once every member the zip's directory lists has its head.
 */
export async function readHeads(path: string, maxLines = 20): Promise<MemberHead[]> {
  const heads: MemberHead[] = [];
  let result: ReadInputResult;
  try {
    result = await readInput(
      path,
      {
        member(member: InputMember): LineHandler {
          const lines: string[] = [];
          heads.push({ member, lines });
          return {
            line(text) {
              if (lines.length < maxLines) lines.push(text);
            },
            asciiLine(_bytes, text, start, end) {
              if (lines.length < maxLines) lines.push(text.slice(start, end));
            },
          };
        },
      },
      { headLines: maxLines },
    );
  } catch (err) {
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const container = await detectContainer(path).catch(() => 'plain' as const);
    const member: InputMember = { name: basename(path), member: null, container, sizeBytes: size };
    return [{ member, lines: [], error: `the file could not be read (${(err as Error).message})` }];
  }
  for (const read of result.members) {
    const head = heads.find((h) => h.member === read.member);
    if (head !== undefined && read.error !== undefined && head.lines.length < maxLines) {
      head.error = read.error;
    }
  }
  if (heads.length === 0 && result.error !== undefined) {
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const member: InputMember = {
      name: basename(path),
      member: null,
      container: result.container,
      sizeBytes: size,
    };
    heads.push({ member, lines: [], error: result.error });
  }
  return heads;
}
