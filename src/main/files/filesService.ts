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
} from '../../core/contract/contract';
import type { ReplayCatalog } from '../app/replayFiles';
import type { Platform } from '../platform/interfaces';
import type { PairDeskStore } from '../store/store';

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

/** A CSV being exported: the header and then rows, written with back-pressure by the service. */
export interface AnalyticsExportSource {
  /** File name stem, e.g. `BTCUSDT-ETHUSDT-1m-analytics-20240718T2357Z-20240719T0005Z.csv`. */
  fileName(fromMs?: number, toMs?: number): string;
  /** CSV lines (header first, each ending in `\n`) of the current selection's analytics. */
  lines(fromMs?: number, toMs?: number): AsyncIterable<string>;
}

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
  analytics: AnalyticsExportSource;
}

export class FilesService {
  constructor(private readonly options: FilesServiceOptions) {}

  /** Answers one of FILES_CHANNELS; the request is already validated (parseRequest). */
  async handle<C extends FilesChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    void request;
    void this.options;
    throw new Error(`${channel} is not implemented yet`);
  }

  /** Cancels running jobs and removes temporary files. */
  async close(): Promise<void> {}
}
