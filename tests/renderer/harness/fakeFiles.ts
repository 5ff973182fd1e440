/**
 * The fake bridge's "files in and out" (issue #10), with FAKE data: files registered from
 * browser uploads (the real browser server's `/files/upload` stores them under `dataDir`) or
 * paths, inspected with the real core detector, "imported" at a paced rate with `transfer`
 * progress and a line-level check (column count, numeric price), datasets kept in memory, and
 * CSV exports written to `<dataDir>/downloads/<id>/` for the real `/files/download/<id>`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type {
  DatasetSummary,
  EventMap,
  EventName,
  ExportRequest,
  FileInspection,
  ImportRequest,
  ImportResult,
  PickedFile,
  RejectedLine,
  RequestChannel,
  SourceInfo,
  TransferProgress,
} from '../../../src/core/contract/contract';
import { parseRequest } from '../../../src/core/contract/schemas';
import { TIMEFRAME_MS, type Timeframe } from '../../../src/core/market/types';
import { detectFormat } from '../../../src/core/formats/detect';
import { symbolFromFileName } from '../../../src/core/formats/fileName';
import { sourceInfo } from '../../support/sourceInfo';

export interface FakeFilesOptions {
  dataDir: string;
  /** How long a fake import takes, ms (paced so the progress can be seen). */
  importMs: number;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  source(): SourceInfo;
  setSource(source: SourceInfo): void;
  /** The CSV of a bars or ticks export, from the fake market. */
  csvFor(request: ExportRequest): { fileName: string; text: string };
}

interface Registered extends PickedFile {
  path: string;
}

interface Job {
  cancelled: boolean;
}

const TRANSFER_EVERY_MS = 100;

export class FakeFiles {
  private readonly files = new Map<string, Registered>();
  private readonly jobs = new Map<string, Job>();
  private readonly reports = new Map<string, RejectedLine[]>();
  readonly datasets: DatasetSummary[];
  private nextDataset = 4;
  /** Every CSV exported, in order (tests compare the downloads with them). */
  readonly exported: { fileName: string; text: string }[] = [];
  /** Every request these handlers received, in order (tests). */
  readonly requests: { channel: RequestChannel; request: unknown }[] = [];

  constructor(private readonly options: FakeFilesOptions) {
    const day = Date.UTC(2024, 6, 18);
    const row = (over: Partial<DatasetSummary>): DatasetSummary => ({
      id: 0,
      origin: 'live',
      label: '',
      source: null,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      firstMs: day,
      lastMs: day + 3_600_000,
      ticks: 1_284_113,
      bars: 86_400,
      barsOnly: null,
      sizeBytes: 96 * 1024 * 1024,
      createdMs: day,
      active: false,
      ...over,
    });
    this.datasets = [
      row({ id: 3, origin: 'replay', label: 'Replay um-btcusdt-ethusdt-2024-07-18.jsonl.gz' }),
      row({ id: 2, origin: 'demo', label: 'Simulated market', sizeBytes: 12 * 1024 * 1024 }),
      row({ id: 1, origin: 'live', label: 'Binance USD-M futures' }),
    ];
    mkdirSync(options.dataDir, { recursive: true });
  }

  /** The browser server's upload hook: registers the stored file. */
  register(path: string): PickedFile {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`${basename(path)} is not a regular file`);
    const picked: Registered = {
      id: randomBytes(6).toString('hex'),
      name: basename(path),
      sizeBytes: st.size,
      path,
    };
    this.files.set(picked.id, picked);
    return { id: picked.id, name: picked.name, sizeBytes: picked.sizeBytes };
  }

  /** Rows with `active` for the running source's dataset, newest first. */
  list(): DatasetSummary[] {
    const active = this.options.source().datasetId;
    return this.datasets
      .map((d) => ({ ...d, active: d.id === active }))
      .sort((a, b) => b.id - a.id);
  }

  handles(channel: RequestChannel): boolean {
    return (
      channel.startsWith('files.') ||
      channel.startsWith('datasets.') ||
      channel === 'export.csv' ||
      channel === 'replay.control'
    );
  }

  async handle(channel: RequestChannel, raw: unknown): Promise<unknown> {
    this.requests.push({ channel, request: raw });
    switch (channel) {
      case 'files.open':
        parseRequest(channel, raw);
        throw new Error('there is no native open dialog in browser mode: upload instead');
      case 'files.register':
        return parseRequest(channel, raw).paths.map((p) => this.register(p));
      case 'files.inspect':
        return parseRequest(channel, raw).fileIds.map((id) => this.inspect(this.file(id)));
      case 'files.import':
        return this.runImport(parseRequest(channel, raw));
      case 'files.replay':
        return this.startReplay(parseRequest(channel, raw));
      case 'files.cancel': {
        const job = this.jobs.get(parseRequest(channel, raw).jobId);
        if (job) job.cancelled = true;
        return { cancelled: job !== undefined };
      }
      case 'replay.control':
        return this.control(parseRequest(channel, raw));
      case 'datasets.list':
        parseRequest(channel, raw);
        return this.list();
      case 'datasets.open': {
        const row = this.dataset(parseRequest(channel, raw).id);
        const source = sourceInfo({
          kind: 'replay',
          label: row.label,
          datasetId: row.id,
          state: 'ended',
          stored: true,
          barsOnly: row.barsOnly,
        });
        this.options.setSource(source);
        this.emitList();
        return source;
      }
      case 'datasets.rename': {
        const req = parseRequest(channel, raw);
        const row = this.dataset(req.id);
        row.label = req.label;
        this.emitList();
        return this.list().find((d) => d.id === row.id);
      }
      case 'datasets.delete': {
        const { id } = parseRequest(channel, raw);
        const row = this.dataset(id);
        if (row.id === this.options.source().datasetId)
          throw new Error(`dataset ${id} is in use and cannot be deleted now`);
        this.datasets.splice(this.datasets.indexOf(row), 1);
        this.emitList();
        return { deleted: true, reclaimedBytes: row.sizeBytes };
      }
      case 'export.csv':
        return this.runExport(parseRequest(channel, raw));
      default:
        throw new Error(`"${channel}" is not a files channel`);
    }
  }

  private file(id: string): Registered {
    const file = this.files.get(id);
    if (!file) throw new Error(`file ${id} is not registered (any more)`);
    return file;
  }

  private dataset(id: number): DatasetSummary {
    const row = this.datasets.find((d) => d.id === id);
    if (!row) throw new Error(`there is no dataset ${id}`);
    return row;
  }

  private emitList(): void {
    this.options.emit('datasets', this.list());
  }

  private inspect(file: Registered): FileInspection {
    const head = readFileSync(file.path, 'utf8').split(/\r?\n/).slice(0, 50);
    const detection = detectFormat(head, file.name);
    const fromName = symbolFromFileName(file.name)?.symbol ?? null;
    const base = {
      fileId: file.id,
      name: file.name,
      member: null,
      container: 'plain' as const,
      sizeBytes: file.sizeBytes,
    };
    if (!detection.ok) {
      return {
        ...base,
        format: null,
        reason: detection.reason,
        symbols: [],
        needsSymbol: false,
        barsTimeframe: null,
        replayable: false,
      };
    }
    const bars = ['klines', 'ohlc-csv', 'pairdesk-bars'].includes(detection.format);
    const tf = (Object.keys(TIMEFRAME_MS) as Timeframe[]).find(
      (t) => TIMEFRAME_MS[t] === detection.barsTimeframeMs,
    );
    return {
      ...base,
      format: detection.format,
      reason: detection.reason,
      symbols: fromName ? [fromName] : [],
      needsSymbol: fromName === null && !detection.format.startsWith('ndjson'),
      barsTimeframe: bars ? (tf ?? null) : null,
      replayable: ['aggTrades', 'trades', 'ndjson-raw', 'ndjson-combined'].includes(
        detection.format,
      ),
    };
  }

  private progress(over: Partial<TransferProgress> & Pick<TransferProgress, 'jobId'>) {
    const event: TransferProgress = {
      kind: 'import',
      label: '',
      state: 'running',
      bytesDone: 0,
      bytesTotal: 0,
      lines: 0,
      linesPerSec: 0,
      fraction: 0,
      etaMs: null,
      datasetId: null,
      message: null,
      ...over,
    };
    this.options.emit('transfer', event);
  }

  private async runImport(request: ImportRequest): Promise<ImportResult> {
    const started = Date.now();
    const jobId = `imp-${randomBytes(4).toString('hex')}`;
    const files = request.fileIds.map((id) => this.file(id));
    const label = files.map((f) => f.name).join(', ');
    const inspections = files.map((f) => this.inspect(f));
    const checked = files.map((f) => checkLines(f.name, readFileSync(f.path, 'utf8')));
    const totalLines = checked.reduce((n, c) => n + c.lines, 0);
    const bytesTotal = files.reduce((n, f) => n + f.sizeBytes, 0);
    const job: Job = { cancelled: false };
    this.jobs.set(jobId, job);
    const steps = Math.max(1, Math.round(this.options.importMs / TRANSFER_EVERY_MS));
    for (let step = 0; step < steps && !job.cancelled; step++) {
      const fraction = step / steps;
      const elapsed = Math.max(1, Date.now() - started);
      this.progress({
        jobId,
        label,
        bytesDone: Math.round(bytesTotal * fraction),
        bytesTotal,
        lines: Math.round(totalLines * fraction),
        linesPerSec: (totalLines * fraction * 1000) / elapsed,
        fraction,
        etaMs: fraction > 0 ? Math.round((elapsed / fraction) * (1 - fraction)) : null,
      });
      await new Promise((r) => setTimeout(r, TRANSFER_EVERY_MS));
    }
    this.jobs.delete(jobId);
    const rejected = checked.flatMap((c) => c.rejected);
    const ticks = checked.reduce((n, c) => n + c.ticks, 0);
    const symbols = [
      ...new Set(
        inspections.flatMap((i) => i.symbols).concat(Object.values(request.symbols ?? {})),
      ),
    ];
    const reportId = rejected.length > 0 ? `rep-${randomBytes(4).toString('hex')}` : null;
    if (reportId) this.reports.set(reportId, rejected);
    const byReason: Record<string, number> = {};
    for (const r of rejected) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    let datasetId: number | null = null;
    let message: string;
    if (job.cancelled) {
      message = `import cancelled after ${totalLines} lines; the partial dataset was deleted`;
    } else {
      datasetId = this.nextDataset++;
      const day = Date.UTC(2024, 6, 18);
      this.datasets.push({
        id: datasetId,
        origin: 'import',
        label: request.name ?? files.map((f) => f.name.replace(/\.csv$/, '')).join(' + '),
        source: label,
        symbols,
        firstMs: day,
        lastMs: day + 86_399_000,
        ticks,
        bars: Math.ceil(ticks / 10),
        barsOnly: null,
        sizeBytes: bytesTotal * 3,
        createdMs: Date.now(),
        active: false,
      });
      message = `imported ${ticks} ticks of ${symbols.join(', ')} into dataset ${datasetId}`;
    }
    const state = job.cancelled ? 'cancelled' : 'done';
    this.progress({
      jobId,
      label,
      state,
      bytesDone: bytesTotal,
      bytesTotal,
      lines: totalLines,
      fraction: job.cancelled ? null : 1,
      datasetId,
      message,
    });
    this.emitList();
    return {
      jobId,
      datasetId,
      state,
      files: files.map((f, i) => ({
        name: f.name,
        member: null,
        format: inspections[i].format,
        lines: checked[i].lines,
        ticks: checked[i].ticks,
        bars: 0,
        rejected: checked[i].rejected.length,
        error: null,
      })),
      ticks,
      bars: Math.ceil(ticks / 10),
      rejects: { total: rejected.length, byReason, first: rejected.slice(0, 100), reportId },
      elapsedMs: Date.now() - started,
      message,
    };
  }

  private startReplay(request: ImportRequest & { speed?: number }): SourceInfo {
    const files = request.fileIds.map((id) => this.file(id));
    const datasetId = this.nextDataset++;
    const label = files.map((f) => f.name).join(', ');
    this.datasets.push({
      ...this.datasets[0],
      id: datasetId,
      origin: 'replay',
      label: request.name ?? `Replay ${label}`,
      source: label,
      createdMs: Date.now(),
    });
    const source = sourceInfo({
      kind: 'replay',
      label: `Replay ${label}`,
      datasetId,
      speed: request.speed ?? 10,
      fileName: label,
      paused: false,
    });
    this.options.setSource(source);
    this.progress({ jobId: `replay-${datasetId}`, kind: 'replay', label, fraction: 0 });
    this.emitList();
    return source;
  }

  private control(control: { action: string; speed?: number }): SourceInfo {
    const current = this.options.source();
    if (current.kind !== 'replay' || current.stored) throw new Error('no replay is running');
    const next: SourceInfo = { ...current };
    if (control.action === 'pause') next.paused = true;
    if (control.action === 'resume' || control.action === 'restart') next.paused = false;
    if (control.action === 'speed' && control.speed !== undefined) next.speed = control.speed;
    this.options.setSource(next);
    this.progress({
      jobId: `replay-${current.datasetId}`,
      kind: 'replay',
      label: current.fileName ?? current.label,
      state: next.paused ? 'paused' : 'running',
      fraction: control.action === 'restart' ? 0 : 0.5,
    });
    return next;
  }

  private async runExport(request: ExportRequest) {
    const jobId = `exp-${randomBytes(4).toString('hex')}`;
    let csv: { fileName: string; text: string };
    if (request.what === 'rejects') {
      const lines = this.reports.get(request.reportId);
      if (!lines) throw new Error(`no reject report ${request.reportId}`);
      csv = {
        fileName: `rejects-${request.reportId}.csv`,
        text: ['file,line,reason,field,message']
          .concat(lines.map((r) => `${r.file},${r.line},${r.reason},${r.field ?? ''},${r.message}`))
          .join('\n')
          .concat('\n'),
      };
    } else csv = this.options.csvFor(request);
    const rows = Math.max(0, csv.text.split('\n').filter(Boolean).length - 1);
    this.progress({ jobId, kind: 'export', label: csv.fileName, fraction: 0 });
    await new Promise((r) => setTimeout(r, 150));
    const id = randomBytes(9).toString('base64url');
    const folder = join(this.options.dataDir, 'downloads', id);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, csv.fileName), csv.text);
    this.exported.push(csv);
    this.progress({
      jobId,
      kind: 'export',
      label: csv.fileName,
      state: 'done',
      lines: rows,
      fraction: 1,
      message: `wrote ${rows} rows to ${csv.fileName}`,
    });
    return {
      jobId,
      fileName: csv.fileName,
      savedTo: null,
      downloadUrl: `/files/download/${id}`,
      rows,
      bytes: Buffer.byteLength(csv.text),
      cancelled: false,
    };
  }
}

/**
 * A rough line check for the fake: the first line with a letter is the header; a data line is
 * rejected when its column count differs from the first data line's or its 2nd column is not a
 * positive number.
 */
function checkLines(file: string, text: string) {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const rejected: RejectedLine[] = [];
  let columns = -1;
  let ticks = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (i === 0 && /[a-z]/i.test(cells[1] ?? cells[0])) return; // header
    if (columns < 0) columns = cells.length;
    const price = Number(cells[1]);
    if (cells.length !== columns) {
      rejected.push({
        file,
        line: i + 1,
        reason: 'bad_line',
        message: `expected ${columns} columns, found ${cells.length}`,
      });
    } else if (!(price > 0)) {
      rejected.push({
        file,
        line: i + 1,
        reason: 'bad_price',
        field: 'price',
        message: `"${cells[1]}" is not a positive number`,
      });
    } else ticks += 1;
  });
  return { lines: lines.length, ticks, rejected };
}
