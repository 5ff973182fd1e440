/**
 * Pull-based byte streams of a replay input: a plain file, a gzip file, or one member of a zip
 * (containers detected from the first bytes by the input layer's `detectContainer`). A paced
 * replay reads at its own pace, so these are async iterables pulled chunk by chunk — unlike the
 * import layer's push reader (src/main/files/input), whose synchronous line callback cannot wait
 * for the pacing; the container parts (magic bytes, the zip's central directory) are shared.
 * Each zip member is read by its own pass over the file, so two members (BTCUSDT and ETHUSDT of a
 * day) can be merged by time while each holds only its current chunk.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import type { FileContainer } from '../../../core/contract/files';
import { readCentralDirectory } from '../../files/input/centralDirectory';

/**
 * Read size for zip files: one chunk of a deflate stream inflates to at most ~1000× its size, so
 * 16 KiB bounds a pass's queued output to ~16 MiB even for a zip bomb (CSV inflates ~10×).
 */
const ZIP_READ_BYTES = 16 << 10;

/** Bytes read from the file on disk so far (compressed bytes for .gz / .zip). */
export interface DiskProgress {
  bytesRead: number;
}

/** Raw chunks of a file, pulled one at a time; `progress.bytesRead` follows them. */
async function* fileChunks(
  file: string,
  progress: DiskProgress,
  highWaterMark?: number,
): AsyncGenerator<Buffer> {
  const stream: ReadStream = createReadStream(file, { highWaterMark });
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      progress.bytesRead += buf.length;
      yield buf;
    }
  } finally {
    stream.destroy();
  }
}

/** Decompressed chunks of a gzip file; progress counts the compressed bytes read. */
async function* gzipChunks(file: string, progress: DiskProgress): AsyncGenerator<Buffer> {
  const raw = createReadStream(file);
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      progress.bytesRead = raw.bytesRead;
      yield chunk as Buffer;
    }
    progress.bytesRead = raw.bytesRead;
  } finally {
    gunzip.destroy();
    raw.destroy();
  }
}

/**
 * Runs a zip through fflate's streaming Unzip, calling `onFile` for every member header seen;
 * yields whatever the started members produced after each pushed chunk. fflate reports a damaged
 * archive by throwing from push or through a member's ondata error; both end the pass with an
 * Error naming the member.
 */
async function* unzipPass(
  file: string,
  progress: DiskProgress,
  onFile: (member: UnzipFile, out: Buffer[], fail: (error: Error) => void) => void,
): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((member) =>
    onFile(member, out, (error) => {
      failure ??= error;
    }),
  );
  unzip.register(UnzipInflate);
  const push = (chunk: Uint8Array, final: boolean): void => {
    try {
      unzip.push(chunk, final);
    } catch (error) {
      const why = (error as Error).message;
      failure ??= new Error(
        `the zip is truncated or damaged after ${progress.bytesRead.toLocaleString('en-US')} bytes (${why})`,
      );
    }
  };
  let last: Buffer | null = null;
  for await (const chunk of fileChunks(file, progress, ZIP_READ_BYTES)) {
    // One chunk behind, so the last one can be pushed with final = true.
    if (last !== null) push(last, false);
    last = chunk;
    while (out.length > 0) yield out.shift() as Buffer;
    if (failure !== null) throw failure;
  }
  push(last ?? new Uint8Array(0), true);
  // What inflated before a failure is played first, then the failure says where it broke.
  while (out.length > 0) yield out.shift() as Buffer;
  if (failure !== null) throw failure;
}

/**
 * Names of a zip's members (directories excluded), in archive order: from the central directory
 * when the zip has one (read from the end, no pass). A truncated zip has none: then one pass over
 * the local headers, no inflating, lists the members whose headers were read (their passes then
 * say where it broke); one with none throws.
 */
export async function zipMembers(file: string): Promise<string[]> {
  const directory = await readCentralDirectory(file);
  if (directory !== null) {
    return directory.map((e) => e.name).filter((name) => !name.endsWith('/'));
  }
  const names: string[] = [];
  const progress: DiskProgress = { bytesRead: 0 };
  try {
    for await (const _ of unzipPass(file, progress, (member) => {
      if (!member.name.endsWith('/')) names.push(member.name);
    })) {
      // Nothing is started, so nothing is yielded.
    }
  } catch (error) {
    if (names.length === 0) throw error;
  }
  return names;
}

/** Decompressed chunks of one zip member (the other members are skipped without inflating). */
function zipMemberChunks(
  file: string,
  memberName: string,
  progress: DiskProgress,
): AsyncGenerator<Buffer> {
  return unzipPass(file, progress, (member, out, fail) => {
    if (member.name !== memberName) return;
    member.ondata = (error, data) => {
      if (error) fail(new Error(`zip member ${memberName}: ${error.message}`));
      else if (data.length > 0) out.push(Buffer.from(data.buffer, data.byteOffset, data.length));
    };
    member.start();
  });
}

/** Decompressed chunks of an input: the file itself (plain / gzip) or one zip member. */
export function inputChunks(
  file: string,
  container: FileContainer,
  member: string | null,
  progress: DiskProgress,
): AsyncGenerator<Buffer> {
  if (container === 'gzip') return gzipChunks(file, progress);
  if (container === 'zip') {
    if (member === null) throw new Error('a zip input needs a member name');
    return zipMemberChunks(file, member, progress);
  }
  return fileChunks(file, progress);
}
