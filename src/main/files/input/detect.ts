/**
 * The container of a file from its first bytes, never its name: gzip starts 1f 8b, a zip starts
 * with a local file header (50 4b 03 04) or, when empty, with its end-of-archive record
 * (50 4b 05 06). Anything else (an empty file too) is read as plain text.
 */
import { open } from 'node:fs/promises';
import type { FileContainer } from '../../../core/contract/files';

/** Up to `n` bytes from the start of `path` (fewer when the file is shorter). */
export async function firstBytes(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function containerOfBytes(head: Uint8Array): FileContainer {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    if (head[2] === 0x03 && head[3] === 0x04) return 'zip';
    if (head[2] === 0x05 && head[3] === 0x06) return 'zip';
  }
  return 'plain';
}

/** The container of `path` from its magic bytes. Rejects only when the file cannot be opened. */
export async function detectContainer(path: string): Promise<FileContainer> {
  return containerOfBytes(await firstBytes(path, 4));
}
