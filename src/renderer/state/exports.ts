/**
 * CSV exports from the UI (`export.csv`): Electron's main process shows the save dialog and
 * answers with `savedTo`; browser mode answers with a one-time `downloadUrl` that a hidden
 * `<a download>` follows. The outcome in words goes to the transfers store.
 */
import type { ExportRequest, ExportResult, Settings } from '../../core/contract/contract';
import { formatInteger, formatUtcDateTime } from '../lib/format';
import type { RendererApi } from '../transport/types';
import type { TransfersStore } from './transfersStore';

/** Follows a same-origin download URL (browser mode). */
export type UrlDownloader = (url: string, fileName: string) => void;

/** Clicks a hidden `<a download>` at `url`: the browser saves the attachment it serves. */
export function linkDownload(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "Saved 12,345 rows to …" / "Downloaded …" / "Export cancelled". */
export function exportOutcome(result: ExportResult): string {
  const rows = `${formatInteger(result.rows)} row${result.rows === 1 ? '' : 's'}`;
  if (result.cancelled) return `Export of ${result.fileName} cancelled`;
  if (result.savedTo !== null) return `Saved ${rows} to ${result.savedTo}`;
  if (result.downloadUrl !== null) return `Downloaded ${rows} as ${result.fileName}`;
  return `Export of ${result.fileName} cancelled`;
}

/** Runs one export; resolves to the result (null on error), the message says how it went. */
export async function runExport(
  api: RendererApi,
  request: ExportRequest,
  transfers: TransfersStore,
  download: UrlDownloader = linkDownload,
): Promise<ExportResult | null> {
  transfers.getState().setExportMessage(`Exporting ${describeExport(request)}…`);
  try {
    const result = await api.invoke('export.csv', request);
    if (!result.cancelled && result.savedTo === null && result.downloadUrl !== null) {
      download(result.downloadUrl, result.fileName);
    }
    transfers.getState().setExportMessage(exportOutcome(result));
    return result;
  } catch (error) {
    transfers.getState().setExportMessage(`Could not export: ${messageOf(error)}`);
    return null;
  }
}

/** What an export holds, in words, for the "Exporting …" line. */
export function describeExport(request: ExportRequest): string {
  switch (request.what) {
    case 'bars':
      return `${request.symbols.join('/')} ${request.timeframe} bars${rangeWords(request)}`;
    case 'ticks':
      return `${request.symbols?.join(', ') ?? 'all'} ticks${rangeWords(request)}`;
    case 'analytics':
      return `the analytics${rangeWords(request)}`;
    case 'rejects':
      return 'the reject report';
  }
}

function rangeWords(r: { fromMs?: number; toMs?: number }): string {
  if (r.fromMs === undefined || r.toMs === undefined) return '';
  return ` ${formatUtcDateTime(r.fromMs)} – ${formatUtcDateTime(r.toMs)} UTC`;
}

/** Which symbols a bars export takes. */
export type BarsScope = 'pair' | 'a' | 'b';

/** A visible range of bar starts (ms), inclusive; null = the whole dataset. */
export type MsRange = { fromMs: number; toMs: number } | null;

/** The bars export of the current view: pair or one leg, timeframe, range or whole dataset. */
export function barsExportRequest(
  settings: Pick<Settings, 'pairA' | 'pairB' | 'timeframe'>,
  scope: BarsScope,
  range: MsRange,
  datasetId?: number,
): ExportRequest {
  const symbols =
    scope === 'a'
      ? [settings.pairA]
      : scope === 'b'
        ? [settings.pairB]
        : [...new Set([settings.pairA, settings.pairB])];
  return {
    what: 'bars',
    symbols,
    timeframe: settings.timeframe,
    ...(datasetId === undefined ? {} : { datasetId }),
    ...(range ?? {}),
  };
}

/** The range (ms) of a sorted series of bar starts, or null when empty. */
export function rangeOf(startMs: readonly number[]): MsRange {
  if (startMs.length === 0) return null;
  return { fromMs: startMs[0], toMs: startMs[startMs.length - 1] };
}

/**
 * A chart's zoom window (`startValue`/`endValue` of its dataZoom, ms) as a range; the held
 * series' range when the chart shows all of it or reports nothing usable.
 */
export function visibleRange(zoom: unknown, held: MsRange): MsRange {
  const z = zoom as { startValue?: unknown; endValue?: unknown } | null;
  if (z && typeof z.startValue === 'number' && typeof z.endValue === 'number') {
    const fromMs = Math.round(Math.min(z.startValue, z.endValue));
    const toMs = Math.round(Math.max(z.startValue, z.endValue));
    if (held === null) return { fromMs, toMs };
    return { fromMs: Math.max(fromMs, held.fromMs), toMs: Math.min(toMs, held.toMs) };
  }
  return held;
}
