import { TIMEFRAME_MS, type Timeframe } from '../../../core/market/types';
import { writeBarsCsv } from '../../files/export/barsCsv';
import { CsvOutput } from '../../files/export/csvOutput';
import { writeTicksCsv } from '../../files/export/ticksCsv';
import {
  numberOption,
  requiredString,
  stringOption,
  UsageError,
  type CliCommand,
} from '../command';
import { openStoreForRead } from '../openStore';
import { openOutputFile } from '../outputFile';

import { BAR_CSV_HEADER, TICK_CSV_HEADER } from '../../../core/formats/exportHeaders';

// The headers live in core so the format detector (#10) recognises an export read back.
export { BAR_CSV_HEADER, TICK_CSV_HEADER };

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export stored ticks or bars of a dataset as CSV (rows by symbol, then time).',
  options: {
    db: { type: 'string', valueName: 'FILE', description: 'SQLite database file' },
    dataset: {
      type: 'string',
      valueName: 'ID',
      description: 'Dataset id (default: the most recent)',
    },
    ticks: { type: 'boolean', description: 'Export ticks' },
    bars: { type: 'string', valueName: '1s|1m|5m', description: 'Export bars of this timeframe' },
    out: { type: 'string', valueName: 'FILE.csv', description: 'Output CSV file' },
  },
  examples: [
    'npm run pairdesk -- export --db data.db --ticks --out ticks.csv',
    'npm run pairdesk -- export --db data.db --dataset 2 --bars 1m --out bars-1m.csv',
  ],
  async run(args) {
    const dbFile = requiredString(args, 'db');
    const outFile = requiredString(args, 'out');
    const wantTicks = args.values.ticks === true;
    const barsTf = stringOption(args, 'bars');
    if (wantTicks === (barsTf !== undefined))
      throw new UsageError('give exactly one of --ticks or --bars 1s|1m|5m');
    if (barsTf !== undefined && !(barsTf in TIMEFRAME_MS)) {
      throw new UsageError(`--bars must be 1s, 1m or 5m, got "${barsTf}"`);
    }
    const store = await openStoreForRead(dbFile);
    try {
      const datasetOpt = numberOption(args, 'dataset', { integer: true, min: 1 });
      const dataset =
        datasetOpt === undefined ? store.latestDataset() : store.getDataset(datasetOpt);
      if (!dataset) {
        throw new UsageError(
          datasetOpt === undefined
            ? `no datasets in ${dbFile}`
            : `no dataset ${datasetOpt} in ${dbFile}`,
        );
      }
      const out = await openOutputFile(outFile);
      // The same writers as the app's exports (src/main/files/export), so the files match.
      const csv = new CsvOutput(out);
      if (wantTicks) {
        await writeTicksCsv(store, csv, { datasetId: dataset.id });
      } else {
        await writeBarsCsv(store, csv, {
          datasetId: dataset.id,
          timeframeMs: TIMEFRAME_MS[barsTf as Timeframe],
        });
      }
      await csv.end();
      const rows = csv.rows;
      console.log(
        `[export] dataset ${dataset.id} (${dataset.kind}, ${dataset.label}): ${rows} rows → ${outFile}`,
      );
      return 0;
    } finally {
      store.close();
    }
  },
};
