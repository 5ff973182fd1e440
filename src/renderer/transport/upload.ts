/**
 * Browser mode only: sends a file the user dropped or chose to the browser server
 * (`POST /files/upload?name=…`, raw bytes as the body; the session cookie authenticates it, same
 * origin), which stores it under the data folder and answers with the `PickedFile` main
 * registered. XMLHttpRequest rather than fetch: only it reports upload progress in every browser.
 */
import type { PickedFile } from '../../core/contract/contract';

export const UPLOAD_PATH = '/files/upload';

/** The parts of XMLHttpRequest the upload uses (tests pass a stand-in). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadOptions {
  /** Called as bytes leave: bytes sent and the total. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  createXhr?: () => XhrLike;
}

/** The upload URL for a file name (relative: same origin as the page). */
export function uploadUrl(name: string): string {
  return `${UPLOAD_PATH}?name=${encodeURIComponent(name)}`;
}

/** The server's JSON reply as a PickedFile, or an error saying what is wrong with it. */
export function parsePickedFile(text: string): PickedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`the server's reply to the upload is not JSON: ${text.slice(0, 120)}`);
  }
  const v = value as Partial<Record<keyof PickedFile, unknown>> | null;
  if (
    !v ||
    typeof v.id !== 'string' ||
    typeof v.name !== 'string' ||
    typeof v.sizeBytes !== 'number'
  ) {
    throw new Error(`the server's reply to the upload is not a file: ${text.slice(0, 120)}`);
  }
  return { id: v.id, name: v.name, sizeBytes: v.sizeBytes };
}

/** The server's error text (JSON `{error}` or plain), for a failed upload. */
function errorText(status: number, body: string): string {
  let detail = body.trim();
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') detail = parsed.error;
  } catch {
    // plain text
  }
  return `upload refused (HTTP ${status})${detail ? `: ${detail.slice(0, 300)}` : ''}`;
}

/** Uploads one file; resolves to the registered file, rejects with the server's reason. */
export function uploadFile(
  file: Blob & { readonly name: string },
  options: UploadOptions = {},
): Promise<PickedFile> {
  const xhr = options.createXhr?.() ?? (new XMLHttpRequest() as unknown as XhrLike);
  return new Promise<PickedFile>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Error('upload cancelled'));
      return;
    }
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    xhr.open('POST', uploadUrl(file.name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total);
    xhr.onload = () => {
      done();
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new Error(`${file.name}: ${errorText(xhr.status, xhr.responseText)}`));
        return;
      }
      try {
        options.onProgress?.(file.size, file.size);
        resolve(parsePickedFile(xhr.responseText));
      } catch (error) {
        reject(new Error(`${file.name}: ${(error as Error).message}`));
      }
    };
    xhr.onerror = () => {
      done();
      reject(new Error(`${file.name}: the upload failed (connection lost?)`));
    };
    xhr.onabort = () => {
      done();
      reject(new Error('upload cancelled'));
    };
    xhr.send(file);
  });
}
