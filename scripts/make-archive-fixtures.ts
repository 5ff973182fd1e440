/**
 * Writes the container fixtures of #10 (zip, gzip, truncated archives) under
 * tests/fixtures/archives/ from the CSVs in tests/fixtures/formats and the real capture:
 *
 *   npx tsx scripts/make-archive-fixtures.ts
 *
 * Deterministic: fflate (pure JS, same bytes on every machine) with fixed modification times,
 * and the zip's DOS times taken in UTC. ETHUSDT-aggTrades-2024-07-18.csv is made here the way
 * scripts/make-format-fixtures.ts made the BTCUSDT one (the capture's first 40 ETHUSDT trades,
 * one aggTrade each), so a two-member zip holds the pair of one day, as data.binance.vision
 * would give it.
 */
process.env.TZ = 'UTC';

import { gzipSync, Zip, ZipDeflate, zipSync, type Zippable } from 'fflate';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGG_TRADES_HEADER } from '../src/core/formats/aggTrades';
import { aggTradeLine, loadCapture } from './make-format-fixtures';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FORMATS = join(ROOT, 'tests', 'fixtures', 'formats');
const OUT = join(ROOT, 'tests', 'fixtures', 'archives');
const CAPTURE = join(
  ROOT,
  'tests/fixtures/binance-real/um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz',
);
/** The day of the data, as the archive's modification time. */
const MTIME = new Date(Date.UTC(2024, 6, 19, 0, 0, 0));
/** The truncated capture keeps this many bytes of the real one (1.4 MB): small, and cut inside. */
const CAPTURE_CUT_BYTES = 64 * 1024;

export const ARCHIVE_FIXTURES = {
  oneMember: 'BTCUSDT-aggTrades-2024-07-18.zip',
  twoMembers: 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18.zip',
  withReadme: 'BTCUSDT-aggTrades-2024-07-18-with-readme.zip',
  withFolders: 'BTCUSDT-trades-2024-07-18-with-folders.zip',
  truncatedZip: 'BTCUSDT-ETHUSDT-aggTrades-2024-07-18-cut.zip',
  stored: 'BTCUSDT-1m-2024-07-18-stored.zip',
  dataDescriptor: 'BTCUSDT-aggTrades-2024-07-18-streamed.zip',
  gzipCsv: 'BTCUSDT-trades-2024-07-18.csv.gz',
  truncatedGzip: 'um-btcusdt-ethusdt-2024-07-18T2357Z-cut.ndjson.gz',
  ethAggTrades: 'ETHUSDT-aggTrades-2024-07-18.csv',
} as const;

export const README_TEXT =
  'Test archive for PairDesk: one aggTrades CSV next to this readme, as some archives ship.\n';

function source(name: string): Uint8Array {
  return readFileSync(join(FORMATS, name));
}

function deflated(files: Record<string, Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of Object.entries(files))
    zippable[name] = [data, { level, mtime: MTIME }];
  return zipSync(zippable);
}

/** A zip written as a stream writer does: sizes in data descriptors after each member (bit 3). */
function streamed(files: Record<string, Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  for (const [name, data] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    entry.mtime = MTIME;
    zip.add(entry);
    entry.push(data, true);
  }
  zip.end();
  return Buffer.concat(parts);
}

/** Byte offset of the `index`-th (0-based) local file header in `zip`. */
function localHeaderAt(zip: Uint8Array, index: number): number {
  const buf = Buffer.from(zip);
  let at = -1;
  for (let k = 0; k <= index; k++) {
    at = buf.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at + 1);
    if (at < 0) throw new Error(`no local header ${index}`);
  }
  return at;
}

/** The zip cut in the middle of the compressed data of its `index`-th member. */
function cutInsideMember(zip: Uint8Array, index: number): Uint8Array {
  const buf = Buffer.from(zip);
  const at = localHeaderAt(zip, index);
  const dataStart = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const compressed = buf.readUInt32LE(at + 18);
  return zip.subarray(0, dataStart + Math.floor(compressed / 2));
}

export function ethAggTradesCsv(): string {
  const eth = loadCapture(CAPTURE)
    .ticks.filter((t) => t.symbol === 'ETHUSDT')
    .slice(0, 40);
  const lines = [AGG_TRADES_HEADER, ...eth.map((t) => aggTradeLine(t, { spot: false, us: false }))];
  return `${lines.join('\n')}\n`;
}

export function main(): void {
  mkdirSync(OUT, { recursive: true });
  const write = (name: string, data: Uint8Array | string): void =>
    writeFileSync(join(OUT, name), data);
  const btcAgg = source('BTCUSDT-aggTrades-2024-07-18.csv');
  const ethAgg = Buffer.from(ethAggTradesCsv());
  write(ARCHIVE_FIXTURES.ethAggTrades, ethAgg);
  write(ARCHIVE_FIXTURES.oneMember, deflated({ 'BTCUSDT-aggTrades-2024-07-18.csv': btcAgg }));
  const pair = deflated({
    'BTCUSDT-aggTrades-2024-07-18.csv': btcAgg,
    'ETHUSDT-aggTrades-2024-07-18.csv': ethAgg,
  });
  write(ARCHIVE_FIXTURES.twoMembers, pair);
  write(ARCHIVE_FIXTURES.truncatedZip, cutInsideMember(pair, 1));
  write(
    ARCHIVE_FIXTURES.withReadme,
    deflated({
      'readme.txt': Buffer.from(README_TEXT),
      'BTCUSDT-aggTrades-2024-07-18.csv': btcAgg,
    }),
  );
  write(
    ARCHIVE_FIXTURES.withFolders,
    deflated({
      'data/': new Uint8Array(0),
      '__MACOSX/data/._BTCUSDT-trades-2024-07-18.csv': Buffer.from('\x00\x05\x16\x07AppleDouble'),
      'data/BTCUSDT-trades-2024-07-18.csv': source('BTCUSDT-trades-2024-07-18.csv'),
    }),
  );
  write(
    ARCHIVE_FIXTURES.stored,
    deflated({ 'BTCUSDT-1m-2024-07-18.csv': source('BTCUSDT-1m-2024-07-18.csv') }, 0),
  );
  write(ARCHIVE_FIXTURES.dataDescriptor, streamed({ 'BTCUSDT-aggTrades-2024-07-18.csv': btcAgg }));
  write(
    ARCHIVE_FIXTURES.gzipCsv,
    gzipSync(source('BTCUSDT-trades-2024-07-18.csv'), { level: 6, mtime: MTIME }),
  );
  write(ARCHIVE_FIXTURES.truncatedGzip, readFileSync(CAPTURE).subarray(0, CAPTURE_CUT_BYTES));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
