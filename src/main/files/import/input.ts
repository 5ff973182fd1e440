/**
 * The importer's one entry to the input layer (plain / gzip / zip files as lines, with progress in
 * bytes on disk, cancellation and where a truncated archive broke).
 *
 * TODO(#10): an interim version over `readLines` (plain and gzip only, progress per file, cancel
 * between lines) until `readInput` / `readHeads` land in src/main/files/input/; then this file
 * re-exports them.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import type { LineHandler } from '../../analyze/lineReader';
import { readLines } from '../../analyze/lineReader';
import type { InputMember, MemberHead, ReadInputOptions, ReadInputResult } from '../input/types';

const HEAD_BYTES = 64 * 1024;

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function containerOf(head: Buffer): 'plain' | 'gzip' | 'zip' {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'zip';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return 'plain';
}

/** Reads every member of `path` as lines (see ReadInputOptions). */
export async function readImportInput(
  path: string,
  options: ReadInputOptions,
): Promise<ReadInputResult> {
  const container = containerOf(await firstBytes(path, 4));
  const size = (await stat(path)).size;
  if (container === 'zip') {
    return { container, members: [], cancelled: false, error: 'zip archives are not read yet' };
  }
  const member: InputMember = { name: basename(path), member: null, container, sizeBytes: size };
  const handler = options.member(member);
  if (handler === null) {
    return {
      container,
      members: [{ member, skipped: true, lines: 0, bytes: 0, gzip: container === 'gzip' }],
      cancelled: false,
    };
  }
  const signal = options.signal;
  let cancelled = false;
  const guarded: LineHandler = {
    line(text, lineNo) {
      if (cancelled || (signal?.aborted ?? false)) {
        cancelled = true;
        return;
      }
      handler.line(text, lineNo);
    },
    overlong: handler.overlong,
  };
  const read = await readLines(path, guarded);
  options.onProgress?.(size);
  return { container, members: [{ ...read, member, skipped: false }], cancelled };
}

/** The first `maxLines` lines of each member, for detection. */
export async function readImportHeads(path: string, maxLines: number): Promise<MemberHead[]> {
  const size = (await stat(path)).size;
  let bytes = await firstBytes(path, HEAD_BYTES);
  const container = containerOf(bytes);
  const member: InputMember = { name: basename(path), member: null, container, sizeBytes: size };
  if (container === 'zip') return [{ member, lines: [], error: 'zip archives are not read yet' }];
  if (container === 'gzip') {
    try {
      bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (err) {
      return [{ member, lines: [], error: `gzip data is corrupt (${(err as Error).message})` }];
    }
  }
  const lines = bytes.toString('utf8').split('\n');
  if (bytes.length >= HEAD_BYTES) lines.pop();
  return [{ member, lines: lines.slice(0, maxLines).map((l) => l.replace(/\r$/, '')) }];
}
