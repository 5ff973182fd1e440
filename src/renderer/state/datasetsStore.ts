/**
 * The dataset manager's state: every stored dataset (`datasets.list`, newest first), replaced
 * whole by each `datasets` event, and the outcome of the last rename, delete or open.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { DatasetSummary, SourceInfo } from '../../core/contract/contract';
import { formatBytes } from '../lib/format';
import type { RendererApi } from '../transport/types';

export type DatasetsLoad = 'idle' | 'loading' | 'ready' | 'error';

export interface DatasetsState {
  rows: DatasetSummary[];
  load: DatasetsLoad;
  /** Why the list could not be read; null when fine. */
  error: string | null;
  /** The last action's outcome ("Deleted … (12.4 MB reclaimed)") or its error. */
  message: string | null;

  setRows(rows: DatasetSummary[]): void;
  setMessage(message: string | null): void;
}

export function createDatasetsStore() {
  return createStore<DatasetsState>()((set) => ({
    rows: [],
    load: 'idle',
    error: null,
    message: null,
    setRows: (rows) => set({ rows, load: 'ready', error: null }),
    setMessage: (message) => set({ message }),
  }));
}

export type DatasetsStore = ReturnType<typeof createDatasetsStore>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads the list; an error leaves the rows held and says why. */
export async function loadDatasets(store: DatasetsStore, api: RendererApi): Promise<void> {
  if (store.getState().load !== 'ready') store.setState({ load: 'loading' });
  try {
    store.getState().setRows(await api.invoke('datasets.list', null));
  } catch (error) {
    store.setState({ load: 'error', error: messageOf(error) });
  }
}

/** Keeps the list current from `datasets` events; loads it now and after each reconnect. */
export function connectDatasets(store: DatasetsStore, api: RendererApi): () => void {
  const unsubscribers = [api.on('datasets', (rows) => store.getState().setRows(rows))];
  if (api.onReopen) unsubscribers.push(api.onReopen(() => void loadDatasets(store, api)));
  void loadDatasets(store, api);
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** A label the server will accept: trimmed, 1–200 characters; null when there is none. */
export function cleanLabel(raw: string): string | null {
  const label = raw.trim();
  return label.length === 0 ? null : label.slice(0, 200);
}

/** Renames; the reply's row replaces the old one at once (the event confirms it later). */
export async function renameDataset(
  store: DatasetsStore,
  api: RendererApi,
  id: number,
  raw: string,
): Promise<boolean> {
  const label = cleanLabel(raw);
  if (label === null) {
    store.getState().setMessage('A dataset name cannot be empty');
    return false;
  }
  try {
    const row = await api.invoke('datasets.rename', { id, label });
    store.setState((s) => ({
      rows: s.rows.map((r) => (r.id === row.id ? row : r)),
      message: null,
    }));
    return true;
  } catch (error) {
    store.getState().setMessage(`Could not rename dataset ${id}: ${messageOf(error)}`);
    return false;
  }
}

/** `"BTCUSDT day" (dataset 7, 12.4 MB)`: how the delete dialog and its outcome name a row. */
export function datasetTitle(row: Pick<DatasetSummary, 'id' | 'label' | 'sizeBytes'>): string {
  return `"${row.label}" (dataset ${row.id}, ${formatBytes(row.sizeBytes)})`;
}

/** Deletes (the caller confirmed); the row leaves the list at once on success. */
export async function deleteDataset(
  store: DatasetsStore,
  api: RendererApi,
  row: DatasetSummary,
): Promise<boolean> {
  if (row.active) {
    store.getState().setMessage(`${datasetTitle(row)} is in use and cannot be deleted now`);
    return false;
  }
  try {
    const reply = await api.invoke('datasets.delete', { id: row.id });
    if (!reply.deleted) {
      store.getState().setMessage(`${datasetTitle(row)} was not deleted`);
      return false;
    }
    store.setState((s) => ({
      rows: s.rows.filter((r) => r.id !== row.id),
      message: `Deleted ${datasetTitle(row)}: ${formatBytes(reply.reclaimedBytes)} reclaimed`,
    }));
    return true;
  } catch (error) {
    store.getState().setMessage(`Could not delete ${datasetTitle(row)}: ${messageOf(error)}`);
    return false;
  }
}

/** Opens a stored dataset for viewing; resolves to the new source, or null on error. */
export async function openDataset(
  store: DatasetsStore,
  api: RendererApi,
  id: number,
): Promise<SourceInfo | null> {
  try {
    const source = await api.invoke('datasets.open', { id });
    store.getState().setMessage(null);
    return source;
  } catch (error) {
    store.getState().setMessage(`Could not open dataset ${id}: ${messageOf(error)}`);
    return null;
  }
}

export const datasetsStore = createDatasetsStore();

export function useDatasets<T>(selector: (state: DatasetsState) => T): T {
  return useStore(datasetsStore, selector);
}
