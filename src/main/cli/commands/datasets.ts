import { requiredString, type CliCommand } from '../command';
import { openStoreForRead } from '../openStore';

function iso(ms: number | null): string {
  return ms === null ? '–' : new Date(ms).toISOString();
}

export const datasetsCommand: CliCommand = {
  name: 'datasets',
  summary: 'List the datasets in a database (live, demo, one per replay or import).',
  options: {
    db: { type: 'string', valueName: 'FILE', description: 'SQLite database file' },
    json: { type: 'boolean', description: 'Print JSON instead of a table' },
  },
  async run(args) {
    const store = await openStoreForRead(requiredString(args, 'db'));
    try {
      // First and last tick times where there are ticks: the counters' span also covers bar
      // starts, i.e. the start of the first 5-minute bar. Bars-only datasets keep that span.
      const datasets = store.listDatasets().map((d) => {
        const ticks = d.tickCount > 0 ? store.tickTimeRange(d.id) : undefined;
        return ticks ? { ...d, firstMs: ticks.firstMs, lastMs: ticks.lastMs } : d;
      });
      if (args.values.json === true) {
        console.log(JSON.stringify(datasets, null, 2));
        return 0;
      }
      if (datasets.length === 0) {
        console.log('no datasets');
        return 0;
      }
      // origin: the kind, or 'import' for an imported file set (stored as kind 'replay').
      console.log(['id', 'origin', 'ticks', 'bars', 'first', 'last', 'label'].join('\t'));
      for (const d of datasets) {
        console.log(
          [d.id, d.origin, d.tickCount, d.barCount, iso(d.firstMs), iso(d.lastMs), d.label].join(
            '\t',
          ),
        );
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
