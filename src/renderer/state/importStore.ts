/**
 * The import sheet: files the user dropped or opened, being uploaded (browser mode) and
 * inspected, then listed with their detected format so the user can name the dataset, give the
 * symbols a file's name does not say, and choose Import or Replay.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type {
  FileInspection,
  ImportRequest,
  ImportResult,
  PickedFile,
  SourceInfo,
} from '../../core/contract/contract';
import { SYMBOL_PATTERN } from '../lib/validation';
import type { RendererApi } from '../transport/types';
import type { TransfersStore } from './transfersStore';

export type SheetPhase = 'closed' | 'uploading' | 'inspecting' | 'ready' | 'starting';

/** One browser upload as it goes. */
export interface UploadEntry {
  name: string;
  loaded: number;
  total: number;
}

export interface ImportSheetState {
  phase: SheetPhase;
  uploads: UploadEntry[];
  files: PickedFile[];
  inspections: FileInspection[];
  /** Dataset name as typed. */
  name: string;
  /** Symbol typed per fileId (files with `needsSymbol`). */
  symbols: Record<string, string>;
  /** Replay speed, × original pace. */
  speed: number;
  /** Why picking, uploading, inspecting or starting failed; null when fine. */
  error: string | null;

  beginUploads(names: { name: string; size: number }[]): void;
  setUploadProgress(index: number, loaded: number, total: number): void;
  setName(name: string): void;
  setSymbol(fileId: string, symbol: string): void;
  setSpeed(speed: number): void;
  setError(error: string | null): void;
  close(): void;
}

const CLOSED = {
  phase: 'closed' as SheetPhase,
  uploads: [],
  files: [],
  inspections: [],
  name: '',
  symbols: {},
  speed: 10,
  error: null,
};

export function createImportStore() {
  return createStore<ImportSheetState>()((set) => ({
    ...CLOSED,
    beginUploads: (names) =>
      set({
        ...CLOSED,
        phase: 'uploading',
        uploads: names.map((n) => ({ name: n.name, loaded: 0, total: n.size })),
      }),
    setUploadProgress: (index, loaded, total) =>
      set((s) => ({
        uploads: s.uploads.map((u, i) => (i === index ? { ...u, loaded, total } : u)),
      })),
    setName: (name) => set({ name }),
    setSymbol: (fileId, symbol) => set((s) => ({ symbols: { ...s.symbols, [fileId]: symbol } })),
    setSpeed: (speed) => set({ speed }),
    setError: (error) => set({ error }),
    close: () => set({ ...CLOSED }),
  }));
}

export type ImportStore = ReturnType<typeof createImportStore>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Default dataset name: the file names without extensions, joined (trimmed to 200). */
export function defaultDatasetName(files: readonly PickedFile[]): string {
  const stems = files.map((f) => f.name.replace(/(\.(csv|zip|gz|ndjson|jsonl|json|txt))+$/i, ''));
  return [...new Set(stems)].join(' + ').slice(0, 200);
}

/** Recognised inspections (those that will be imported), in order. */
export function recognised(inspections: readonly FileInspection[]): FileInspection[] {
  return inspections.filter((i) => i.format !== null);
}

/** The fileIds to import: every file with at least one recognised member, once each. */
export function importFileIds(inspections: readonly FileInspection[]): string[] {
  return [...new Set(recognised(inspections).map((i) => i.fileId))];
}

/** FileIds whose symbol must be typed. */
export function symbolFileIds(inspections: readonly FileInspection[]): string[] {
  return [
    ...new Set(
      recognised(inspections)
        .filter((i) => i.needsSymbol)
        .map((i) => i.fileId),
    ),
  ];
}

/** The error of a typed symbol (contract pattern), or null when it is fine. */
export function symbolError(raw: string | undefined): string | null {
  const value = (raw ?? '').trim().toUpperCase();
  if (value === '') return 'Type the symbol of this file, e.g. BTCUSDT';
  if (!SYMBOL_PATTERN.test(value)) return `"${value}" is not a symbol: use 2-30 letters or digits`;
  return null;
}

/** Why the sheet cannot start yet (first reason), or null when Import may be pressed. */
export function importBlocker(
  state: Pick<ImportSheetState, 'inspections' | 'symbols' | 'name'>,
): string | null {
  if (importFileIds(state.inspections).length === 0) return 'No file here is in a known format';
  for (const fileId of symbolFileIds(state.inspections)) {
    if (symbolError(state.symbols[fileId]) !== null) return 'Type the missing symbols first';
  }
  if (state.name.trim().length > 200) return 'The dataset name is longer than 200 characters';
  return null;
}

/** Replay is offered only when every recognised file can be played (trade formats). */
export function canReplay(inspections: readonly FileInspection[]): boolean {
  const known = recognised(inspections);
  return known.length > 0 && known.every((i) => i.replayable);
}

/** The request for `files.import` / `files.replay` from the sheet. */
export function buildImportRequest(
  state: Pick<ImportSheetState, 'inspections' | 'symbols' | 'name'>,
): ImportRequest {
  const request: ImportRequest = { fileIds: importFileIds(state.inspections) };
  const name = state.name.trim();
  if (name) request.name = name;
  const needed = symbolFileIds(state.inspections);
  if (needed.length > 0) {
    request.symbols = Object.fromEntries(
      needed.map((id) => [id, (state.symbols[id] ?? '').trim().toUpperCase()]),
    );
  }
  return request;
}

/** Inspects picked files and opens the sheet on them ([] = the user picked nothing). */
export async function inspectPicked(
  store: ImportStore,
  api: RendererApi,
  files: PickedFile[],
): Promise<void> {
  if (files.length === 0) {
    if (store.getState().phase !== 'ready') store.getState().close();
    return;
  }
  store.setState({ phase: 'inspecting', files, error: null, name: defaultDatasetName(files) });
  try {
    const inspections = await api.invoke('files.inspect', { fileIds: files.map((f) => f.id) });
    store.setState({ phase: 'ready', inspections });
  } catch (error) {
    store.setState({ phase: 'ready', inspections: [], error: messageOf(error) });
  }
}

/** Where an import or replay goes once it started. */
export interface StartHooks {
  transfers: TransfersStore;
  /** The new source after `datasets.open` or `files.replay`. */
  onSource: (source: SourceInfo) => void;
}

/**
 * Runs the import: the sheet closes at once (progress shows in the transfer panel); at the end
 * the result card shows and the new dataset is opened. Resolves to the result, or null when the
 * request failed (the sheet then reopens with the reason).
 */
export async function startImport(
  store: ImportStore,
  api: RendererApi,
  hooks: StartHooks,
): Promise<ImportResult | null> {
  const state = store.getState();
  const blocker = importBlocker(state);
  if (blocker) {
    state.setError(blocker);
    return null;
  }
  const request = buildImportRequest(state);
  const snapshot = { ...state };
  // files.import answers at the end: the sheet closes now and the transfer panel takes over.
  store.getState().close();
  let result: ImportResult;
  try {
    result = await api.invoke('files.import', request);
  } catch (error) {
    const why = `Import failed: ${messageOf(error)}`;
    // Reopened with the reason, unless the user opened other files meanwhile.
    if (store.getState().phase === 'closed') {
      store.setState({ ...snapshot, phase: 'ready', error: why });
    } else store.getState().setError(why);
    return null;
  }
  hooks.transfers.getState().setImportResult(result);
  if (result.state === 'done' && result.datasetId !== null) {
    try {
      hooks.onSource(await api.invoke('datasets.open', { id: result.datasetId }));
    } catch (error) {
      hooks.transfers.getState().setImportResult({
        ...result,
        message: `${result.message}; opening it failed: ${messageOf(error)}`,
      });
    }
  }
  return result;
}

/** Starts the replay of the sheet's files at its speed; the sheet closes once it runs. */
export async function startReplay(
  store: ImportStore,
  api: RendererApi,
  hooks: StartHooks,
): Promise<SourceInfo | null> {
  const state = store.getState();
  const blocker =
    importBlocker(state) ??
    (canReplay(state.inspections) ? null : 'Only trade files can be replayed');
  if (blocker) {
    state.setError(blocker);
    return null;
  }
  store.setState({ phase: 'starting', error: null });
  try {
    const source = await api.invoke('files.replay', {
      ...buildImportRequest(state),
      speed: state.speed,
    });
    store.getState().close();
    hooks.onSource(source);
    return source;
  } catch (error) {
    store.setState({ phase: 'ready', error: `Replay failed: ${messageOf(error)}` });
    return null;
  }
}

export const importStore = createImportStore();

export function useImportSheet<T>(selector: (state: ImportSheetState) => T): T {
  return useStore(importStore, selector);
}
