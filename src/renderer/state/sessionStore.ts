/**
 * Session state of the renderer: the snapshot from `session.snapshot`, kept current by the
 * pushed events (connection, prices, stats, source, settings), plus the user's settings with
 * optimistic updates. Events may arrive before the snapshot; they are merged, newest wins.
 */
import { applySettingsPatch } from '../../core/contract/settingsPatch';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type {
  ConnectionStatus,
  EventMap,
  EventName,
  IngestStats,
  PairDeskApi,
  SessionSnapshot,
  Settings,
  SourceInfo,
  SymbolPrice,
  SettingsPatch,
} from '../../core/contract/contract';
import type { RendererApi, TransportStatus } from '../transport/types';
import type { BarsStore } from './barsStore';
import { FrameCoalescer, immediateScheduler } from './frameCoalescer';
import type { FrameScheduler } from './frameCoalescer';

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
  /** Wall-clock ms when `stats` arrived (the status bar ticks the message age from it). */
  statsAtMs: number | null;
  settings: Settings | null;
  /** Why the last settings change was refused (and reverted); null when fine. */
  settingsError: string | null;
  /** A transient message for the user (e.g. an action that failed). */
  notice: string | null;
  /** Transport health; null for transports that cannot fail (Electron IPC). */
  transport: TransportStatus | null;

  applySnapshot(snapshot: SessionSnapshot): void;
  applyConnection(status: ConnectionStatus): void;
  applyPrices(prices: SymbolPrice[]): void;
  applyStats(stats: IngestStats, atMs?: number): void;
  applySource(source: SourceInfo): void;
  applySettings(settings: Settings): void;
  applySymbols(symbols: string[]): void;
  setLoading(): void;
  setError(message: string): void;
  setSettingsError(message: string | null): void;
  setNotice(message: string | null): void;
  setTransport(status: TransportStatus | null): void;
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
    statsAtMs: null,
    settings: null,
    settingsError: null,
    notice: null,
    transport: null,

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
        statsAtMs: state.stats ? state.statsAtMs : Date.now(),
        settings: snapshot.settings,
      })),
    applyConnection: (connection) => set({ connection }),
    applyPrices: (prices) => set((state) => ({ prices: mergePrices(state.prices, prices) })),
    applyStats: (stats, atMs = Date.now()) => set({ stats, statsAtMs: atMs }),
    applySource: (source) => set({ source }),
    applySettings: (settings) => set({ settings, symbols: settings.symbols }),
    applySymbols: (symbols) =>
      set((state) => ({
        symbols,
        settings: state.settings ? { ...state.settings, symbols } : state.settings,
      })),
    setLoading: () => set({ load: 'loading', error: null }),
    setError: (message) => set({ load: 'error', error: message }),
    setSettingsError: (message) => set({ settingsError: message }),
    setNotice: (message) => set({ notice: message }),
    setTransport: (transport) => set({ transport }),
  }));
}

export type SessionStore = ReturnType<typeof createSessionStore>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type AnyEvent = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];
type Panel = 'session' | 'bars';

/** Applies one frame's worth of session events, in order; only the newest stats count. */
function applySessionEvents(store: SessionStore, events: AnyEvent[]): void {
  const state = store.getState();
  const prices: SymbolPrice[] = [];
  let stats: IngestStats | null = null;
  for (const e of events) {
    switch (e.event) {
      case 'prices':
        prices.push(...e.payload);
        break;
      case 'stats':
        stats = e.payload;
        break;
      case 'connection':
        state.applyConnection(e.payload);
        break;
      case 'source':
        state.applySource(e.payload);
        break;
      case 'settings':
        state.applySettings(e.payload);
        break;
      case 'bars':
        break;
    }
  }
  if (prices.length > 0) state.applyPrices(prices);
  if (stats) state.applyStats(stats);
}

export interface ConnectOptions {
  /** When given, `bars` events go to this store. */
  bars?: BarsStore;
  /** Frame scheduler of the event coalescer; default: apply at once. */
  scheduler?: FrameScheduler;
  /** Called after a reconnect (e.g. to reload bar histories). */
  onReopen?: () => void;
}

/**
 * Subscribes the stores to the API's events (coalesced per animation frame and panel), then
 * loads the snapshot; re-fetches it whenever the transport comes back. Returns the cleanup.
 */
export function connectSession(
  store: SessionStore,
  api: RendererApi,
  options: ConnectOptions = {},
): () => void {
  const barsStore = options.bars;
  const coalescer = new FrameCoalescer<Panel, AnyEvent>(
    options.scheduler ?? immediateScheduler,
    (panel, events) => {
      if (panel === 'bars') {
        barsStore?.getState().applyEvents(events.map((e) => e.payload as EventMap['bars']));
      } else {
        applySessionEvents(store, events);
      }
    },
    // Prices first: a chart drawing the frame's bars then knows the newest tick they contain.
    ['session', 'bars'],
  );
  const forward = <E extends EventName>(event: E, panel: Panel) =>
    api.on(event, (payload) => coalescer.push(panel, { event, payload } as AnyEvent));
  const unsubscribers = [
    forward('connection', 'session'),
    forward('prices', 'session'),
    forward('stats', 'session'),
    forward('source', 'session'),
    forward('settings', 'session'),
  ];
  if (barsStore) unsubscribers.push(forward('bars', 'bars'));

  let active = true;
  const loadSnapshot = () => {
    if (store.getState().load !== 'ready') store.getState().setLoading();
    api.invoke('session.snapshot', null).then(
      (snapshot) => {
        if (active) store.getState().applySnapshot(snapshot);
      },
      (error: unknown) => {
        if (active) store.getState().setError(messageOf(error));
      },
    );
  };
  if (api.onTransport) {
    unsubscribers.push(api.onTransport((status) => store.getState().setTransport(status)));
  }
  if (api.onReopen) {
    unsubscribers.push(
      api.onReopen(() => {
        loadSnapshot();
        options.onReopen?.();
      }),
    );
  }
  loadSnapshot();
  return () => {
    active = false;
    coalescer.dispose();
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/**
 * Optimistic settings change: applied to the store at once, sent with `settings.update`; the
 * stored settings from the reply win; on error the changed keys revert (unless a later change
 * touched them) and `settingsError` says why. Resolves true when saved.
 */
export async function updateSettings(
  store: SessionStore,
  api: PairDeskApi,
  patch: SettingsPatch,
): Promise<boolean> {
  const before = store.getState().settings;
  if (!before) {
    store.getState().setSettingsError('Settings are not loaded yet');
    return false;
  }
  const optimistic: Settings = applySettingsPatch(before, patch);
  store.setState({ settings: optimistic, settingsError: null });
  const seq = ++settingsSeq;
  try {
    const saved = await api.invoke('settings.update', patch);
    // A later change is in flight: its reply (or event) will bring the final state.
    if (seq === settingsSeq) store.getState().applySettings(saved);
    return true;
  } catch (error) {
    const current = store.getState().settings;
    if (current) {
      const reverted: Settings = { ...current };
      const keys = Object.keys(patch) as (keyof Settings)[];
      for (const key of keys) {
        // Only revert what still holds this change's value.
        if (current[key] === optimistic[key]) Object.assign(reverted, { [key]: before[key] });
      }
      store.setState({ settings: reverted });
    }
    store.getState().setSettingsError(`Could not save ${describeKeys(patch)}: ${messageOf(error)}`);
    return false;
  }
}

let settingsSeq = 0;

const KEY_LABELS: Partial<Record<keyof Settings, string>> = {
  pairA: 'pair A',
  pairB: 'pair B',
  rollingWindow: 'rolling window',
  alertThreshold: 'alert threshold',
  alertRearm: 're-arm level R',
  alertCritical: 'critical level K_crit',
  correlationAlertLevel: 'correlation alert level',
  feedSilenceSeconds: 'feed silence',
  notifyLive: 'notify for live',
  notifyDemo: 'notify for simulated',
  notifyReplay: 'notify for replay',
  hedgeMethod: 'hedge method',
  kalmanDelta: 'Kalman δ',
  kalmanVe: 'Kalman Ve',
  replaySpeed: 'replay speed',
  replayFile: 'replay file',
  activeTab: 'tab',
  layout: 'layout',
};

function describeKeys(patch: SettingsPatch): string {
  return (Object.keys(patch) as (keyof Settings)[]).map((k) => KEY_LABELS[k] ?? k).join(', ');
}

/** The app-wide store. */
export const sessionStore = createSessionStore();

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(sessionStore, selector);
}
