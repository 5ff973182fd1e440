/**
 * `pairdesk import FILE... --db FILE [--symbol S] [--name N]` (#10): the files into ONE new
 * dataset, through the same import engine as the app (src/main/files/import). stdout is one line,
 * `dataset ID`, for scripts; everything for people goes to stderr: progress (only on a TTY), the
 * outcome, each file's counts and problems, and the reject summary (first lines and the full
 * report's path). Ctrl-C cancels: the partial dataset is deleted (exit 130).
 */
import { basename, dirname, resolve } from 'node:path';
import type { ImportResult, TransferProgress } from '../../../core/contract/files';
import {
  CliFailure,
  requiredString,
  stringOption,
  SYMBOL_SHAPE,
  UsageError,
  type CliCommand,
} from '../command';
import { requireInputFiles } from '../inputFiles';

const int = (n: number): string => n.toLocaleString('en-US');

function progressLine(p: TransferProgress): string {
  const pct = p.fraction === null ? '' : `${(p.fraction * 100).toFixed(1)} % · `;
  const eta = p.etaMs === null ? '' : ` · ETA ${Math.ceil(p.etaMs / 1000)} s`;
  return `importing ${pct}${int(p.lines)} lines · ${int(p.linesPerSec)} lines/s${eta}`;
}

/** The human part of the outcome (stderr). */
export function importReport(r: ImportResult, reportFile: string | null): string[] {
  const out = [`${r.message} (${(r.elapsedMs / 1000).toFixed(2)} s)`];
  for (const f of r.files) {
    const name = f.member === null ? f.name : `${f.name}:${f.member}`;
    out.push(
      `  ${name}: ${f.format ?? 'not recognised'}, ${int(f.lines)} lines, ${int(f.ticks)} ticks, ${int(f.bars)} bars, ${int(f.rejected)} rejected`,
    );
    if (f.error !== null) out.push(`    ${f.error}`);
  }
  const rj = r.rejects;
  if (rj.total > 0) {
    const counts = Object.entries(rj.byReason)
      .map(([reason, n]) => `${reason} ${int(n)}`)
      .join(', ');
    out.push(`rejected ${int(rj.total)} line${rj.total === 1 ? '' : 's'}: ${counts}`);
    for (const j of rj.first.slice(0, 20)) {
      out.push(
        `  ${j.file}:${j.line}  ${j.reason}${j.field !== undefined ? ` (${j.field})` : ''}: ${j.message}`,
      );
    }
    if (rj.total > 20) out.push(`  … ${int(rj.total - 20)} more not listed`);
    if (reportFile !== null) out.push(`full reject report: ${reportFile}`);
  }
  return out;
}

export const importCommand: CliCommand = {
  name: 'import',
  summary:
    'Import files (Binance NDJSON captures, data.binance.vision aggTrades/trades/klines CSV or .zip, .gz, PairDesk exports) into one new dataset; prints "dataset ID" on stdout.',
  positionals: 'FILE...',
  options: {
    db: {
      type: 'string',
      valueName: 'FILE',
      description: 'SQLite database file (created if absent)',
    },
    symbol: {
      type: 'string',
      valueName: 'S',
      description: 'Symbol of files whose name does not say it (e.g. BTCUSDT)',
    },
    name: {
      type: 'string',
      valueName: 'N',
      description: 'Dataset label (default: from the file names)',
    },
  },
  examples: [
    'npm run pairdesk -- import BTCUSDT-aggTrades-2024-07-18.zip ETHUSDT-aggTrades-2024-07-18.zip --db data.db',
    'npm run pairdesk -- import trades.csv --symbol BTCUSDT --name "BTC July" --db data.db',
    'stdout is exactly one line "dataset ID" (e.g. "dataset 7"); the report goes to stderr.',
    'Exit 0 when imported (even with rejected lines), 1 when nothing could be imported, 130 when cancelled.',
  ],
  async run(args) {
    const dbFile = requiredString(args, 'db');
    const files = args.positionals;
    requireInputFiles(files, 'give at least one file to import');
    const symbolText = stringOption(args, 'symbol');
    const symbol = symbolText?.trim().toUpperCase();
    if (symbol !== undefined && !SYMBOL_SHAPE.test(symbol)) {
      throw new UsageError(`--symbol: "${symbolText}" is not a Binance symbol (e.g. BTCUSDT)`);
    }
    const name = stringOption(args, 'name');
    if (name !== undefined && name.trim() === '') throw new UsageError('--name needs a label');

    const { PairDeskStore } = await import('../../store/store');
    const { runImport } = await import('../../files/import/importJob');
    const { reportPath } = await import('../../files/import/rejectReport');
    let store;
    try {
      store = PairDeskStore.open(dbFile);
    } catch (err) {
      const e = err as Error & { code?: string };
      if (e.code === 'SQLITE_NOTADB') throw new CliFailure(`${dbFile} is not a SQLite database`);
      throw new CliFailure(`cannot open database ${dbFile}: ${e.message.split('\n')[0]}`);
    }
    const dataDir = dirname(resolve(dbFile));
    const tty = process.stderr.isTTY === true;
    const ac = new AbortController();
    const onSignal = (): void => ac.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const result = await runImport(
        { store, dataDir },
        files.map((path) => {
          const f: { path: string; name: string; symbol?: string } = { path, name: basename(path) };
          if (symbol !== undefined) f.symbol = symbol;
          return f;
        }),
        {
          jobId: `cli-${process.pid}-${Date.now()}`,
          name: name?.trim(),
          signal: ac.signal,
          onProgress: tty
            ? (p) => {
                if (p.state === 'running') process.stderr.write(`\r\x1b[K${progressLine(p)}`);
                else process.stderr.write('\r\x1b[K');
              }
            : undefined,
        },
      );
      const reportFile =
        result.rejects.reportId === null ? null : reportPath(dataDir, result.rejects.reportId);
      for (const line of importReport(result, reportFile)) console.error(line);
      if (result.state === 'cancelled') return 130;
      if (result.state === 'failed' || result.datasetId === null) return 1;
      console.log(`dataset ${result.datasetId}`);
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      store.close();
    }
  },
};
