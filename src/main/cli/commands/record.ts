import {
  numberOption,
  requiredString,
  stringOption,
  symbolList,
  UsageError,
  type CliCommand,
} from '../command';
import { untilSignalOrTimeout } from '../signals';

export const recordCommand: CliCommand = {
  name: 'record',
  summary: 'Record live trades into SQLite (ticks + 1s/1m/5m bars) without a window.',
  options: {
    symbols: {
      type: 'string',
      valueName: 'LIST',
      description: 'Comma-separated symbols, e.g. btcusdt,ethusdt',
    },
    db: {
      type: 'string',
      valueName: 'FILE',
      description: 'SQLite database file (created if missing)',
    },
    url: {
      type: 'string',
      valueName: 'URL',
      description: 'Base WebSocket URL; the client adds route and stream path',
      default: 'wss://fstream.binance.com',
    },
    stream: {
      type: 'string',
      valueName: 'aggTrade|trade',
      description: 'Trade stream',
      default: 'aggTrade',
    },
    duration: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Stop after this long (default: until Ctrl-C)',
    },
    kind: {
      type: 'string',
      valueName: 'live|demo|replay',
      description: 'Dataset kind; live appends to the one live dataset, others start a new one',
      default: 'live',
    },
    label: { type: 'string', valueName: 'TEXT', description: 'Dataset label' },
    'status-every': {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Status line interval',
      default: '5',
    },
  },
  examples: [
    'npm run pairdesk -- record --symbols btcusdt,ethusdt --db data.db',
    'npm run pairdesk -- record --symbols btcusdt,ethusdt --db data.db --url ws://127.0.0.1:9443 --stream trade --duration 60',
  ],
  async run(args) {
    const symbols = symbolList(requiredString(args, 'symbols'));
    const dbFile = requiredString(args, 'db');
    const stream = stringOption(args, 'stream');
    if (stream !== 'aggTrade' && stream !== 'trade') {
      throw new UsageError(`--stream must be aggTrade or trade, got "${stream}"`);
    }
    const kind = stringOption(args, 'kind');
    if (kind !== 'live' && kind !== 'demo' && kind !== 'replay') {
      throw new UsageError(`--kind must be live, demo or replay, got "${kind}"`);
    }
    const url = requiredString(args, 'url');
    if (!/^wss?:\/\//.test(url))
      throw new UsageError(`--url must start with ws:// or wss://, got "${url}"`);
    const durationS = numberOption(args, 'duration', { min: 0 });
    const statusEveryS = numberOption(args, 'status-every', { min: 0.1 }) ?? 5;

    const { PairDeskStore } = await import('../../store/store');
    const { formatStatusLine, Recorder } = await import('../../recorder/recorder');
    const store = PairDeskStore.open(dbFile);
    const recorder = new Recorder({
      store,
      symbols,
      url: url.replace(/\/+$/, ''),
      tradeStream: stream,
      datasetKind: kind,
      datasetLabel: stringOption(args, 'label'),
      onConnection: (state) => console.log(`[record] connection ${state.state}: ${state.reason}`),
      listener: {
        // Trades missed while disconnected: the id range a REST backfill would fetch.
        onGap: (gap) =>
          console.log(
            `[record] gap ${gap.symbol} ${gap.stream}: ${gap.count} trade ids missing (${gap.fromId}..${gap.toId})`,
          ),
      },
    });
    const prices = (): string =>
      symbols
        .map((s) => {
          const p = recorder.pipeline.lastPrice(s);
          return p ? `${s} ${p.price}` : `${s} –`;
        })
        .join(' ');
    console.log(
      `[record] ${symbols.join(',')} ${stream} from ${url} → ${dbFile} (dataset ${recorder.dataset.id}, ${recorder.dataset.kind})`,
    );
    recorder.start();
    const statusTimer = setInterval(
      () => console.log(`[record] ${formatStatusLine(recorder.status(), prices())}`),
      statusEveryS * 1000,
    );
    const reason = await untilSignalOrTimeout(
      durationS === undefined ? undefined : durationS * 1000,
    );
    clearInterval(statusTimer);
    const final = await recorder.stop();
    store.close();
    console.log(`[record] stopped (${reason}) · ${formatStatusLine(final, prices())}`);
    for (const r of recorder.pipeline.rejects.recent().slice(-5)) {
      console.log(`[record] reject ${r.reason}${r.field ? ` field ${r.field}` : ''}: ${r.message}`);
    }
    return 0;
  },
};
