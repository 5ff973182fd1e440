/**
 * Generic OHLC CSV splitting (#10): hand-written `split` against csv-parse, on a generated
 * 1 M-row file (`time,open,high,low,close,volume`, ISO times, 1 s bars), all in memory, same run.
 * Run alone: `npx tsx bench/formats.ts`. The decision it backs is in src/core/formats/ohlcCsv.ts.
 *
 * - split by hand: `line.split(',')` + trim per line (what `splitOhlcLine` does for a line
 *   without quotes);
 * - csv-parse per line: `parse(line)` from csv-parse/sync for each line (what a streaming
 *   reader fed line by line would do with the library), timed on the first 100 k lines;
 * - csv-parse whole text: one `parse(text)` over the file (fastest use of the library, but not
 *   streaming: every record held at once);
 * - OhlcCsvReader: the full reader (split, ISO time, number and bar checks), for scale.
 */
import { parse } from 'csv-parse/sync';
import { pathToFileURL } from 'node:url';
import { OhlcCsvReader } from '../src/core/formats/ohlcCsv';
import type { BenchRow } from './types';

const ROWS = 1_000_000;
const PER_LINE_SAMPLE = 100_000;

/** 1 M rows of a random-walk 1 s OHLCV series starting 2024-07-18T00:00:00Z. */
export function ohlcText(rows = ROWS): string {
  const t0 = Date.UTC(2024, 6, 18);
  const parts = ['time,open,high,low,close,volume'];
  let price = 64_000;
  let seed = 1;
  const rnd = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let i = 0; i < rows; i++) {
    const open = price;
    const close = Math.round((open + (rnd() - 0.5) * 20) * 10) / 10;
    const high = Math.round((Math.max(open, close) + rnd() * 5) * 10) / 10;
    const low = Math.round((Math.min(open, close) - rnd() * 5) * 10) / 10;
    const volume = Math.round(rnd() * 10_000) / 1000;
    parts.push(
      `${new Date(t0 + i * 1000).toISOString()},${open},${high},${low},${close},${volume}`,
    );
    price = close;
  }
  return parts.join('\n');
}

function rate(lines: number, run: () => void): number {
  const t = performance.now();
  run();
  return lines / ((performance.now() - t) / 1000);
}

export interface FormatsBenchResult {
  rows: number;
  handSplitPerSec: number;
  csvParsePerLinePerSec: number;
  csvParseWholePerSec: number;
  readerPerSec: number;
}

export function formatsBench(rows = ROWS): FormatsBenchResult {
  const text = ohlcText(rows);
  const lines = text.split('\n');
  let sink = 0;
  const handSplitPerSec = rate(lines.length, () => {
    for (const line of lines) {
      const f = line.split(',');
      for (let i = 0; i < f.length; i++) f[i] = f[i].trim();
      sink += f.length;
    }
  });
  const readerPerSec = rate(lines.length, () => {
    const reader = new OhlcCsvReader({ symbol: 'BTCUSDT', timeframeMs: 1000 });
    lines.forEach((line, i) => reader.push(line, i + 1));
    sink += reader.tally.items;
  });
  // ~100× slower than the rest: timed on the first 100 k lines so the run stays short.
  const sample = lines.slice(0, PER_LINE_SAMPLE);
  const csvParsePerLinePerSec = rate(sample.length, () => {
    for (const line of sample) sink += parse(line, { trim: true })[0].length;
  });
  const csvParseWholePerSec = rate(lines.length, () => {
    sink += parse(text, { trim: true }).length;
  });
  if (sink < 0) console.log(sink); // keeps the work observable
  return { rows, handSplitPerSec, csvParsePerLinePerSec, csvParseWholePerSec, readerPerSec };
}

/** Rows for `npm run bench` (register as a section named `formats`). */
export async function formatsBenchRows(): Promise<BenchRow[]> {
  const r = formatsBench();
  return [
    {
      name: 'OHLC CSV split by hand (1 M rows)',
      value: r.handSplitPerSec,
      unit: 'lines/s',
      reference: 'csv-parse/sync per line',
      referenceValue: r.csvParsePerLinePerSec,
      ratio: r.handSplitPerSec / r.csvParsePerLinePerSec,
    },
    {
      name: 'OHLC CSV split by hand vs csv-parse over the whole text',
      value: r.handSplitPerSec,
      unit: 'lines/s',
      reference: 'csv-parse/sync, one call over the file (not streaming)',
      referenceValue: r.csvParseWholePerSec,
      ratio: r.handSplitPerSec / r.csvParseWholePerSec,
    },
    {
      name: 'OhlcCsvReader (split, ISO time, checks → bars)',
      value: r.readerPerSec,
      unit: 'lines/s',
      reference: 'split by hand alone',
      referenceValue: r.handSplitPerSec,
      ratio: r.readerPerSec / r.handSplitPerSec,
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = formatsBench();
  const m = (x: number): string => `${(x / 1e3).toFixed(1)} k lines/s`;
  console.log(`OHLC CSV, ${r.rows} rows, node ${process.version}`);
  console.log(`  split by hand            ${m(r.handSplitPerSec)}`);
  console.log(
    `  csv-parse per line       ${m(r.csvParsePerLinePerSec)} (${(r.handSplitPerSec / r.csvParsePerLinePerSec).toFixed(1)}× slower)`,
  );
  console.log(
    `  csv-parse whole text     ${m(r.csvParseWholePerSec)} (${(r.handSplitPerSec / r.csvParseWholePerSec).toFixed(1)}× slower)`,
  );
  console.log(`  OhlcCsvReader (full)     ${m(r.readerPerSec)}`);
}
