/**
 * Files in and out from the UI (issue #10): dropped or opened files to the import sheet,
 * Import / Replay, transfer controls, the dataset manager's actions and CSV exports. Like
 * actions.ts, components call these; only here is it decided how a file reaches main: Electron
 * hands paths (`pathsForFiles` → `files.register`) or opens its own dialog (`files.open`),
 * browser mode uploads the bytes (transport/upload.ts).
 */
import type {
  DatasetSummary,
  ExportRequest,
  ReplayControl,
  SourceInfo,
} from '../core/contract/contract';
import { chartProbe } from './charts/registry';
import { analyticsStore } from './state/analyticsStore';
import { seriesKey } from './state/barsMerge';
import { barsStore } from './state/barsStore';
import {
  connectDatasets,
  datasetsStore,
  deleteDataset,
  openDataset,
  renameDataset,
} from './state/datasetsStore';
import { rangeOf, runExport, visibleRange } from './state/exports';
import type { MsRange } from './state/exports';
import { importStore, inspectPicked, startImport, startReplay } from './state/importStore';
import { sessionStore } from './state/sessionStore';
import { connectTransfers, transfersStore } from './state/transfersStore';
import { getAppApi } from './transport';
import { uploadFile } from './transport/upload';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wires the transfer and dataset stores to the transport; returns the cleanup. */
export function connectFiles(): () => void {
  const api = getAppApi();
  const disconnectTransfers = connectTransfers(transfersStore, api);
  const disconnectDatasets = connectDatasets(datasetsStore, api);
  return () => {
    disconnectDatasets();
    disconnectTransfers();
  };
}

/** Whether files reach main as paths (Electron) rather than uploads (browser mode). */
export function hasNativeFiles(): boolean {
  try {
    return typeof getAppApi().pathsForFiles === 'function';
  } catch {
    return false; // no transport at all: the app's error banner says so
  }
}

let uploadAbort: AbortController | null = null;

/** Files dropped on the window or chosen in the browser's file input. */
export async function addFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  const api = getAppApi();
  const store = importStore.getState();
  if (api.pathsForFiles) {
    store.beginUploads([]);
    try {
      const picked = await api.invoke('files.register', { paths: api.pathsForFiles(files) });
      await inspectPicked(importStore, api, picked);
    } catch (error) {
      importStore.setState({ phase: 'ready', error: `Could not open: ${messageOf(error)}` });
    }
    return;
  }
  store.beginUploads(files.map((f) => ({ name: f.name, size: f.size })));
  uploadAbort?.abort();
  const abort = (uploadAbort = new AbortController());
  try {
    const picked = [];
    for (const [index, file] of files.entries()) {
      picked.push(
        await uploadFile(file, {
          signal: abort.signal,
          onProgress: (loaded, total) =>
            importStore.getState().setUploadProgress(index, loaded, total),
        }),
      );
    }
    await inspectPicked(importStore, api, picked);
  } catch (error) {
    if (abort.signal.aborted) return;
    importStore.setState({ phase: 'ready', error: `Could not upload: ${messageOf(error)}` });
  }
}

/** Stops the uploads in flight and closes the sheet. */
export function closeImportSheet(): void {
  uploadAbort?.abort();
  uploadAbort = null;
  importStore.getState().close();
}

/** Electron's native open dialog ("Open file…"); browser mode uses a file input instead. */
export async function openFilesDialog(purpose: 'import' | 'replay' = 'import'): Promise<void> {
  const api = getAppApi();
  try {
    const picked = await api.invoke('files.open', { purpose });
    await inspectPicked(importStore, api, picked);
  } catch (error) {
    importStore.setState({ phase: 'ready', error: `Could not open: ${messageOf(error)}` });
  }
}

function applySource(source: SourceInfo): void {
  sessionStore.getState().applySource(source);
  sessionStore.getState().setNotice(null);
}

export function importSheetFiles(): Promise<unknown> {
  return startImport(importStore, getAppApi(), {
    transfers: transfersStore,
    onSource: applySource,
  });
}

export function replaySheetFiles(): Promise<unknown> {
  return startReplay(importStore, getAppApi(), {
    transfers: transfersStore,
    onSource: applySource,
  });
}

export async function cancelJob(jobId: string): Promise<void> {
  try {
    await getAppApi().invoke('files.cancel', { jobId });
  } catch (error) {
    sessionStore.getState().setNotice(`Could not cancel: ${messageOf(error)}`);
  }
}

export async function controlReplay(control: ReplayControl): Promise<void> {
  try {
    applySource(await getAppApi().invoke('replay.control', control));
  } catch (error) {
    sessionStore.getState().setNotice(`Replay ${control.action} failed: ${messageOf(error)}`);
  }
}

export async function openStoredDataset(id: number): Promise<void> {
  const source = await openDataset(datasetsStore, getAppApi(), id);
  if (source) applySource(source);
}

export function renameStoredDataset(id: number, label: string): Promise<boolean> {
  return renameDataset(datasetsStore, getAppApi(), id, label);
}

export function deleteStoredDataset(row: DatasetSummary): Promise<boolean> {
  return deleteDataset(datasetsStore, getAppApi(), row);
}

export function exportCsv(request: ExportRequest): Promise<unknown> {
  return runExport(getAppApi(), request, transfersStore);
}

/** The analytics charts' visible range (zoom), else the rows held; null when there are none. */
export function analyticsVisibleRange(): MsRange {
  return visibleRange(
    chartProbe('analytics-zoom'),
    rangeOf(analyticsStore.getState().columns.startMs),
  );
}

/** Pair A's candle chart's visible range (zoom), else the bars held; null when none. */
export function barsVisibleRange(): MsRange {
  const settings = sessionStore.getState().settings;
  if (!settings) return null;
  const bars = barsStore.getState().series[seriesKey(settings.pairA, settings.timeframe)]?.bars;
  return visibleRange(chartProbe('candles-zoom-A'), rangeOf((bars ?? []).map((b) => b.startMs)));
}
