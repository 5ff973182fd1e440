/** Transport-level extras beyond PairDeskApi; optional, so the preload API needs none of them. */
import type { PairDeskApi } from '../../core/contract/contract';

export interface TransportStatus {
  /** open: requests flow; connecting: (re)opening; closed: down, retrying at `retryAtMs`. */
  state: 'connecting' | 'open' | 'closed';
  /** Why the transport is down, in plain words; null while fine. */
  error: string | null;
  retryAtMs: number | null;
}

export interface TransportEvents {
  /** Called after the transport came back from a disconnection: state must be re-fetched. */
  onReopen(listener: () => void): () => void;
  /** Transport health (called at once with the current status). */
  onTransport(listener: (status: TransportStatus) => void): () => void;
}

/** What the renderer talks through: the contract, plus transport events when there are any. */
export type RendererApi = PairDeskApi & Partial<TransportEvents>;
