/**
 * What kind of file an `analyze` input is, from its first bytes rather than its name: a CSV
 * (e.g. a `pairdesk export` of bars) read as NDJSON would otherwise give one malformed_json per
 * line and an empty analysis.
 */
import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

/** What `analyze` reads, for messages. */
export const ACCEPTED_INPUT =
  'Binance WebSocket NDJSON captures, raw or combined-stream, optionally .gz';

export type InputKind =
  { kind: 'ndjson' } | { kind: 'csv'; what: string } | { kind: 'other'; what: string };

const SNIFF_BYTES = 64 * 1024;
/** Non-blank lines looked at: one bad first line (a cut-off write) must not refuse a capture. */
const SNIFF_LINES = 5;

const KNOWN_CSV_HEADERS: readonly [RegExp, string][] = [
  [/^symbol,start_ms,open,high,low,close/, 'a PairDesk bar export'],
  [/^symbol,trade_id,time_ms,price/, 'a PairDesk tick export'],
  [/^agg_trade_id,price,quantity/, 'a Binance aggTrades file'],
  [/^id,price,qty,quote_qty,time/, 'a Binance trades file'],
  [/^time,start_ms,close_a,close_b/, 'an analyze output'],
];

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function isJsonObject(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Classifies a file by its first lines (decompressed when gzip). Empty counts as NDJSON. */
export async function sniffInput(path: string): Promise<InputKind> {
  let bytes = await head(path);
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) {
    return { kind: 'other', what: 'a zip archive' };
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // Sync flush: the first 64 KiB of a larger file decompress without an "unexpected end".
      bytes = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return { kind: 'ndjson' }; // a damaged gzip: the reader reports it with the lines it got
    }
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const complete = bytes.length < SNIFF_BYTES;
  const lines = text.split('\n');
  if (!complete) lines.pop(); // the last line may be cut off
  const firstLines = lines
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES);
  if (firstLines.length === 0) return { kind: 'ndjson' };
  if (firstLines.some(isJsonObject)) return { kind: 'ndjson' };
  const first = firstLines[0];
  if (!first.trimStart().startsWith('{') && !first.trimStart().startsWith('[')) {
    if (text.includes('\u0000')) return { kind: 'other', what: 'a binary file' };
    const known = KNOWN_CSV_HEADERS.find(([re]) => re.test(first.trim()));
    if (known) return { kind: 'csv', what: known[1] };
    if (/[,;\t]/.test(first)) return { kind: 'csv', what: 'comma- or tab-separated text' };
  }
  return { kind: 'other', what: 'line 1 is not a JSON object' };
}

/** The one-line refusal for a file that is not NDJSON. */
export function unsupportedInputMessage(file: string, input: InputKind): string | undefined {
  if (input.kind === 'csv') {
    return `${file} is CSV (${input.what}): CSV is not supported yet; accepted: ${ACCEPTED_INPUT}`;
  }
  if (input.kind === 'other') {
    return `${file} is not NDJSON (${input.what}); accepted: ${ACCEPTED_INPUT}`;
  }
  return undefined;
}
