/**
 * Binary frames for bulk payloads on the browser bridge.
 *
 * JSON text costs ~18 bytes and a parse per number; a cold start with a 100 k-bar lookback sent
 * ~75 MB of it (two bar histories of 26 MB each as arrays of objects, 24 MB of analytics
 * columns), and the page spent seconds parsing it. `encodeBridgeFrame` lifts the bulk out of a
 * frame into little-endian Float64 blocks:
 * - an array of ≥ BULK_MIN numbers (or nulls) becomes one block;
 * - an array of ≥ BULK_MIN flat objects with the same keys in the same order (a table, e.g.
 *   Bar[]) becomes one column per key: numbers → a block, a column of one repeated value → that
 *   value once, anything else → a JSON array.
 * Everything else stays JSON in the frame's header. A frame with nothing to lift stays JSON text.
 *
 * Decoding gives exactly what `JSON.parse(JSON.stringify(frame))` gives: a lifted number that
 * JSON cannot carry (NaN, ±Infinity) decodes as null, and −0 as 0.
 *
 * Binary layout: "PDB1" | u32 LE header byte length | header (UTF-8 JSON, lifted values replaced
 * by {"\u0000pd": spec}) | zero padding to a multiple of 8 | the blocks, each 8-byte aligned,
 * at byte offsets relative to the first block.
 */

/** Arrays shorter than this stay JSON (small events are cheaper as text). */
export const BULK_MIN = 64;

const MAGIC = [0x50, 0x44, 0x42, 0x31]; // "PDB1"
/** A table longer than this is a corrupt header, not data (it would not fit a frame anyway). */
const MAX_TABLE_ROWS = 1 << 24;
const MARK = '\u0000pd';

/** A lifted value in the header. Offsets and lengths count Float64 elements. */
type LiftSpec =
  ['f64', number, number] | ['table', number, string[], ColumnSpec[]] | ['json', unknown[]];
type ColumnSpec = ['f64', number, number] | ['const', unknown] | ['json', unknown[]];

interface Placeholder {
  [MARK]: LiftSpec;
}

/** The parts of TextEncoder/TextDecoder used here (web-platform globals; src/core has no DOM types). */
interface Utf8Encoder {
  encode(text: string): Uint8Array;
}
interface Utf8Decoder {
  decode(bytes: Uint8Array): string;
}
const globals = globalThis as {
  TextEncoder?: new () => Utf8Encoder;
  TextDecoder?: new (label: string, options: { fatal: boolean }) => Utf8Decoder;
};

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export class BridgeFrameError extends Error {
  override name = 'BridgeFrameError';
}

class BlockWriter {
  readonly blocks: Float64Array[] = [];
  /** Float64 elements written so far (the next block's offset). */
  size = 0;
  /** Placeholders put in the header. */
  placeholders = 0;

  mark(spec: LiftSpec): Placeholder {
    this.placeholders++;
    return { [MARK]: spec };
  }

  add(values: Float64Array): ['f64', number, number] {
    const spec: ['f64', number, number] = ['f64', this.size, values.length];
    this.blocks.push(values);
    this.size += values.length;
    return spec;
  }
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The array as Float64, or null when an element is neither a number nor null. */
function numberColumn(values: readonly unknown[]): Float64Array | null {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') out[i] = v;
    else if (v === null) out[i] = NaN;
    else return null;
  }
  return out;
}

/**
 * The keys (in the first row's order) when `rows` is a table: flat objects with the same set of
 * keys and primitive values. Else null.
 */
function tableKeys(rows: readonly unknown[]): string[] | null {
  const first = rows[0];
  if (!isPlainObject(first)) return null;
  const keys = Object.keys(first);
  // '__proto__' would set the prototype when the rows are rebuilt by assignment.
  if (keys.length === 0 || keys.includes('__proto__')) return null;
  for (const row of rows) {
    if (!isPlainObject(row)) return null;
    let n = 0;
    for (const key in row) {
      // Same key order as the first row is the common case; a different order is still a table.
      if ((key !== keys[n] && !Object.hasOwn(first, key)) || !isPrimitive(row[key])) return null;
      n++;
    }
    if (n !== keys.length) return null;
  }
  return keys;
}

function liftColumn(values: unknown[], writer: BlockWriter): ColumnSpec {
  const first = values[0];
  let constant = true;
  for (let i = 1; i < values.length && constant; i++) constant = Object.is(values[i], first);
  if (constant && !(typeof first === 'number' && !Number.isFinite(first))) {
    return ['const', Object.is(first, -0) ? 0 : first];
  }
  const numbers = numberColumn(values);
  return numbers ? writer.add(numbers) : ['json', values];
}

/** `value` with its bulk arrays replaced by placeholders (a copy along the changed paths). */
function lift(value: unknown, writer: BlockWriter): unknown {
  if (Array.isArray(value)) {
    if (value.length >= BULK_MIN) {
      const numbers = numberColumn(value);
      if (numbers) return writer.mark(writer.add(numbers));
      const keys = tableKeys(value);
      if (keys) {
        const columns = keys.map((key) =>
          liftColumn(
            value.map((row) => (row as Record<string, unknown>)[key]),
            writer,
          ),
        );
        return writer.mark(['table', value.length, keys, columns]);
      }
    }
    return value.map((v) => lift(v, writer));
  }
  if (isPlainObject(value)) {
    if (MARK in value) {
      // Never produced by PairDesk; escaped so a decode cannot mistake it for a placeholder.
      return writer.mark(['json', [value]]);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = lift(value[key], writer);
    return out;
  }
  return value;
}

/**
 * The frame as JSON text when it holds no bulk array, else as a binary frame (layout above).
 * `frame` must be JSON-serialisable (the contract's values are).
 */
export function encodeBridgeFrame(frame: unknown): string | Uint8Array {
  const writer = new BlockWriter();
  const header = lift(frame, writer);
  if (writer.placeholders === 0) return JSON.stringify(frame);
  const Encoder = globals.TextEncoder;
  if (!Encoder) throw new BridgeFrameError('TextEncoder is not available');
  const headerBytes = new Encoder().encode(JSON.stringify(header));
  const blocksAt = align8(8 + headerBytes.length);
  const out = new Uint8Array(blocksAt + writer.size * 8);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let at = blocksAt;
  for (const block of writer.blocks) {
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(block.buffer, block.byteOffset, block.byteLength), at);
    } else {
      const view = new DataView(out.buffer, at, block.byteLength);
      for (let i = 0; i < block.length; i++) view.setFloat64(i * 8, block[i], true);
    }
    at += block.byteLength;
  }
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** True when `bytes` starts like a binary bridge frame. */
export function isBinaryBridgeFrame(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b);
}

/** A JSON number for a lifted Float64: what JSON.parse(JSON.stringify(x)) gives. */
function jsonNumber(x: number): number | null {
  return Number.isFinite(x) ? (x === 0 ? 0 : x) : null;
}

/**
 * Builds row `i` of a decoded table from its columns (in `keys` order), for a table shape the
 * caller knows: an object literal of a fixed shape is several times faster to create than one
 * built key by key. Return undefined from a RowFactoryLookup for shapes it does not know.
 */
export type RowFactory = (columns: readonly (readonly unknown[])[], i: number) => object;
export type RowFactoryLookup = (keys: readonly string[]) => RowFactory | undefined;

export interface DecodeOptions {
  rowFactory?: RowFactoryLookup;
}

/**
 * Decodes a binary bridge frame (the inverse of encodeBridgeFrame). Throws BridgeFrameError with
 * the reason when the bytes are not a well-formed frame.
 */
export function decodeBridgeFrame(
  data: ArrayBuffer | Uint8Array,
  options: DecodeOptions = {},
): unknown {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (!isBinaryBridgeFrame(bytes)) throw new BridgeFrameError('not a PairDesk binary frame');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  const blocksAt = align8(8 + headerLength);
  if (blocksAt > bytes.length) {
    throw new BridgeFrameError(
      `truncated frame: header of ${headerLength} bytes, frame of ${bytes.length}`,
    );
  }
  const blockCount = Math.floor((bytes.length - blocksAt) / 8);
  // Float64Array views need 8-byte alignment in their buffer: a frame that does not start on
  // one (e.g. a slice of a Node Buffer pool) has its blocks copied out first. The copy is made
  // by the Uint8Array constructor: a Node Buffer's own slice() is a view, not a copy.
  const aligned = (bytes.byteOffset + blocksAt) % 8 === 0;
  const blockBuffer = aligned ? bytes.buffer : new Uint8Array(bytes.subarray(blocksAt)).buffer;
  const blockBase = aligned ? bytes.byteOffset + blocksAt : 0;
  const Decoder = globals.TextDecoder;
  if (!Decoder) throw new BridgeFrameError('TextDecoder is not available');
  let text: string;
  try {
    text = new Decoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new BridgeFrameError('frame header is not UTF-8');
  }

  const block = (offset: unknown, length: unknown): Float64Array => {
    if (
      !Number.isInteger(offset) ||
      !Number.isInteger(length) ||
      (offset as number) < 0 ||
      (length as number) < 0 ||
      (offset as number) + (length as number) > blockCount
    ) {
      throw new BridgeFrameError(`block [${String(offset)}, +${String(length)}) is out of range`);
    }
    const start = blockBase + (offset as number) * 8;
    if (LITTLE_ENDIAN) return new Float64Array(blockBuffer, start, length as number);
    const view = new DataView(blockBuffer, start, (length as number) * 8);
    return Float64Array.from({ length: length as number }, (_, i) => view.getFloat64(i * 8, true));
  };
  const numbers = (offset: unknown, length: unknown): (number | null)[] => {
    const values = block(offset, length);
    const out = new Array<number | null>(values.length);
    for (let i = 0; i < values.length; i++) out[i] = jsonNumber(values[i]);
    return out;
  };
  const column = (spec: unknown, rows: number): unknown[] => {
    if (!Array.isArray(spec)) throw new BridgeFrameError('bad table column');
    if (spec[0] === 'f64') {
      if (spec[2] !== rows) throw new BridgeFrameError('table column length differs');
      return numbers(spec[1], spec[2]);
    }
    if (spec[0] === 'const') return new Array<unknown>(rows).fill(spec[1]);
    if (spec[0] === 'json' && Array.isArray(spec[1]) && spec[1].length === rows) return spec[1];
    throw new BridgeFrameError('bad table column');
  };
  const materialise = (spec: unknown): unknown => {
    if (!Array.isArray(spec)) throw new BridgeFrameError('bad placeholder');
    if (spec[0] === 'f64') return numbers(spec[1], spec[2]);
    if (spec[0] === 'json' && Array.isArray(spec[1]) && spec[1].length === 1) return spec[1][0];
    if (spec[0] === 'table') {
      const [, rows, keys, specs] = spec as [string, unknown, unknown, unknown];
      if (
        !Number.isInteger(rows) ||
        (rows as number) < 0 ||
        (rows as number) > MAX_TABLE_ROWS ||
        !Array.isArray(keys) ||
        !Array.isArray(specs) ||
        keys.length !== specs.length
      ) {
        throw new BridgeFrameError('bad table');
      }
      const n = rows as number;
      const columns = specs.map((s) => column(s, n));
      const factory = options.rowFactory?.(keys as string[]);
      if (factory) {
        const rowsOut = new Array<object>(n);
        for (let i = 0; i < n; i++) rowsOut[i] = factory(columns, i);
        return rowsOut;
      }
      const out = new Array<Record<string, unknown>>(n);
      for (let i = 0; i < n; i++) {
        const row: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) row[keys[k] as string] = columns[k][i];
        out[i] = row;
      }
      return out;
    }
    throw new BridgeFrameError(`unknown placeholder ${JSON.stringify(spec[0])}`);
  };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BridgeFrameError('frame header is not JSON');
  }
  const restore = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
      return v;
    }
    if (isPlainObject(v)) {
      if (MARK in v) return materialise(v[MARK]);
      for (const key of Object.keys(v)) v[key] = restore(v[key]);
    }
    return v;
  };
  return restore(parsed);
}
