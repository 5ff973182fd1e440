/**
 * `pairdesk simulate`: runs the local Binance-compatible feed server until interrupted. The
 * lead's CLI parses the arguments and calls runSimulateCommand().
 */
import { planReplay } from './sources/replayPlan';
import { startFeedServer, type FeedServer, type FeedServerOptions } from './server';

export interface SimulateCommandOptions {
  /** TCP port on 127.0.0.1 (0 = ephemeral). */
  port: number;
  /** Symbols to simulate, e.g. ['BTCUSDT', 'ETHUSDT'] (ignored when replaying). */
  symbols: string[];
  /** Simulated aggTrades per second, all symbols together. */
  rate: number;
  /** Simulator seed. */
  seed: number;
  /** File to replay instead of simulating: a capture (NDJSON) or a trade CSV; plain, .gz or .zip. */
  replay?: string;
  /** Replay pace multiplier (Infinity or 0 = as fast as possible). */
  speed: number;
  /** Replay: wait for the first subscriber (default true). */
  startOnFirstSubscriber?: boolean;
  /** Mean-reversion half-life of the simulated spreads, seconds (default: presets, 60 s). */
  halfLifeSec?: number;
}

export interface SimulateCommandIo {
  /** Where the banner and replay summary go (default console.log). */
  print?: (line: string) => void;
  /** Extra server options (tests: short ping intervals…). */
  server?: Omit<FeedServerOptions, 'port' | 'source'>;
}

/**
 * Starts the feed server and prints a one-line banner with its URL and what it serves. Returns
 * the running server; the caller keeps the process alive and calls `close()` on SIGINT.
 */
export async function runSimulateCommand(
  options: SimulateCommandOptions,
  io: SimulateCommandIo = {},
): Promise<FeedServer> {
  const print = io.print ?? ((line: string) => console.log(line));
  // Trade CSVs (aggTrades, trades, PairDesk tick exports; .gz, .zip) play as exchange payloads;
  // a file the plan refuses (a capture without trades) is served as it is, as before.
  const plan = options.replay
    ? await planReplay([{ path: options.replay }]).catch(() => null)
    : null;
  const source: FeedServerOptions['source'] = options.replay
    ? {
        kind: 'replay',
        file: options.replay,
        ...(plan ? { inputs: plan.inputs } : {}),
        speed: options.speed,
        startOnFirstSubscriber: options.startOnFirstSubscriber ?? true,
      }
    : {
        kind: 'sim',
        symbols: options.symbols,
        rate: options.rate,
        seed: options.seed,
        ...(options.halfLifeSec !== undefined ? { halfLifeSec: options.halfLifeSec } : {}),
      };
  const server = await startFeedServer({ ...io.server, port: options.port, source });
  print(`pairdesk feed server ${server.url} — ${server.describe()}`);
  if (server.sourceKind === 'replay') {
    server.replayDone().then(
      (r) => {
        const streams = Object.entries(r.perStream)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ');
        const how = r.error ? `failed: ${r.error}` : r.aborted ? 'stopped' : 'ended';
        print(
          `replay ${how} after ${(r.wallMs / 1000).toFixed(1)} s: ${r.messages} messages` +
            (streams ? ` (${streams})` : '') +
            (r.skippedLines > 0 ? `, ${r.skippedLines} lines skipped` : ''),
        );
      },
      () => undefined,
    );
  }
  return server;
}
