/**
 * Files in and out (issue #10): the files the user picked, dropped or uploaded, imports with
 * progress and cancel, the dataset manager and CSV exports. Plain Node: the open/save dialogs
 * come in through `Platform`; `PairDeskServices` composes it and routes the contract's
 * `files.*` (but `files.replay`), `datasets.*` (but `datasets.open`) and `export.csv` here.
 */
import type {
  EventMap,
  EventName,
  RequestChannel,
  RequestOf,
  ResponseOf,
  Settings,
} from '../../core/contract/contract';
import type {
  DatasetSummary,
  ExportRequest,
  ExportResult,
  FileInspection,
  ImportResult,
  PickedFile,
  TransferProgress,
} from '../../core/contract/files';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReplayCatalog } from '../app/replayFiles';
import type { FileFilter, Platform } from '../platform/interfaces';
import type { PairDeskStore } from '../store/store';
import { DatasetManager } from './datasets/datasetManager';
import { ExportService } from './export/exportService';
import { runImport } from './import/importJob';
import { inspectFile } from './import/inspectFiles';
import { JobTable, ProgressRelay } from './jobs';
import { PickedFiles } from './pickedFiles';

/** The channels this service answers. */
export const FILES_CHANNELS = [
  'files.open',
  'files.register',
  'files.inspect',
  'files.import',
  'files.cancel',
  'datasets.list',
  'datasets.rename',
  'datasets.delete',
  'export.csv',
] as const satisfies readonly RequestChannel[];
export type FilesChannel = (typeof FILES_CHANNELS)[number];

export function isFilesChannel(channel: RequestChannel): channel is FilesChannel {
  return (FILES_CHANNELS as readonly string[]).includes(channel);
}

/** The open dialog's filters: every format PairDesk reads (detected from content), then all. */
export const OPEN_FILE_FILTERS: FileFilter[] = [
  {
    name: 'Market data (CSV, ZIP, GZ, NDJSON)',
    extensions: ['csv', 'zip', 'gz', 'ndjson', 'jsonl'],
  },
  { name: 'CSV', extensions: ['csv'] },
  { name: 'ZIP archives', extensions: ['zip'] },
  { name: 'Gzip', extensions: ['gz'] },
  { name: 'NDJSON captures', extensions: ['ndjson', 'jsonl'] },
  { name: 'All files', extensions: ['*'] },
];

export const NO_OPEN_DIALOG =
  "no file dialog in this mode; use the page's Open file button (upload)";

export interface FilesServiceOptions {
  store: PairDeskStore;
  /** Folder for uploads, browser-mode exports and reject reports (created on demand). */
  dataDir: string;
  /** The registry of files the user chose; ids it hands out are the `fileId`s. */
  catalog: ReplayCatalog;
  /** Native dialogs; absent in headless modes. */
  platform?: Platform;
  emit: <E extends EventName>(event: E, payload: EventMap[E]) => void;
  /** Datasets being written now (the running source): not deletable. */
  activeDatasetIds: () => number[];
  /** The dataset the views show: the default of bar and tick exports. */
  viewedDatasetId: () => number;
  /**
   * The session's settings: the pair, timeframe and analytics parameters an analytics export
   * uses (without it, that export fails with a plain message).
   */
  settings?: () => Settings;
}

type Handlers = { [C in FilesChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export class FilesService {
  private readonly picked: PickedFiles;
  private readonly jobs = new JobTable();
  private readonly datasets: DatasetManager;
  /** Datasets the running imports are writing (from their progress): not deletable. */
  private readonly importing = new Map<string, number>();
  private readonly handlers: Handlers;
  private closed = false;
  /** Imports and exports under way, awaited by close() so none writes to a closed store. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: FilesServiceOptions) {
    this.picked = new PickedFiles(options.catalog);
    this.datasets = new DatasetManager({
      store: options.store,
      activeDatasetIds: () => [...options.activeDatasetIds(), ...this.importing.values()],
    });
    this.handlers = {
      'files.open': (request) => this.open(request.purpose),
      'files.register': async (request) => request.paths.map((path) => this.registerPath(path)),
      'files.inspect': (request) => this.inspect(request.fileIds),
      'files.import': (request) => this.track(this.importFiles(request)),
      'files.cancel': async (request) => ({ cancelled: this.jobs.cancel(request.jobId) }),
      'datasets.list': async () => this.datasets.list(),
      'datasets.rename': async (request) => {
        const renamed = this.datasets.rename(request.id, request.label);
        this.emitDatasets();
        return renamed;
      },
      'datasets.delete': async (request) => {
        const outcome = this.datasets.delete(request.id);
        this.emitDatasets();
        return outcome;
      },
      'export.csv': (request) => this.track(this.exportCsv(request)),
    };
  }

  /** Where uploads, browser-mode exports and reject reports live. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  /** Answers one of FILES_CHANNELS; the request is already validated (parseRequest). */
  async handle<C extends FilesChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (this.closed) throw new Error('PairDesk is shutting down');
    const handler = this.handlers[channel] as (request: RequestOf<C>) => Promise<ResponseOf<C>>;
    return handler(request);
  }

  /**
   * Registers a file the user handed to main (dialog, drop, browser upload): from now on its id
   * works for `files.inspect`, `files.import`, `files.replay`. Throws a plain Error naming the
   * file when it is not a regular, readable file.
   */
  registerPath(path: string): PickedFile {
    return this.picked.register(path);
  }

  /** Running imports and exports. */
  get runningJobs(): number {
    return this.jobs.size;
  }

  /**
   * Cancels running jobs and waits for them to end (each removes its own partial dataset or
   * file), then removes browser-mode exports never downloaded. Uploads stay: they are picked
   * files the catalog remembers.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.jobs.cancelAll();
    await Promise.allSettled([...this.running]);
    await rm(join(this.options.dataDir, 'downloads'), { recursive: true, force: true });
  }

  private track<T>(job: Promise<T>): Promise<T> {
    this.running.add(job);
    const forget = (): void => {
      this.running.delete(job);
    };
    job.then(forget, forget);
    return job;
  }

  private async open(purpose: 'import' | 'replay'): Promise<PickedFile[]> {
    const dialog = this.options.platform?.openDialog;
    if (!dialog) throw new Error(NO_OPEN_DIALOG);
    const title = purpose === 'replay' ? 'Replay files' : 'Import files';
    const paths = await dialog.askOpenPaths(title, OPEN_FILE_FILTERS);
    return paths.map((path) => this.registerPath(path));
  }

  private async inspect(fileIds: string[]): Promise<FileInspection[]> {
    const out: FileInspection[] = [];
    for (const fileId of fileIds) {
      const file = this.picked.resolve(fileId);
      out.push(...(await inspectFile(file.path, fileId)));
    }
    return out;
  }

  private async importFiles(request: RequestOf<'files.import'>): Promise<ImportResult> {
    const files = request.fileIds.map((fileId) => {
      const file = this.picked.resolve(fileId);
      const symbol = request.symbols?.[fileId];
      return { path: file.path, name: file.name, ...(symbol ? { symbol } : {}) };
    });
    const job = this.jobs.start('import');
    const relay = new ProgressRelay((progress) => this.options.emit('transfer', progress));
    const label = files.map((f) => f.name).join(', ');
    try {
      const result = await runImport(
        { store: this.options.store, dataDir: this.options.dataDir },
        files,
        {
          ...(request.name !== undefined ? { name: request.name } : {}),
          jobId: job.id,
          signal: job.controller.signal,
          onProgress: (progress) => {
            if (progress.datasetId !== null) this.importing.set(job.id, progress.datasetId);
            relay.push(progress);
          },
        },
      );
      relay.end(finalProgress(relay.latest, job.id, label, result));
      return result;
    } catch (error) {
      relay.end({
        ...(relay.latest ?? emptyProgress(job.id, 'import', label)),
        state: 'failed',
        message: `import failed: ${messageOf(error)}`,
      });
      throw error;
    } finally {
      this.jobs.finish(job.id);
      this.importing.delete(job.id);
      this.emitDatasets();
    }
  }

  /**
   * Save dialog where there is one, else `<dataDir>/downloads/<jobId>/` for the browser server's
   * `/files/download/<jobId>`. The exporter sends its own final event (done, cancelled, failed).
   */
  private async exportCsv(request: ExportRequest): Promise<ExportResult> {
    const job = this.jobs.start('export');
    const relay = new ProgressRelay((progress) => this.options.emit('transfer', progress));
    const { settings } = this.options;
    const exporter = new ExportService({
      store: this.options.store,
      dataDir: this.options.dataDir,
      ...(this.options.platform ? { platform: this.options.platform } : {}),
      settings: () => {
        if (!settings) throw new Error('analytics export needs the session settings');
        return settings();
      },
      viewedDatasetId: this.options.viewedDatasetId,
      onProgress: (progress) =>
        progress.state === 'running' ? relay.push(progress) : relay.end(progress),
    });
    try {
      return await exporter.run(request, job.controller.signal, job.id);
    } finally {
      this.jobs.finish(job.id);
    }
  }

  /** Pushes the dataset list (after an import, a rename or a delete); never throws. */
  private emitDatasets(): void {
    let list: DatasetSummary[];
    try {
      list = this.datasets.list();
    } catch {
      return; // the database is closing: nothing to announce
    }
    this.options.emit('datasets', list);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function emptyProgress(
  jobId: string,
  kind: TransferProgress['kind'],
  label: string,
): TransferProgress {
  return {
    jobId,
    kind,
    label,
    state: 'running',
    bytesDone: 0,
    bytesTotal: 0,
    lines: 0,
    linesPerSec: 0,
    fraction: null,
    etaMs: null,
    datasetId: null,
    message: null,
  };
}

/**
 * The job's last `transfer` event: the importer's own final report when it sent one, else the
 * newest progress closed with the result's state and message.
 */
function finalProgress(
  latest: TransferProgress | null,
  jobId: string,
  label: string,
  result: ImportResult,
): TransferProgress {
  if (latest && latest.state !== 'running' && latest.message !== null) return latest;
  const base = latest ?? emptyProgress(jobId, 'import', label);
  return {
    ...base,
    state: result.state,
    datasetId: result.datasetId,
    fraction: result.state === 'done' ? 1 : base.fraction,
    etaMs: result.state === 'done' ? 0 : null,
    message: result.message,
  };
}
