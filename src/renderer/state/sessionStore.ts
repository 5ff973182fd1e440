/**
 * Session state of the renderer: the snapshot from `session.snapshot`, kept current by the
 * pushed events. Events may arrive before the snapshot; they are merged, newest wins.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type {
  ConnectionStatus,
  IngestStats,
  PairDeskApi,
  SessionSnapshot,
  SourceInfo,
  SymbolPrice,
} from '../../core/contract/contract';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface SessionState {
  load: LoadState;
  error: string | null;
  source: SourceInfo | null;
  symbols: string[];
  connection: ConnectionStatus | null;
  /** Last price per symbol. */
  prices: Record<string, SymbolPrice>;
  stats: IngestStats | null;

  applySnapshot(snapshot: SessionSnapshot): void;
  applyConnection(status: ConnectionStatus): void;
  applyPrices(prices: SymbolPrice[]): void;
  applyStats(stats: IngestStats): void;
  setLoading(): void;
  setError(message: string): void;
}

function mergePrices(
  current: Record<string, SymbolPrice>,
  incoming: SymbolPrice[],
): Record<string, SymbolPrice> {
  let next = current;
  for (const price of incoming) {
    const previous = next[price.symbol];
    if (previous && previous.timeMs > price.timeMs) continue;
    if (next === current) next = { ...current };
    next[price.symbol] = price;
  }
  return next;
}

export function createSessionStore() {
  return createStore<SessionState>()((set) => ({
    load: 'idle',
    error: null,
    source: null,
    symbols: [],
    connection: null,
    prices: {},
    stats: null,

    applySnapshot: (snapshot) =>
      set((state) => ({
        load: 'ready',
        error: null,
        source: snapshot.source,
        symbols: snapshot.symbols,
        // An event newer than the snapshot's state wins.
        connection:
          state.connection && state.connection.sinceMs > snapshot.connection.sinceMs
            ? state.connection
            : snapshot.connection,
        prices: mergePrices(state.prices, snapshot.prices),
        stats: state.stats ?? snapshot.stats,
      })),
    applyConnection: (connection) => set({ connection }),
    applyPrices: (prices) => set((state) => ({ prices: mergePrices(state.prices, prices) })),
    applyStats: (stats) => set({ stats }),
    setLoading: () => set({ load: 'loading', error: null }),
    setError: (message) => set({ load: 'error', error: message }),
  }));
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/**
 * Subscribes the store to the API's events, then loads the snapshot. Returns the cleanup
 * (unsubscribes every event).
 */
export function connectSession(store: SessionStore, api: PairDeskApi): () => void {
  const state = store.getState();
  const unsubscribers = [
    api.on('connection', (status) => store.getState().applyConnection(status)),
    api.on('prices', (prices) => store.getState().applyPrices(prices)),
    api.on('stats', (stats) => store.getState().applyStats(stats)),
  ];
  let active = true;
  state.setLoading();
  api.invoke('session.snapshot', null).then(
    (snapshot) => {
      if (active) store.getState().applySnapshot(snapshot);
    },
    (error: unknown) => {
      if (active) store.getState().setError(error instanceof Error ? error.message : String(error));
    },
  );
  return () => {
    active = false;
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** The app-wide store. */
export const sessionStore = createSessionStore();

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(sessionStore, selector);
}
