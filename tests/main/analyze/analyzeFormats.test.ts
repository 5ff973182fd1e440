/**
 * `pairdesk analyze` on every import format (#10), through the real CLI entry point: the real
 * capture written as aggTrades / trades CSV (plain and zipped) gives the analytics of the NDJSON
 * capture byte for byte; its 1 m bars as a PairDesk bar export are analysed at 1 m without
 * --timeframe, equal to the NDJSON analysis at 1 m, and a finer --timeframe is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRow } from '../../../src/core/csv/csvWriter';
import { AGG_TRADES_HEADER } from '../../../src/core/formats/aggTrades';
import { BAR_CSV_HEADER, barCsvCells } from '../../../src/core/formats/exportHeaders';
import { TRADES_HEADER } from '../../../src/core/formats/trades';
import { BarAggregator } from '../../../src/core/bars/barAggregator';
import type { Bar } from '../../../src/core/market/types';
import { isBarEligible } from '../../../src/core/validation/tickValidator';
import { aggTradeLine, loadCapture, tradeLine } from '../../../scripts/make-format-fixtures';
import { UM_2024_07_18 } from '../../support/realData';
import { runAnalyzeCli, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const { ticks } = loadCapture(UM_2024_07_18);
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];

function csvText(kind: 'aggTrades' | 'trades', symbol: string): string {
  const lines = ticks
    .filter((t) => t.symbol === symbol)
    .map((t) =>
      kind === 'aggTrades'
        ? aggTradeLine(t, { spot: false, us: false })
        : tradeLine(t, { spot: false, us: false }),
    );
  return [kind === 'aggTrades' ? AGG_TRADES_HEADER : TRADES_HEADER, ...lines].join('\n') + '\n';
}

async function analyze(files: string[], tag: string, extra: string[] = []) {
  const out = tmp.file(`${tag}.csv`);
  const json = tmp.file(`${tag}.json`);
  const run = await runAnalyzeCli([
    ...files,
    '--pair',
    'BTCUSDT/ETHUSDT',
    ...extra,
    '--out',
    out,
    '--json',
    json,
  ]);
  return { run, csv: () => readFileSync(out, 'utf8'), json: () => readFileSync(json, 'utf8') };
}

describe('analyze on every format', () => {
  for (const kind of ['aggTrades', 'trades'] as const) {
    it(`${kind} CSV files, plain and in one zip, give the NDJSON capture's analytics`, async () => {
      const ref = await analyze([UM_2024_07_18], `ref-${kind}`);
      expect(ref.run.code, ref.run.stderr).toBe(0);
      const files = SYMBOLS.map((s) => {
        const f = tmp.file(`${s}-${kind}-2024-07-18.csv`);
        writeFileSync(f, csvText(kind, s));
        return f;
      });
      const plain = await analyze(files, `plain-${kind}`);
      expect(plain.run.code, plain.run.stderr).toBe(0);
      expect(plain.csv()).toBe(ref.csv());
      expect(plain.csv().split('\n').length).toBeGreaterThan(400);

      const zip = tmp.file(`pair-${kind}.zip`);
      const enc = new TextEncoder();
      writeFileSync(
        zip,
        zipSync(
          Object.fromEntries(
            SYMBOLS.map((s) => [`${s}-${kind}-2024-07-18.csv`, enc.encode(csvText(kind, s))]),
          ),
        ),
      );
      const zipped = await analyze([zip], `zip-${kind}`);
      expect(zipped.run.code, zipped.run.stderr).toBe(0);
      expect(zipped.csv()).toBe(ref.csv());
    });
  }

  it('a bars-only input is analysed at its own timeframe; a finer --timeframe is refused', async () => {
    // The capture's 1 m bars, built by the live aggregator, written as a PairDesk bar export.
    const bars: Bar[] = [];
    const agg = new BarAggregator([60_000], {
      onBarClosed: (b) => bars.push(b),
      onBarRevised: (b) => bars.push(b),
    });
    for (const t of ticks) if (isBarEligible(t)) agg.add(t);
    agg.advance(Number.POSITIVE_INFINITY);
    bars.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.startMs - b.startMs);
    const file = tmp.file('bars-1m.csv');
    writeFileSync(file, csvRow(BAR_CSV_HEADER) + bars.map((b) => csvRow(barCsvCells(b))).join(''));
    const ref = await analyze([UM_2024_07_18], 'ref-1m', ['--timeframe', '1m', '--window', '3']);
    expect(ref.run.code, ref.run.stderr).toBe(0);
    const own = await analyze([file], 'bars-own', ['--window', '3']);
    expect(own.run.code, own.run.stderr).toBe(0);
    expect(own.csv()).toBe(ref.csv());
    expect(JSON.parse(own.json()).timeframe).toBe('1m');

    const finer = await analyze([file], 'bars-finer', ['--timeframe', '1s']);
    expect(finer.run.code).toBe(2);
    expect(finer.run.stderr).toMatch(/--timeframe 1s is finer than the 1m bars/);
    const coarser = await analyze([file], 'bars-5m', ['--timeframe', '5m', '--window', '2']);
    expect(coarser.run.code, coarser.run.stderr).toBe(0);
  });

  it('refuses an unrecognised file, naming the accepted formats', async () => {
    const notes = tmp.file('notes.txt');
    writeFileSync(notes, 'just some notes\nnothing else\n');
    const r = await analyze([notes], 'notes');
    expect(r.run.code).toBe(2);
    expect(r.run.stderr).toMatch(/accepted formats?: .*aggTrades/);
  });
});
