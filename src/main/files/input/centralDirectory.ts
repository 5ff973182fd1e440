/**
 * A zip's central directory, read from the end of the file: the list of members the archive
 * claims to hold (name, method, compressed size). The streaming reader walks the local headers
 * in order and uses this list only to know each member's size when its local header does not
 * say it (data-descriptor entries), and to tell whether members are missing. A truncated zip has
 * no end-of-archive record: then there is no directory (null), and the walk alone tells what
 * is there.
 */
import { open } from 'node:fs/promises';

export interface DirectoryEntry {
  name: string;
  /** Compression method (0 stored, 8 deflate; APPNOTE 4.4.5). */
  method: number;
  /** Bytes of compressed data in the file. */
  compressedSize: number;
  uncompressedSize: number;
  /** CRC-32 of the uncompressed data. */
  crc32: number;
}

const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const ENTRY_SIG = 0x02014b50;
const EOCD_BYTES = 22;
/** The end record is followed by at most a 65,535-byte comment. */
const TAIL_BYTES = EOCD_BYTES + 0xffff;
/** A directory larger than this is taken as damage, not read. */
const MAX_DIRECTORY_BYTES = 64 << 20;
const U32_MAX = 0xffffffff;

function u64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at));
}

/** Where the end-of-archive record starts in `tail`, or -1: the last one that fits. */
function findEndRecord(tail: Buffer): number {
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (
      tail.readUInt32LE(i) === EOCD_SIG &&
      i + EOCD_BYTES + tail.readUInt16LE(i + 20) <= tail.length
    ) {
      return i;
    }
  }
  return -1;
}

/** Sizes from a zip64 extra field (id 1) for the fields the entry marked 0xffffffff. */
function zip64Sizes(extra: Buffer, entry: DirectoryEntry): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let p = at + 4;
      if (entry.uncompressedSize === U32_MAX && p + 8 <= extra.length) {
        entry.uncompressedSize = u64(extra, p);
        p += 8;
      }
      if (entry.compressedSize === U32_MAX && p + 8 <= extra.length) {
        entry.compressedSize = u64(extra, p);
      }
      return;
    }
    at += 4 + size;
  }
}

function parseEntries(dir: Buffer, count: number): DirectoryEntry[] | null {
  const entries: DirectoryEntry[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== ENTRY_SIG) return null;
    const flags = dir.readUInt16LE(at + 8);
    const nameLen = dir.readUInt16LE(at + 28);
    const extraLen = dir.readUInt16LE(at + 30);
    const commentLen = dir.readUInt16LE(at + 32);
    const nameEnd = at + 46 + nameLen;
    if (nameEnd + extraLen > dir.length) return null;
    const entry: DirectoryEntry = {
      // Bit 11: the name is UTF-8; otherwise CP437, of which ASCII names (the norm) are a subset.
      name: dir.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, nameEnd),
      method: dir.readUInt16LE(at + 10),
      compressedSize: dir.readUInt32LE(at + 20),
      uncompressedSize: dir.readUInt32LE(at + 24),
      crc32: dir.readUInt32LE(at + 16),
    };
    zip64Sizes(dir.subarray(nameEnd, nameEnd + extraLen), entry);
    entries.push(entry);
    at = nameEnd + extraLen + commentLen;
  }
  return entries;
}

/**
 * The members the zip at `path` lists in its central directory, in directory order; null when
 * the file has no readable directory (truncated, damaged, or not a zip). Never rejects for bad
 * data; rejects only when the file cannot be read.
 */
export async function readCentralDirectory(path: string): Promise<DirectoryEntry[] | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size < EOCD_BYTES) return null;
    const tailLen = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    const end = findEndRecord(tail);
    if (end < 0) return null;
    let count = tail.readUInt16LE(end + 10);
    let dirBytes = tail.readUInt32LE(end + 12);
    let dirOffset = tail.readUInt32LE(end + 16);
    const locator = end - 20;
    if (locator >= 0 && tail.readUInt32LE(locator) === EOCD64_LOCATOR_SIG) {
      const at = u64(tail, locator + 8);
      const rec = Buffer.alloc(56);
      const { bytesRead } = await fh.read(rec, 0, 56, at);
      if (bytesRead < 56 || rec.readUInt32LE(0) !== EOCD64_SIG) return null;
      count = u64(rec, 32);
      dirBytes = u64(rec, 40);
      dirOffset = u64(rec, 48);
    }
    if (dirBytes > MAX_DIRECTORY_BYTES || dirOffset + dirBytes > size) return null;
    if (count === 0) return [];
    const dir = Buffer.alloc(dirBytes);
    await fh.read(dir, 0, dirBytes, dirOffset);
    return parseEntries(dir, count);
  } finally {
    await fh.close();
  }
}
