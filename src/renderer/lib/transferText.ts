/**
 * Words and figures of a transfer (import, replay, export) for the progress panel: percentage,
 * rate, ETA and state. Pure, so the panel's text is unit-tested.
 */
import type { JobState, TransferProgress } from '../../core/contract/contract';
import { formatAge, formatBytes, formatInteger, formatRate } from './format';

export const STATE_LABEL: Record<JobState, string> = {
  running: 'Running',
  paused: 'Paused',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const KIND_LABEL: Record<TransferProgress['kind'], string> = {
  import: 'Import',
  replay: 'Replay',
  export: 'Export',
};

/** Whether the job still runs (its controls apply). */
export function isActive(progress: Pick<TransferProgress, 'state'>): boolean {
  return progress.state === 'running' || progress.state === 'paused';
}

/** 0..100, rounded down so 100 % means done; null when the fraction is unknown. */
export function percent(fraction: number | null): number | null {
  if (fraction === null || !Number.isFinite(fraction)) return null;
  return Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
}

/** `12,345 lines/s` (import, replay) or `rows/s` (export). */
export function rateText(progress: Pick<TransferProgress, 'kind' | 'linesPerSec'>): string {
  const unit = progress.kind === 'export' ? 'rows/s' : 'lines/s';
  return `${formatRate(Math.max(0, progress.linesPerSec))} ${unit}`;
}

/** `ETA 1 min 5 s`; `ETA —` when unknown or the job is not running. */
export function etaText(progress: Pick<TransferProgress, 'etaMs' | 'state'>): string {
  if (progress.state !== 'running' || progress.etaMs === null) return 'ETA —';
  return `ETA ${formatAge(progress.etaMs)}`;
}

/** `3.2 MB of 48.1 MB`, or just what was read when the total is unknown. */
export function bytesText(progress: Pick<TransferProgress, 'bytesDone' | 'bytesTotal'>): string {
  if (progress.bytesTotal <= 0) return `${formatBytes(progress.bytesDone)} read`;
  return `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`;
}

/** `Import · BTCUSDT-aggTrades-2024-07-18.csv`. */
export function titleText(progress: Pick<TransferProgress, 'kind' | 'label'>): string {
  return `${KIND_LABEL[progress.kind]} · ${progress.label}`;
}

/** `1,204 lines` / `1,204 rows`. */
export function countText(progress: Pick<TransferProgress, 'kind' | 'lines'>): string {
  const unit = progress.kind === 'export' ? 'row' : 'line';
  return `${formatInteger(progress.lines)} ${unit}${progress.lines === 1 ? '' : 's'}`;
}

/** Replay speeds offered by the transfer panel, × original pace. */
export const REPLAY_SPEEDS = [1, 10, 50, 100, 1000] as const;
