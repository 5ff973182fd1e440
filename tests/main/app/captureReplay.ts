/**
 * The real capture (UM_2024_07_18) through the app's services and through `analyze`: the shared
 * steps of the tests that compare a replay played to its end with `analyze` on the same file.
 */
import type { HedgeMethod } from '../../../src/core/contract/contract';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import type { Platform } from '../../../src/main/platform/interfaces';
import { UM_2024_07_18 } from '../../support/realData';
import { runAnalyzeCli, type CliRun } from '../analyze/helpers';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** startPairDeskApp replaying the capture into `dbFile` at `speed`. */
export function startCaptureReplay(
  dbFile: string,
  speed: number,
  platform?: Platform,
): Promise<PairDeskApp> {
  return startPairDeskApp({
    dbFile,
    source: 'replay',
    replayFile: UM_2024_07_18,
    replaySpeed: speed,
    platform,
  });
}

/** Waits until the replay's source is no longer running (ended, or failed). */
export function replayStopped(app: PairDeskApp, timeoutMs: number): Promise<void> {
  return waitFor(() => app.services.source.state !== 'running', timeoutMs, 'the replay to end');
}

/** `analyze` on the capture: BTCUSDT/ETHUSDT at 1s with W, lookback and hedge, CSV (and JSON). */
export function analyzeCapture(options: {
  window: number;
  lookback: number;
  hedge: HedgeMethod;
  out: string;
  json?: string;
  /** `--alerts-out`: the z-score rule's events at the default K = 2, R = 0.5, K_crit = 3. */
  alertsOut?: string;
}): Promise<CliRun> {
  return runAnalyzeCli([
    UM_2024_07_18,
    '--pair',
    'BTCUSDT/ETHUSDT',
    '--timeframe',
    '1s',
    '--window',
    String(options.window),
    '--lookback',
    String(options.lookback),
    '--hedge',
    options.hedge,
    '--out',
    options.out,
    ...(options.json === undefined ? [] : ['--json', options.json]),
    ...(options.alertsOut === undefined ? [] : ['--alerts-out', options.alertsOut]),
  ]);
}
