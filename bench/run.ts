/**
 * `npm run bench [-- --only ingest,store,...]`: every figure next to its reference measured in
 * the same run, as a ratio. A benchmark, not a test: it reports, it does not fail the build.
 */
import { ensureCliBuilt } from '../scripts/cliBuild.mjs';
import { alertsBenchRows } from './alerts';
import { alertsReplayBenchRows } from './alertsReplay';
import { analyticsLiveBenchRows } from './analyticsLive';
import { analyzeBenchRows } from './analyze';
import { exportBenchRows } from './export';
import { formatsBenchRows } from './formats';
import { importBenchRows } from './import';
import { inputBenchRows } from './input';
import { syntheticTicks } from './bars';
import { ingestBenchRows } from './ingest';
import { livePathBenchRows } from './livePath';
import { rendererBenchRows } from './renderer';
import { statsBenchRows } from './stats';
import { benchStore } from './store';
import type { BenchRow } from './types';

type Section = { name: string; run: () => Promise<BenchRow[]> };

const SECTIONS: Section[] = [
  { name: 'ingest', run: () => ingestBenchRows() },
  { name: 'store', run: async () => (await benchStore(syntheticTicks(1_000_000))).rows },
  { name: 'live', run: () => livePathBenchRows() },
  { name: 'stats', run: async () => statsBenchRows() },
  { name: 'analytics', run: async () => analyticsLiveBenchRows() },
  { name: 'analyze', run: () => analyzeBenchRows() },
  { name: 'renderer', run: () => rendererBenchRows() },
  { name: 'alertsReplay', run: () => alertsReplayBenchRows() },
  { name: 'alerts', run: async () => alertsBenchRows() },
  { name: 'formats', run: () => formatsBenchRows() },
  { name: 'input', run: () => inputBenchRows() },
  { name: 'import', run: () => importBenchRows() },
  { name: 'export', run: () => exportBenchRows() },
];

function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  const abs = Math.abs(x);
  if (abs >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function print(row: BenchRow): void {
  const verdict = row.pass === undefined ? '' : row.pass ? '  ✔ meets target' : '  ✘ misses target';
  console.log(`• ${row.name}`);
  console.log(
    `    ${fmt(row.value)} ${row.unit}${row.target ? `   (target ${row.target})` : ''}${verdict}`,
  );
  if (row.reference !== undefined) {
    console.log(
      `    reference: ${fmt(row.referenceValue)} — ${row.reference}; ratio ${row.ratio?.toFixed(2)}x`,
    );
  }
}

async function main(): Promise<void> {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg >= 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',')) : undefined;
  console.log(`PairDesk bench — node ${process.version}, ${new Date().toISOString()}`);
  // The sections that run `pairdesk` as a child process run the built CLI, as users do.
  await ensureCliBuilt();
  for (const section of SECTIONS) {
    if (only && !only.has(section.name)) continue;
    console.log(`\n## ${section.name}`);
    try {
      for (const row of await section.run()) print(row);
    } catch (error) {
      console.log(`    failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

void main();
