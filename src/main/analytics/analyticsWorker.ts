/**
 * The analytics worker thread (entry point; see workerEntry.ts for how it is located). Two roles
 * share this file, chosen by workerData.role:
 * - 'analytics' (started by AnalyticsHost): keeps the LivePairAnalytics state of the selection,
 *   turns bars + feed time into rows, posts series updates (reset / append), answers requests
 *   and schedules the stationarity tests;
 * - 'tests' (started by the analytics role): runs Engle–Granger, ADF, half-life and Hurst on the
 *   retained rows it is sent. On its own thread so a long run (≈2 s at 100k bars) never delays
 *   rows, and so the time budget can be enforced by terminating it.
 * All statistics happen here; the main thread only moves bars in and columns out.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import type { AnalyticsSelection, StationarityReport } from '../../core/contract/contract';
import { columnTransferList } from '../../core/analysis/analyticsColumns';
import { LivePairAnalytics } from '../../core/analysis/liveAnalytics';
import { stationarityReport } from '../../core/analysis/stationarity';
import type {
  AnalyticsWorkerData,
  HostToWorker,
  TestsJob,
  TestsResult,
  WorkerPerf,
  WorkerRequest,
  WorkerResponseValue,
  WorkerSettings,
  WorkerToHost,
} from './protocol';
import { startWorker } from './workerEntry';

// ---- tests role -------------------------------------------------------------------------------

function runTestsRole(port: MessagePort): void {
  port.on('message', (job: TestsJob) => {
    const computedAtMs = Date.now();
    const t0 = performance.now();
    const body = stationarityReport({
      selection: job.selection,
      tfMs: job.tfMs,
      a: job.a,
      b: job.b,
      spread: job.spread,
    });
    const report: StationarityReport = {
      ...body,
      computedAtMs,
      durationMs: performance.now() - t0,
    };
    const result: TestsResult = { id: job.id, report };
    port.postMessage(result);
  });
}

// ---- analytics role ---------------------------------------------------------------------------

function failedReport(job: TestsJob, reason: string, durationMs: number): StationarityReport {
  const outcome = { ok: false as const, reason };
  return {
    selection: job.selection,
    computedAtMs: Date.now(),
    durationMs,
    bars: job.a.length,
    hedgeRegression: null,
    engleGranger: outcome,
    adf: outcome,
    halfLifeBars: null,
    halfLifeMs: null,
    hurst: null,
    reading: `The stationarity tests did not finish: ${reason}.`,
  };
}

/** One stationarity run at a time on a dedicated thread, with a time budget. */
class TestsRunner {
  private worker: Worker | null = null;
  private current: {
    id: number;
    job: TestsJob;
    resolve: (r: StationarityReport) => void;
    timer: NodeJS.Timeout;
    t0: number;
  } | null = null;
  private nextId = 1;

  constructor(private readonly data: AnalyticsWorkerData) {}

  get busy(): boolean {
    return this.current !== null;
  }

  run(job: Omit<TestsJob, 'id'>, budgetMs: number): Promise<StationarityReport> {
    if (this.current) throw new Error('a stationarity run is already in progress');
    const id = this.nextId++;
    const full: TestsJob = { ...job, id };
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const elapsed = performance.now() - (this.current?.t0 ?? 0);
        this.kill();
        this.finish(
          id,
          failedReport(
            full,
            `took longer than the ${(budgetMs / 1000).toFixed(1)} s budget on ${full.a.length} bars (lower the lookback)`,
            elapsed,
          ),
        );
      }, budgetMs);
      this.current = { id, job: full, resolve, timer, t0: performance.now() };
      worker.postMessage(full, [full.a.buffer, full.b.buffer, full.spread.buffer] as ArrayBuffer[]);
    });
  }

  terminate(): void {
    this.kill();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = startWorker({ url: new URL(this.data.entryUrl), tsxApiUrl: this.data.tsxApiUrl }, {
      ...this.data,
      role: 'tests',
    } satisfies AnalyticsWorkerData);
    w.on('message', (m: TestsResult) => {
      const cur = this.current;
      if (cur && m.id === cur.id) this.finish(m.id, m.report);
    });
    w.on('error', (error: Error) => {
      const cur = this.current;
      if (this.worker === w) this.worker = null;
      if (cur) {
        this.finish(
          cur.id,
          failedReport(
            cur.job,
            `the tests thread failed: ${error.message}`,
            performance.now() - cur.t0,
          ),
        );
      }
    });
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private finish(id: number, report: StationarityReport): void {
    const cur = this.current;
    if (!cur || cur.id !== id) return;
    clearTimeout(cur.timer);
    this.current = null;
    cur.resolve(report);
  }

  private kill(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
  }
}

class AnalyticsWorker {
  private epoch = -1;
  private session: LivePairAnalytics | null = null;
  private selection: AnalyticsSelection | null = null;
  private tfMs = 0;
  private settings: WorkerSettings = {
    graceMs: 250,
    testEveryBars: 20,
    testBudgetMs: 15_000,
    staticRefitBars: 20,
  };
  private lastReport: StationarityReport | null = null;
  private rowsSinceTests = 0;
  private readonly tests: TestsRunner;
  /** Requests waiting for the next run that starts. */
  private waiting: number[] = [];
  private rerun = false;
  private readonly perf: WorkerPerf = {
    liveRows: 0,
    liveMs: 0,
    usPerLiveRow: NaN,
    recomputeRows: 0,
    recomputeMs: 0,
    recomputeBars: 0,
    testsRuns: 0,
    lastTestsMs: 0,
  };

  constructor(
    private readonly port: MessagePort,
    data: AnalyticsWorkerData,
  ) {
    this.tests = new TestsRunner(data);
  }

  handle(msg: HostToWorker): void {
    switch (msg.type) {
      case 'configure':
        this.configure(msg);
        return;
      case 'feed':
        this.feed(msg);
        return;
      case 'request':
        this.request(msg.id, msg.request);
        return;
      case 'crash':
        throw new Error(msg.message);
      case 'exhaustMemory': {
        const hog: number[][] = [];
        for (;;) hog.push(new Array<number>(1 << 20).fill(hog.length));
      }
    }
  }

  private post(msg: WorkerToHost, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(msg, transfer);
  }

  private configure(msg: Extract<HostToWorker, { type: 'configure' }>): void {
    const t0 = performance.now();
    this.epoch = msg.epoch;
    this.selection = msg.selection;
    this.tfMs = msg.tfMs;
    this.settings = msg.settings;
    const session = new LivePairAnalytics({
      selection: msg.selection,
      tfMs: msg.tfMs,
      graceMs: msg.settings.graceMs,
      staticRefitBars: msg.settings.staticRefitBars,
    });
    session.load(
      { startMs: msg.barsA.startMs, close: msg.barsA.close, barTfMs: msg.tfMs },
      { startMs: msg.barsB.startMs, close: msg.barsB.close, barTfMs: msg.tfMs },
      msg.feedNowMs,
    );
    this.session = session;
    this.perf.recomputeMs = performance.now() - t0;
    this.perf.recomputeRows = session.size;
    this.perf.recomputeBars = msg.barsA.startMs.length + msg.barsB.startMs.length;
    this.lastReport = null;
    this.rowsSinceTests = 0;
    this.flush();
    this.scheduleTests(true);
  }

  private feed(msg: Extract<HostToWorker, { type: 'feed' }>): void {
    const session = this.session;
    if (!session || msg.epoch !== this.epoch) return;
    const t0 = performance.now();
    for (const bar of msg.bars) {
      // Bars of another timeframe cannot be resampled onto this grid unless they divide it.
      if (bar.timeframeMs > this.tfMs || this.tfMs % bar.timeframeMs !== 0) continue;
      session.addBar(bar.leg, bar.startMs, bar.close, bar.timeframeMs);
    }
    const n = session.advance(msg.feedNowMs);
    if (n > 0) {
      this.perf.liveRows += n;
      this.perf.liveMs += performance.now() - t0;
      this.perf.usPerLiveRow = (this.perf.liveMs * 1000) / this.perf.liveRows;
    }
    this.flush();
    this.rowsSinceTests += n;
    if (this.rowsSinceTests >= this.settings.testEveryBars) this.scheduleTests(false);
  }

  /** Posts what changed since the last flush (reset or appended rows). */
  private flush(): void {
    const session = this.session;
    if (!session || !this.selection) return;
    const update = session.take();
    if (!update) return;
    this.post(
      {
        type: 'series',
        epoch: this.epoch,
        reset: update.reset,
        series: { selection: this.selection, columns: update.columns, warmup: session.warmup() },
      },
      columnTransferList(update.columns),
    );
  }

  private request(id: number, request: WorkerRequest): void {
    const respond = (value: WorkerResponseValue, transfer: ArrayBuffer[] = []): void =>
      this.post({ type: 'response', id, ok: true, value }, transfer);
    try {
      switch (request.kind) {
        case 'series': {
          const session = this.session;
          if (!session || !this.selection) throw new Error('analytics not configured yet');
          const columns = session.series(request.limit);
          respond(
            {
              kind: 'series',
              series: { selection: this.selection, columns, warmup: session.warmup() },
            },
            columnTransferList(columns),
          );
          return;
        }
        case 'lastTests':
          respond({ kind: 'report', report: this.lastReport });
          return;
        case 'perf':
          respond({ kind: 'perf', perf: { ...this.perf } });
          return;
        case 'runTests':
          if (!this.session) throw new Error('analytics not configured yet');
          this.waiting.push(id);
          if (this.tests.busy) this.rerun = true;
          else this.startTests();
          return;
      }
    } catch (error) {
      this.post({ type: 'response', id, ok: false, error: (error as Error).message });
    }
  }

  /** A scheduled run: skipped while the previous one is still running. */
  private scheduleTests(afterConfigure: boolean): void {
    if (this.tests.busy) {
      if (afterConfigure) this.rerun = true;
      return;
    }
    this.startTests();
  }

  private startTests(): void {
    const session = this.session;
    const selection = this.selection;
    if (!session || !selection) return;
    this.rowsSinceTests = 0;
    this.rerun = false;
    // Live static: β is re-estimated over the lookback before every run (a change redraws).
    if (session.refitStatic()) this.flush();
    const input = session.testInput();
    const epoch = this.epoch;
    const waiters = this.waiting;
    this.waiting = [];
    const t0 = performance.now();
    void this.tests
      .run(
        { selection, tfMs: this.tfMs, a: input.a, b: input.b, spread: input.spread },
        this.settings.testBudgetMs,
      )
      .then((report) => {
        this.perf.testsRuns++;
        this.perf.lastTestsMs = performance.now() - t0;
        if (epoch === this.epoch) {
          this.lastReport = report;
          this.post({ type: 'stationarity', epoch, report });
          for (const id of waiters) {
            this.post({ type: 'response', id, ok: true, value: { kind: 'report', report } });
          }
        } else {
          // The selection changed meanwhile: those callers want the new one.
          this.waiting.unshift(...waiters);
          this.rerun = true;
        }
        if (this.rerun || this.waiting.length > 0) this.startTests();
      });
  }
}

// ---- entry ------------------------------------------------------------------------------------

const port = parentPort;
const data = workerData as AnalyticsWorkerData | undefined;
if (port && data) {
  if (data.role === 'tests') runTestsRole(port);
  else {
    const worker = new AnalyticsWorker(port, data);
    port.on('message', (msg: HostToWorker) => worker.handle(msg));
    port.postMessage({ type: 'ready' } satisfies WorkerToHost);
  }
}
