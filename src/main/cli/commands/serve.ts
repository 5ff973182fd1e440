import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultDbFile } from '../../app/paths';
import { PROJECT_ROOT } from '../../bridge/rendererBuild';
import { numberOption, stringOption, symbolList, UsageError, type CliCommand } from '../command';
import { untilSignalOrTimeout } from '../signals';
import { listenFailure } from './simulate';
import { mkdirSync } from 'node:fs';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary:
    'Run PairDesk in a browser tab: the same services as the desktop app, served on 127.0.0.1 with a per-run token.',
  options: {
    port: {
      type: 'string',
      valueName: 'PORT',
      description: 'TCP port on 127.0.0.1 (0 = any free port)',
      default: '5178',
    },
    source: {
      type: 'string',
      valueName: 'live|demo|replay',
      description: 'Data source to start with (default: the last one used)',
    },
    file: {
      type: 'string',
      valueName: 'FILE',
      description: 'Capture to replay (NDJSON, .gz allowed)',
    },
    speed: { type: 'string', valueName: 'X', description: 'Replay speed × original pace' },
    db: {
      type: 'string',
      valueName: 'FILE',
      description: 'SQLite database (default: the app’s user-data folder)',
    },
    symbols: {
      type: 'string',
      valueName: 'LIST',
      description: 'Symbols to start with, e.g. BTCUSDT,ETHUSDT',
    },
    'feed-url': {
      type: 'string',
      valueName: 'URL',
      description: 'Base WebSocket URL of the live feed (default Binance USD-M futures)',
    },
    'demo-rate': {
      type: 'string',
      valueName: 'N',
      description: 'Simulated aggTrades per second in demo mode',
      default: '40',
    },
    'replay-dir': {
      type: 'string',
      valueName: 'DIR',
      description: 'Folder of captures offered by the replay source (repeatable)',
      multiple: true,
    },
    duration: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Stop after this long (default: until Ctrl-C)',
    },
  },
  examples: [
    'npm run pairdesk -- serve --source demo',
    'npm run pairdesk -- serve --source replay --file tests/fixtures/binance-real/um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz --speed 20',
  ],
  async run(args) {
    const source = stringOption(args, 'source');
    if (source !== undefined && source !== 'live' && source !== 'demo' && source !== 'replay') {
      throw new UsageError(`--source must be live, demo or replay, got "${source}"`);
    }
    const file = stringOption(args, 'file');
    if (file !== undefined && !existsSync(file))
      throw new UsageError(`--file: no such file ${file}`);
    if (source === 'replay' && file === undefined)
      throw new UsageError('--source replay needs --file FILE');
    const dbFile = resolve(stringOption(args, 'db') ?? defaultDbFile());
    mkdirSync(dirname(dbFile), { recursive: true });
    const replayDirs = ((args.values['replay-dir'] as string[] | undefined) ?? []).map((d) =>
      resolve(d),
    );
    const bundled = resolve(PROJECT_ROOT, 'tests/fixtures/binance-real');
    if (existsSync(bundled)) replayDirs.push(bundled);
    if (file) replayDirs.push(dirname(resolve(file)));
    const durationS = numberOption(args, 'duration', { min: 0 });
    const port = numberOption(args, 'port', { integer: true, min: 0, max: 65535 }) ?? 5178;

    // Loaded on use: the CLI starts fast for every other command.
    const { ensureRendererBuilt } = await import('../../bridge/rendererBuild');
    const { startPairDeskApp } = await import('../../app/pairDeskApp');
    const { startBrowserServer } = await import('../../bridge/browserServer');
    const rendererDir = ensureRendererBuilt();
    const app = await startPairDeskApp({
      dbFile,
      source,
      replayFile: file,
      replaySpeed: numberOption(args, 'speed', { min: 0.01, max: 10_000 }),
      symbols: stringOption(args, 'symbols')
        ? symbolList(stringOption(args, 'symbols') ?? '')
        : undefined,
      feedUrl: stringOption(args, 'feed-url'),
      demoRate: numberOption(args, 'demo-rate', { min: 0.01, max: 100_000 }),
      replayDirs,
    });
    let server;
    try {
      server = await startBrowserServer({
        host: app.host,
        rendererDir,
        port,
        // Uploads land in the data folder and become picked files, as a dialog's choice would.
        dataDir: app.services.files.dataDir,
        onUpload: (path) => app.services.files.registerPath(path),
      });
    } catch (error) {
      await app.stop();
      throw listenFailure(error, port);
    }
    const info = app.services.source;
    console.log(`[serve] data: ${dbFile}`);
    console.log(
      `[serve] source: ${info.label}${info.simulated ? ' (SIMULATED)' : ''}${info.error ? ` — ${info.error}` : ''}`,
    );
    console.log(`[serve] PairDesk is running at ${server.url}`);
    const reason = await untilSignalOrTimeout(
      durationS === undefined ? undefined : durationS * 1000,
    );
    await server.close();
    await app.stop();
    console.log(`[serve] stopped (${reason})`);
    return 0;
  },
};
