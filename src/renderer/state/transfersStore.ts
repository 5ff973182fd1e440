/**
 * Running and finished transfers (imports, replays, exports) as the `transfer` events report
 * them, newest job first, plus the last import's result card and the last export's outcome.
 * A job that failed or was cancelled stays listed until dismissed, so its message can be read; a
 * job that is done leaves by itself after {@link DONE_LINGER_MS} (its outcome stays in the import
 * result card or the export message), so finished bars do not pile up over the sidebar.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ImportResult, TransferProgress } from '../../core/contract/contract';
import type { RendererApi } from '../transport/types';

/** Finished jobs kept in the panel (older ones drop off). */
export const MAX_FINISHED = 5;
/** How long a done job's bar stays in the panel, ms. */
export const DONE_LINGER_MS = 6_000;

export interface TransfersState {
  /** Newest first. */
  jobs: TransferProgress[];
  /** The last import's end, for the result card; null when dismissed or none yet. */
  importResult: ImportResult | null;
  /** The last export's outcome in words ("Saved 12,345 rows to …"), or its error. */
  exportMessage: string | null;

  applyTransfer(progress: TransferProgress): void;
  dismiss(jobId: string): void;
  setImportResult(result: ImportResult | null): void;
  setExportMessage(message: string | null): void;
}

const finished = (p: TransferProgress) => p.state !== 'running' && p.state !== 'paused';

/**
 * The job list with `progress` merged in: replaces the job's entry (in place), or puts a new
 * job first. A late event of a finished job never revives it (events may be reordered around
 * a reconnect); only MAX_FINISHED finished jobs are kept.
 */
export function mergeTransfer(
  jobs: readonly TransferProgress[],
  progress: TransferProgress,
): TransferProgress[] {
  const index = jobs.findIndex((j) => j.jobId === progress.jobId);
  let next: TransferProgress[];
  if (index < 0) next = [progress, ...jobs];
  else {
    if (finished(jobs[index]) && !finished(progress)) return [...jobs];
    next = [...jobs];
    next[index] = progress;
  }
  let kept = 0;
  return next.filter((j) => !finished(j) || ++kept <= MAX_FINISHED);
}

export function createTransfersStore() {
  return createStore<TransfersState>()((set) => ({
    jobs: [],
    importResult: null,
    exportMessage: null,
    applyTransfer: (progress) => set((s) => ({ jobs: mergeTransfer(s.jobs, progress) })),
    dismiss: (jobId) => set((s) => ({ jobs: s.jobs.filter((j) => j.jobId !== jobId) })),
    setImportResult: (importResult) => set({ importResult }),
    setExportMessage: (exportMessage) => set({ exportMessage }),
  }));
}

export type TransfersStore = ReturnType<typeof createTransfersStore>;

/** Subscribes the store to `transfer` events; returns the cleanup. */
export function connectTransfers(
  store: TransfersStore,
  api: RendererApi,
  lingerMs = DONE_LINGER_MS,
): () => void {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const off = api.on('transfer', (progress) => {
    store.getState().applyTransfer(progress);
    if (progress.state !== 'done') return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      store.getState().dismiss(progress.jobId);
    }, lingerMs);
    timers.add(timer);
  });
  return () => {
    off();
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

export const transfersStore = createTransfersStore();

export function useTransfers<T>(selector: (state: TransfersState) => T): T {
  return useStore(transfersStore, selector);
}
