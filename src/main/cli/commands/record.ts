import {
  CliFailure,
  numberOption,
  requiredString,
  stringOption,
  symbolList,
  UsageError,
  type CliCommand,
} from '../command';
import { untilSignalOrTimeout } from '../signals';

/** A symbol silent this long after its subscription was acknowledged gets a warning. */
const SILENT_SYMBOL_MS = 10_000;

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
      description:
        'Dataset kind (default: what the feed declares — demo for `simulate`, replay for `simulate --replay`, else live); live appends to the one live dataset, others start a new one',
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
    if (kind !== undefined && kind !== 'live' && kind !== 'demo' && kind !== 'replay') {
      throw new UsageError(`--kind must be live, demo or replay, got "${kind}"`);
    }
    const url = requiredString(args, 'url');
    if (!/^wss?:\/\//.test(url))
      throw new UsageError(`--url must start with ws:// or wss://, got "${url}"`);
    const durationS = numberOption(args, 'duration', { min: 0 });
    const statusEveryS = numberOption(args, 'status-every', { min: 0.1 }) ?? 5;

    const { PairDeskStore } = await import('../../store/store');
    const { datasetKindFor, formatStatusLine, Recorder } = await import('../../recorder/recorder');
    const { likelySymbol, SilentSymbolWatch } = await import('../../recorder/symbolWatch');
    const store = PairDeskStore.open(dbFile);
    const warn = (line: string): void => console.error(`[record] ${line}`);
    const recorder = new Recorder({
      store,
      symbols,
      url: url.replace(/\/+$/, ''),
      tradeStream: stream,
      datasetKind: kind ?? 'auto',
      datasetLabel: stringOption(args, 'label'),
      onDataset: (d, declared) =>
        console.log(
          `[record] dataset ${d.id} (${d.kind}, ${d.label})${declared ? ` — the feed says it serves ${declared.kind === 'sim' ? 'a simulated market' : `a replay of ${declared.file ?? 'a capture'}`}` : ''}`,
        ),
      // Retries are reported per route below, with their delay.
      onConnection: (state) => {
        if (state.state !== 'backing_off') {
          console.log(`[record] connection ${state.state}: ${state.reason}`);
        }
      },
      listener: {
        // Trades missed while disconnected: the id range a REST backfill would fetch.
        onGap: (gap) =>
          console.log(
            `[record] gap ${gap.symbol} ${gap.stream}: ${gap.count} trade ids missing (${gap.fromId}..${gap.toId})`,
          ),
      },
    });
    let attempts = 0;
    let lastFailure: string | null = null;
    recorder.feed.on('state', (ev) => {
      if (ev.state !== 'backing_off') return;
      attempts++;
      lastFailure = ev.reason;
      const retry =
        ev.nextRetryMs === null ? '' : `, retrying in ${(ev.nextRetryMs / 1000).toFixed(1)} s`;
      warn(`${ev.reason}${retry}`);
    });
    recorder.feed.on('control', (ev) => {
      if (ev.outcome === 'error' && ev.error) {
        warn(`the feed refused ${ev.method} ${ev.params.join(',')}: ${ev.error.msg}`);
      }
    });
    if (kind !== undefined) {
      recorder.feed.on('source', (ev) => {
        const declared = datasetKindFor(ev.source);
        if (declared !== kind) {
          warn(
            `warning: --kind ${kind}, but the feed declares ${ev.source?.kind ?? 'nothing (an exchange)'}: its data is filed as ${kind}; drop --kind to file it as ${declared}`,
          );
        }
      });
    }
    const watch = new SilentSymbolWatch(recorder.feed, symbols, stream);
    const prices = (): string =>
      symbols
        .map((s) => {
          const p = recorder.datasetIfChosen ? recorder.pipeline.lastPrice(s) : undefined;
          return p ? `${s} ${p.price}` : `${s} –`;
        })
        .join(' ');
    const chosen = recorder.datasetIfChosen;
    console.log(
      `[record] ${symbols.join(',')} ${stream} from ${url} → ${dbFile} (${chosen ? `dataset ${chosen.id}, ${chosen.kind}` : 'dataset chosen when the feed answers'})`,
    );
    recorder.start();
    const statusTimer = setInterval(
      () => console.log(`[record] ${formatStatusLine(recorder.status(), prices())}`),
      statusEveryS * 1000,
    );
    const watchTimer = setInterval(() => {
      for (const { symbol, ackedAtMs } of watch.overdue(SILENT_SYMBOL_MS)) {
        const ago = Math.floor((Date.now() - ackedAtMs) / 1000);
        warn(
          `warning: no trades for ${symbol} since the subscription was acknowledged ${ago} s ago: is it a Binance USD-M symbol (e.g. ${likelySymbol(symbol)})?`,
        );
      }
    }, 1000);
    const startedAt = Date.now();
    const reason = await untilSignalOrTimeout(
      durationS === undefined ? undefined : durationS * 1000,
    );
    const secs = Math.round((Date.now() - startedAt) / 1000);
    clearInterval(statusTimer);
    clearInterval(watchTimer);
    const silent = watch.silent();
    const everAcked = symbols.some((s) => watch.ackedAtMs(s) !== undefined);
    const final = await recorder.stop();
    store.close();
    console.log(`[record] stopped (${reason}) · ${formatStatusLine(final, prices())}`);
    for (const r of recorder.datasetIfChosen ? recorder.pipeline.rejects.recent().slice(-5) : []) {
      console.log(`[record] reject ${r.reason}${r.field ? ` field ${r.field}` : ''}: ${r.message}`);
    }
    // Only a run that was given its full --duration is judged: Ctrl-C is the user's call.
    if (reason !== 'duration reached' || silent.length === 0) return 0;
    if (!everAcked) {
      throw new CliFailure(
        `nothing recorded in ${secs} s: ${lastFailure ?? 'the feed never accepted the connection'}${attempts > 0 ? ` (${attempts} attempt${attempts === 1 ? '' : 's'})` : ''}`,
      );
    }
    const names = silent.join(', ');
    throw new CliFailure(
      silent.length === symbols.length
        ? `nothing recorded in ${secs} s: the feed sent no trades for ${names}; are they Binance USD-M symbols (e.g. ${likelySymbol(silent[0])})?`
        : `no trades recorded for ${names} in ${secs} s (the others were recorded): is it a Binance USD-M symbol (e.g. ${likelySymbol(silent[0])})?`,
    );
  },
};
