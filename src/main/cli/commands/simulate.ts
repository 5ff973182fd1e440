import { existsSync } from 'node:fs';
import {
  CliFailure,
  numberOption,
  stringOption,
  symbolList,
  UsageError,
  type CliCommand,
} from '../command';
import { untilSignalOrTimeout } from '../signals';

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary:
    'Run the local Binance-compatible feed on 127.0.0.1: a simulated cointegrated market, or a replay of a capture or trade file.',
  options: {
    port: {
      type: 'string',
      valueName: 'PORT',
      description: 'TCP port on 127.0.0.1 (0 = any free port)',
      default: '9443',
    },
    symbols: {
      type: 'string',
      valueName: 'LIST',
      description: 'Simulated symbols',
      default: 'BTCUSDT,ETHUSDT',
    },
    rate: {
      type: 'string',
      valueName: 'N',
      description: 'Simulated aggTrades per second, all symbols together',
      default: '50',
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'Simulator seed (same seed, same market)',
      default: '1',
    },
    'half-life': {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Mean-reversion half-life of the simulated spread',
    },
    replay: {
      type: 'string',
      valueName: 'FILE',
      description:
        'Replay this file instead of simulating: an NDJSON capture, an aggTrades or trades CSV, or a PairDesk tick export (plain, .gz or .zip)',
    },
    speed: {
      type: 'string',
      valueName: 'X',
      description: 'Replay pace × original (0 = as fast as possible)',
      default: '1',
    },
    duration: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'Stop after this long (default: until Ctrl-C)',
    },
  },
  examples: [
    'npm run pairdesk -- simulate --port 9443 --symbols BTCUSDT,ETHUSDT --rate 50 --seed 1',
    'npm run pairdesk -- simulate --port 9443 --replay tests/fixtures/binance-real/um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz --speed 20',
  ],
  async run(args) {
    const replay = stringOption(args, 'replay');
    if (replay !== undefined && !existsSync(replay))
      throw new UsageError(`--replay: no such file ${replay}`);
    const speed = numberOption(args, 'speed', { min: 0 }) ?? 1;
    const durationS = numberOption(args, 'duration', { min: 0 });
    const port = numberOption(args, 'port', { integer: true, min: 0, max: 65535 }) ?? 9443;
    const options = {
      port,
      symbols: symbolList(stringOption(args, 'symbols') ?? 'BTCUSDT,ETHUSDT'),
      rate: numberOption(args, 'rate', { min: 0.001, max: 1_000_000 }) ?? 50,
      seed: numberOption(args, 'seed', { integer: true }) ?? 1,
      halfLifeSec: numberOption(args, 'half-life', { min: 0.001 }),
      replay,
      speed: speed === 0 ? Number.POSITIVE_INFINITY : speed,
    };
    const { runSimulateCommand } = await import('../../feedserver/cli');
    let server;
    try {
      server = await runSimulateCommand(options);
    } catch (error) {
      throw listenFailure(error, port);
    }
    await untilSignalOrTimeout(durationS === undefined ? undefined : durationS * 1000);
    await server.close();
    return 0;
  },
};

/** A failed listen on 127.0.0.1 as one sentence (busy port, privileged port), else as is. */
export function listenFailure(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new CliFailure(`port ${port} on 127.0.0.1 is in use; choose another with --port`);
  }
  if (code === 'EACCES') {
    return new CliFailure(
      `not allowed to listen on port ${port} of 127.0.0.1; choose another with --port`,
    );
  }
  return error;
}
