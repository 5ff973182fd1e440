/**
 * One running data source: a Recorder fed by Binance (live), by the local feed server's
 * simulated market (demo) or by the local feed server replaying a capture (replay). Demo and
 * replay go through the same feed client and pipeline as live data, over loopback, so what the
 * user sees in a demo is exactly how live data would be handled.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type {
  ConnectionStatus,
  ReplayControl,
  SourceInfo,
  SourceKind,
  TransferProgress,
} from '../../core/contract/contract';
import type { IngestListener } from '../ingest/ingestPipeline';
import { startFeedServer, type FeedServer } from '../feedserver';
import {
  CAPTURE_HEAD_LINES,
  CAPTURE_HEAD_MAX_BYTES,
  captureHeadText,
  CaptureHeadTally,
} from '../feedserver/sources/captureHead';
import { boundedLines, newLineCounters } from '../feedserver/sources/lines';
import { planReplay, type ReplayFileSpec } from '../feedserver/sources/replayPlan';
import type { ReplayReport } from '../feedserver/sources/replaySource';
import { detectContainer } from '../files/input/detect';
import type { OverallStateEvent } from '../feed/types';
import { Recorder } from '../recorder/recorder';
import type { PairDeskStore } from '../store/store';
import { PausableClock } from './pausableClock';
import { ReplayProgressReporter } from './replayProgress';
import { sourceInfoOf } from './sourceInfo';

export const BINANCE_FUTURES_WS = 'wss://fstream.binance.com';
/** How long after a replay's last message the session keeps reading before it ends. */
const REPLAY_DRAIN_MS = 1_000;
/**
 * Replay feed watchdog: a paused replay sends nothing, and the default 10 s watchdog would drop
 * and redial the loopback connection (losing what is sent while it redials).
 */
const REPLAY_WATCHDOG_MS = 6 * 60 * 60 * 1000;

export interface SourceSessionOptions {
  store: PairDeskStore;
  kind: SourceKind;
  symbols: readonly string[];
  /** Live: base URL (default Binance USD-M futures). */
  liveUrl?: string;
  /**
   * Replay: capture file (NDJSON, .gz allowed; a real path the caller has checked), its offered
   * id (`replay.files`) and pace.
   */
  replayFile?: string;
  replayFileId?: string;
  /** Replay: the name the user gave (files.replay's `name`), shown as `Replay <name>`. */
  replayName?: string;
  replaySpeed?: number;
  /**
   * Replay of several files (any trade format: captures, aggTrades / trades CSV, plain, .gz or
   * .zip; real paths the caller has checked), merged by time; takes the place of `replayFile`.
   */
  replayFiles?: readonly ReplayFileSpec[];
  /** Replay progress (`transfer` events, kind 'replay'). */
  onTransfer?: (progress: TransferProgress) => void;
  /** Demo: simulated aggTrades per second and seed. */
  demoRate?: number;
  demoSeed?: number;
  /** Shown with the source: why it runs instead of the stored one (SourceInfo.notice). */
  notice?: string | null;
  listener: IngestListener;
  onConnection: (status: ConnectionStatus) => void;
  onSourceChange: (info: SourceInfo) => void;
}

/** What a capture holds, from its first lines: trade stream kind and symbols. */
export interface CaptureSniff {
  tradeStream: 'aggTrade' | 'trade';
  symbols: string[];
}

/** Reads the head of a capture to learn which trade stream and symbols it carries. */
export async function sniffCapture(file: string): Promise<CaptureSniff> {
  const input = createReadStream(file);
  const gz = (await detectContainer(file)) === 'gzip';
  const text: Readable = gz ? input.pipe(createGunzip()) : input;
  if (gz) input.on('error', (err) => text.destroy(err));
  try {
    return await sniffStream(text, basename(file));
  } finally {
    text.destroy();
    input.destroy();
  }
}

/** The sniff of `sniffCapture` on any byte stream; `name` only names it in the error. */
export async function sniffStream(
  input: Readable | AsyncIterable<Buffer>,
  name: string,
): Promise<CaptureSniff> {
  const tally = new CaptureHeadTally();
  const counters = newLineCounters();
  let n = 0;
  const lines = boundedLines(input, counters, { stopAfterBytes: CAPTURE_HEAD_MAX_BYTES });
  for await (const line of lines) {
    if (++n > CAPTURE_HEAD_LINES) break;
    tally.add(line);
  }
  if (tally.agg + tally.trade === 0) {
    throw new Error(`${name}: no aggTrade or trade messages in ${captureHeadText(counters)}`);
  }
  return { tradeStream: tally.tradeStream(), symbols: tally.symbols() };
}

/**
 * The live source's label: Binance's name only for Binance; another feed URL (`--feed-url`, a
 * local simulator) by its host, so nothing else passes for the exchange.
 */
export function liveLabel(url: string): string {
  try {
    const host = new URL(url).host;
    return host === new URL(BINANCE_FUTURES_WS).host
      ? 'Binance USD-M futures'
      : `Live feed ${host}`;
  } catch {
    return 'Live feed';
  }
}

/** Trades sent by a replay: messages of the subscribed symbols' trade stream. */
function tradesOf(
  perStream: Record<string, number>,
  symbols: readonly string[],
  tradeStream: 'aggTrade' | 'trade',
): number {
  let n = 0;
  for (const symbol of symbols) n += perStream[`${symbol.toLowerCase()}@${tradeStream}`] ?? 0;
  return n;
}

/** The final progress message of a replay, in plain words. */
function replayOutcome(report: ReplayReport, trades: number, datasetId: number): string {
  if (report.error) return `the replay stopped: ${report.error}`;
  const skipped =
    report.skippedLines > 0
      ? `; ${report.skippedLines.toLocaleString('en-US')} line(s) skipped`
      : '';
  return `replayed ${trades.toLocaleString('en-US')} trades into dataset ${datasetId}${skipped}`;
}

function toConnectionStatus(e: OverallStateEvent): ConnectionStatus {
  return { state: e.state, reason: e.reason, sinceMs: e.since };
}

export class SourceSession {
  readonly recorder: Recorder;
  private info: SourceInfo;
  private stopped = false;

  /** Replay: its progress events. */
  private reporter: ReplayProgressReporter | undefined;
  /** Replay: the symbols its files carry (upper-case, sorted); [] otherwise. */
  replaySymbols: string[] = [];

  private constructor(
    recorder: Recorder,
    info: SourceInfo,
    private readonly server: FeedServer | undefined,
    private readonly options: SourceSessionOptions,
    private readonly clock: PausableClock,
  ) {
    this.recorder = recorder;
    this.info = info;
  }

  static async start(options: SourceSessionOptions): Promise<SourceSession> {
    const { store, kind } = options;
    let server: FeedServer | undefined;
    let url = options.liveUrl ?? BINANCE_FUTURES_WS;
    let symbols = [...options.symbols];
    let tradeStream: 'aggTrade' | 'trade' = 'aggTrade';
    let label = liveLabel(url);
    let speed: number | null = null;
    let fileName: string | null = null;
    if (kind === 'demo') {
      server = await startFeedServer({
        port: 0,
        source: { kind: 'sim', symbols, rate: options.demoRate ?? 40, seed: options.demoSeed ?? 1 },
      });
      url = server.url;
      label = 'Simulated market';
    } else if (kind === 'replay') {
      const files =
        options.replayFiles ?? (options.replayFile ? [{ path: options.replayFile }] : []);
      if (files.length === 0) throw new Error('replay needs a capture file');
      const plan = await planReplay(files);
      speed = options.replaySpeed ?? 10;
      server = await startFeedServer({
        port: 0,
        source: {
          kind: 'replay',
          file: files[0].path,
          inputs: plan.inputs,
          speed,
          startOnFirstSubscriber: true,
        },
      });
      url = server.url;
      symbols = plan.symbols;
      tradeStream = plan.tradeStream;
      fileName = files.map((f) => basename(f.path)).join(' + ');
      label = `Replay ${options.replayName ?? fileName}`;
    }
    const clock = new PausableClock();
    const recorder = new Recorder({
      store,
      symbols,
      url,
      tradeStream,
      datasetKind: kind,
      datasetLabel: kind === 'live' ? 'Live' : label,
      listener: options.listener,
      onConnection: (e) => options.onConnection(toConnectionStatus(e)),
      ...(kind === 'replay'
        ? {
            monotonicNow: () => clock.now(),
            feed: { watchdogMs: REPLAY_WATCHDOG_MS, rotationOverlapMs: 10_000 },
          }
        : {}),
    });
    const info = sourceInfoOf({
      kind,
      label,
      datasetId: recorder.dataset.id,
      state: 'running',
      speed,
      fileId: kind === 'replay' ? (options.replayFileId ?? null) : null,
      fileName,
      notice: options.notice ?? null,
    });
    const session = new SourceSession(recorder, info, server, options, clock);
    const replay = server?.replay;
    if (server && replay && kind === 'replay') {
      const reporter = new ReplayProgressReporter(
        {
          jobId: randomUUID(),
          label: options.replayName ?? fileName ?? label,
          datasetId: info.datasetId,
        },
        () => replay.progress(),
        (p) => options.onTransfer?.(p),
      );
      session.reporter = reporter;
      session.replaySymbols = symbols;
      reporter.start();
      server.replayDone().then(
        async (report) => {
          // Let the last frames cross the socket, then end ingestion: every open bar closes and
          // is stored, and the connection reads "stopped" instead of waiting for a watchdog.
          await new Promise((r) => setTimeout(r, REPLAY_DRAIN_MS));
          if (session.isStopped) return;
          await session.recorder.stop();
          const trades = tradesOf(report.perStream, symbols, tradeStream);
          reporter.finish(
            report.error ? 'failed' : 'done',
            replayOutcome(report, trades, info.datasetId),
          );
          session.update({
            state: report.error ? 'failed' : 'ended',
            error: report.error ?? null,
            tradesReplayed: trades,
            paused: false,
          });
        },
        (error: unknown) => session.update({ state: 'failed', error: String(error) }),
      );
    }
    recorder.start();
    return session;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get source(): SourceInfo {
    return this.info;
  }

  get symbols(): string[] {
    return this.recorder.feed.symbols();
  }

  connection(): ConnectionStatus {
    return toConnectionStatus(this.recorder.feed.state());
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.reporter?.finish('cancelled', 'the replay was stopped before its end');
    await this.recorder.stop();
    await this.server?.close();
  }

  /**
   * Pause, resume or re-pace the running replay (restart is a new session: see PairDeskServices).
   * Paused, nothing is sent and the pipeline's clock stands still; resumed, the replay goes on
   * from where it was, paced from then; a new speed takes effect at once from the data time
   * reached. Throws when this is not a running replay.
   */
  control(control: Exclude<ReplayControl, { action: 'restart' }>): SourceInfo {
    const replay = this.server?.replay;
    if (this.info.kind !== 'replay' || !replay || this.stopped) {
      throw new Error('no replay is running: choose files to replay first');
    }
    if (this.info.state !== 'running') {
      if (control.action !== 'speed') {
        throw new Error(`the replay has ${this.info.state}: restart it to play it again`);
      }
      // Kept for a restart.
      this.update({ speed: control.speed });
      return this.info;
    }
    switch (control.action) {
      case 'pause':
        replay.pause();
        this.clock.pause();
        this.update({ paused: true });
        break;
      case 'resume':
        this.clock.resume();
        replay.resume();
        this.update({ paused: false });
        break;
      case 'speed':
        replay.setSpeed(control.speed);
        this.update({ speed: control.speed });
        break;
    }
    this.reporter?.tick();
    return this.info;
  }

  private update(patch: Partial<SourceInfo>): void {
    if (this.stopped) return;
    this.info = { ...this.info, ...patch };
    this.options.onSourceChange(this.info);
  }
}
