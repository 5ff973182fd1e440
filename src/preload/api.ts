/**
 * The renderer-facing API over Electron IPC: exactly `PairDeskApi` (with `pathsForFiles` for
 * dropped files), nothing else. Kept apart
 * from index.ts (which touches contextBridge) so tests can build it over a fake ipcRenderer.
 * Bundled into the sandboxed preload: it may only use `electron` and plain JS.
 */
import {
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_PREFIX,
  REQUEST_CHANNELS,
} from '../core/contract/contract';
import type {
  EventEnvelope,
  EventMap,
  EventName,
  PairDeskApi,
  RequestChannel,
} from '../core/contract/contract';

/** The slice of `IpcRenderer` used here. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** `webUtils.getPathForFile`: a dropped File's path, '' for a File with none (made in the page). */
export type PathForFile = (file: File) => string;

/** Files handed over at once by a drop; more is not a user's drop. */
const MAX_DROPPED_FILES = 1_000;

/**
 * Whether `value` looks like a DOM File (a Blob with a name). The page's objects cross the
 * context bridge as copies, so this is a shape check; `getPathForFile` refuses anything else.
 */
function isFileLike(value: unknown): value is File {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as { name?: unknown; size?: unknown; type?: unknown };
  return (
    typeof file.name === 'string' && typeof file.size === 'number' && typeof file.type === 'string'
  );
}

/** The paths of dropped files; non-files, files without a path and failures are left out. */
export function pathsOfFiles(files: readonly unknown[], getPathForFile: PathForFile): string[] {
  if (!Array.isArray(files)) return [];
  const paths: string[] = [];
  for (const file of files.slice(0, MAX_DROPPED_FILES)) {
    if (!isFileLike(file)) continue;
    let path: unknown;
    try {
      path = getPathForFile(file);
    } catch {
      continue;
    }
    if (typeof path === 'string' && path !== '') paths.push(path);
  }
  return paths;
}

function isEnvelope(value: unknown): value is EventEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    (EVENT_NAMES as readonly unknown[]).includes((value as { event?: unknown }).event)
  );
}

/**
 * @param getPathForFile `webUtils.getPathForFile` in the Electron preload: with it the API also
 *   has `pathsForFiles` (files dropped on the window), without it exactly invoke and on.
 */
export function createPairDeskApi(
  ipcRenderer: IpcRendererLike,
  getPathForFile?: PathForFile,
): PairDeskApi {
  const invoke = (channel: RequestChannel, request: unknown): Promise<unknown> => {
    if (!(REQUEST_CHANNELS as readonly unknown[]).includes(channel)) {
      return Promise.reject(new Error(`Unknown PairDesk request channel: ${String(channel)}`));
    }
    return ipcRenderer.invoke(IPC_INVOKE_PREFIX + channel, request);
  };
  const on = (event: EventName, listener: (payload: EventMap[EventName]) => void): (() => void) => {
    if (!(EVENT_NAMES as readonly unknown[]).includes(event)) {
      throw new Error(`Unknown PairDesk event: ${String(event)}`);
    }
    if (typeof listener !== 'function')
      throw new Error('PairDesk event listener must be a function');
    // The IpcRendererEvent is never handed to the page (it carries `sender`).
    const relay = (_ipcEvent: unknown, envelope: unknown): void => {
      if (isEnvelope(envelope) && envelope.event === event) listener(envelope.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  };
  if (!getPathForFile) return { invoke, on } as PairDeskApi;
  const pathsForFiles = (files: readonly unknown[]): string[] =>
    pathsOfFiles(files, getPathForFile);
  return { invoke, on, pathsForFiles } as PairDeskApi;
}
