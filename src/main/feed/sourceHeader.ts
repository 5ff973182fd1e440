/**
 * How the local feed server tells a client what it serves: an `X-PairDesk-Source` header on the
 * WebSocket handshake response — `sim` for the simulated market, `replay; file=<name>` for a
 * capture replay. Binance sends no such header, so its absence means an exchange feed.
 */
export const SOURCE_HEADER = 'X-PairDesk-Source';

export type DeclaredSource = { kind: 'sim' } | { kind: 'replay'; file: string | null };

export function formatSourceHeader(source: DeclaredSource): string {
  if (source.kind === 'sim') return 'sim';
  // encodeURIComponent keeps the value a legal header whatever the file name holds.
  return source.file === null ? 'replay' : `replay; file=${encodeURIComponent(source.file)}`;
}

/** The declared source, or null when the header is absent or not understood. */
export function parseSourceHeader(value: string | string[] | undefined): DeclaredSource | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return null;
  const [kind, ...params] = text.split(';').map((p) => p.trim());
  if (kind === 'sim') return { kind: 'sim' };
  if (kind !== 'replay') return null;
  const file = params.find((p) => p.startsWith('file='))?.slice(5);
  if (file === undefined) return { kind: 'replay', file: null };
  try {
    return { kind: 'replay', file: decodeURIComponent(file) };
  } catch {
    return { kind: 'replay', file };
  }
}
