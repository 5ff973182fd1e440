/**
 * Dev harness for the renderer (not a test): the real browser-mode server (startBrowserServer:
 * out/renderer, CSP, token, the /bridge WebSocket) in front of a contract implemented with FAKE
 * data — random-walk ticks aggregated into 1s/1m/5m bars, settings kept in memory.
 *
 *   npx tsx tests/renderer/harness/fakeBridgeServer.ts [--port 5199] [--token dev]
 *        [--scenario demo|live|failing|empty] [--rate 20] [--history 1500] [--alerts 0]
 *
 * Scenarios: demo (simulated source, labelled SIMULATED), live (a "real" live source),
 * failing (live source that cannot connect: backing_off), empty (no history: warm-up states).
 * Also importable: `startFakeBridge(options)` for browser tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../src/core/contract/contract';
import type {
  AlertRecord,
  ConnectionStatus,
  ContractHost,
  EventEnvelope,
  ExportRequest,
  EventMap,
  EventName,
  IngestStats,
  ReplayFile,
  RequestChannel,
  Settings,
  SourceInfo,
  SourceKind,
} from '../../../src/core/contract/contract';
import { parseRequest } from '../../../src/core/contract/schemas';
import { applySettingsPatch } from '../../../src/core/contract/settingsPatch';
import type { Bar, Timeframe } from '../../../src/core/market/types';
import { TIMEFRAME_MS, TIMEFRAMES } from '../../../src/core/market/types';
import { startBrowserServer } from '../../../src/main/bridge/browserServer';
import { mulberry32 } from '../../support/prng';
import { sourceInfo } from '../../support/sourceInfo';
import { FakeFiles } from './fakeFiles';

export type Scenario = 'demo' | 'live' | 'failing' | 'empty';

export interface FakeBridgeOptions {
  port?: number;
  token?: string;
  scenario?: Scenario;
  /** Ticks per second per symbol. */
  rate?: number;
  /** Directory served (default out/renderer). */
  root?: string;
  /** History bars generated per (symbol, timeframe). */
  historyBars?: number;
  /** Alert events stored at start (synthetic z-score/correlation events), for the Alerts tab. */
  alerts?: number;
  /** Folder of uploads and downloads (default: a new temporary folder). */
  dataDir?: string;
  /** How long a fake import takes, ms. */
  importMs?: number;
  log?: (line: string) => void;
}

const BASE_PRICE: Record<string, number> = {
  BTCUSDT: 64_250,
  ETHUSDT: 3_420,
  SOLUSDT: 142.5,
  BNBUSDT: 585,
  XRPUSDT: 0.5234,
};

function gaussian(rand: () => number): number {
  const u = Math.max(1e-12, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

interface SymbolState {
  symbol: string;
  price: number;
  lastTradeMs: number;
  /** Live bars per timeframe: closed history + the in-progress one (last). */
  bars: Map<Timeframe, Bar[]>;
}

function makeBar(symbol: string, tf: Timeframe, startMs: number, open: number): Bar {
  return {
    symbol,
    timeframeMs: TIMEFRAME_MS[tf],
    startMs,
    open,
    high: open,
    low: open,
    close: open,
    volume: 0,
    quoteVolume: 0,
    trades: 0,
    takerBuyVolume: 0,
    vwap: open,
  };
}

/** `count` closed bars ending just before `endStartMs`, walking back from `endPrice`. */
function synthHistory(
  symbol: string,
  tf: Timeframe,
  endStartMs: number,
  endPrice: number,
  count: number,
  rand: () => number,
): Bar[] {
  const ms = TIMEFRAME_MS[tf];
  const vol = 0.0009 * Math.sqrt(ms / 60_000);
  const bars: Bar[] = [];
  let close = endPrice;
  for (let i = 1; i <= count; i++) {
    const drift = gaussian(rand) * vol;
    const open = close / Math.exp(drift);
    const high = Math.max(open, close) * (1 + Math.abs(gaussian(rand)) * vol * 0.4);
    const low = Math.min(open, close) * (1 - Math.abs(gaussian(rand)) * vol * 0.4);
    const volume = (0.5 + rand() * 2) * (ms / 1000) * (10_000 / endPrice);
    bars.push({
      symbol,
      timeframeMs: ms,
      startMs: endStartMs - i * ms,
      open,
      high,
      low,
      close,
      volume,
      quoteVolume: volume * ((open + close) / 2),
      trades: Math.round(volume * 10) + 1,
      takerBuyVolume: volume * rand(),
      vwap: (open + close) / 2,
    });
    close = open;
  }
  return bars.reverse();
}

export interface FakeBridge {
  url: string;
  port: number;
  token: string;
  /** Pushes an event to every client (tests). */
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Stores an alert event (next id) and pushes it as an `alerts` event; returns it. */
  addAlert(partial?: Partial<AlertRecord>): AlertRecord;
  /** `alerts.history` requests received (paging checks). */
  alertRequests(): { limit: number; beforeId?: number }[];
  settings(): Settings;
  /** Files, datasets and exports (issue #10). */
  files: FakeFiles;
  close(): Promise<void>;
}

export async function startFakeBridge(options: FakeBridgeOptions = {}): Promise<FakeBridge> {
  const token = options.token ?? 'dev';
  const scenario = options.scenario ?? 'demo';
  const rate = options.rate ?? 20;
  const root = resolve(options.root ?? join(import.meta.dirname, '../../../out/renderer'));
  const historyBars = options.historyBars ?? 1500;
  const log = options.log ?? (() => {});
  const rand = mulberry32(42);

  let settings: Settings = structuredClone({
    ...DEFAULT_SETTINGS,
    symbols: [...DEFAULT_SETTINGS.symbols, 'SOLUSDT'],
    source: scenario === 'demo' || scenario === 'empty' ? 'demo' : 'live',
  });
  let source: SourceInfo = sourceFor(settings.source as SourceKind);
  let connection: ConnectionStatus =
    scenario === 'failing'
      ? {
          state: 'backing_off',
          reason: 'fstream.binance.com: getaddrinfo ENOTFOUND (retry 4 in 8 s)',
          sinceMs: Date.now(),
        }
      : { state: 'live', reason: 'streaming 2 symbols', sinceMs: Date.now() - 65_000 };
  const stats: IngestStats = {
    messagesPerSec: 0,
    lastMessageAgeMs: null,
    ticksStored: scenario === 'empty' ? 0 : 1_284_113,
    rejects: scenario === 'empty' ? {} : { duplicate: 12, too_late: 3, bad_price: 1 },
    rejectsTotal: scenario === 'empty' ? 0 : 16,
    dbSizeBytes: scenario === 'empty' ? 96 * 1024 : 187_654_321,
  };
  let lastMessageMs: number | null = null;
  let ticksThisSecond = 0;

  /** The captures offered by replay.files: picked by id, as main offers them. */
  const replayFiles: ReplayFile[] = [
    { id: 'cap-0718', name: 'um-btcusdt-ethusdt-2024-07-18.jsonl.gz', sizeBytes: 48_312_004 },
    { id: 'cap-0808', name: 'um-btcusdt-ethusdt-2024-08-08.jsonl.gz', sizeBytes: 61_004_112 },
  ];

  function sourceFor(kind: SourceKind, fileId?: string, speed?: number): SourceInfo {
    if (kind === 'demo')
      return sourceInfo({ kind, simulated: true, label: 'Simulated market', datasetId: 2 });
    if (kind === 'replay') {
      const file = replayFiles.find((f) => f.id === fileId);
      if (!file)
        throw new Error('that replay file is not offered (any more): choose one from the list');
      return sourceInfo({
        kind,
        label: `Replay ${file.name}`,
        datasetId: 3,
        speed: speed ?? settings.replaySpeed,
        fileId: file.id,
        fileName: file.name,
      });
    }
    return sourceInfo({ kind });
  }

  const symbols = new Map<string, SymbolState>();
  function ensureSymbol(symbol: string): SymbolState {
    let state = symbols.get(symbol);
    if (state) return state;
    const price = BASE_PRICE[symbol] ?? 10 + rand() * 90;
    const now = Date.now();
    state = { symbol, price, lastTradeMs: 0, bars: new Map() };
    for (const tf of TIMEFRAMES) {
      const ms = TIMEFRAME_MS[tf];
      const start = Math.floor(now / ms) * ms;
      const history =
        scenario === 'empty' ? [] : synthHistory(symbol, tf, start, price, historyBars, rand);
      history.push(makeBar(symbol, tf, start, price));
      state.bars.set(tf, history);
    }
    symbols.set(symbol, state);
    return state;
  }
  for (const s of settings.symbols) ensureSymbol(s);

  // ---- alerts: synthetic stored events, oldest first (ids ascending) ----
  const alerts: AlertRecord[] = [];
  const alertRequests: { limit: number; beforeId?: number }[] = [];
  const KINDS = ['breach', 'revert', 'breach', 'escalate', 'revert'] as const;
  function makeAlert(partial: Partial<AlertRecord> = {}): AlertRecord {
    const id = (alerts.at(-1)?.id ?? 0) + 1;
    const kind = KINDS[id % KINDS.length];
    const correlation = id % 7 === 0;
    const base: AlertRecord = {
      id,
      datasetId: source.datasetId,
      source: source.kind,
      pairA: settings.pairA,
      pairB: settings.pairB,
      timeframe: '1m',
      rollingWindow: settings.rollingWindow,
      rule: correlation ? 'correlation' : 'zscore',
      kind: correlation && kind === 'escalate' ? 'breach' : kind,
      side: correlation ? 'lower' : id % 2 ? 'upper' : 'lower',
      value: correlation ? 0.21 : (id % 2 ? 1 : -1) * (kind === 'revert' ? 0.3 : 2.2 + rand()),
      threshold: correlation ? 0.3 : kind === 'revert' ? 0.5 : kind === 'escalate' ? 3 : 2,
      beta: 18.7 + rand(),
      barStartMs: Date.now() - (historyBars - id) * 60_000,
      wallMs: Date.now() - (historyBars - id) * 1_000,
      acknowledged: false,
      notified: false,
    };
    return { ...base, ...partial, id };
  }
  for (let i = 0; i < (options.alerts ?? 0); i++) alerts.push(makeAlert());
  const unacknowledged = () => alerts.reduce((n, a) => n + (a.acknowledged ? 0 : 1), 0);
  function alertMatches(a: AlertRecord, f: { pair?: string; rule?: string; source?: string }) {
    return (
      (!f.pair || `${a.pairA}/${a.pairB}` === f.pair) &&
      (!f.rule || a.rule === f.rule) &&
      (!f.source || a.source === f.source)
    );
  }

  const listeners = new Set<(envelope: EventEnvelope) => void>();
  function emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of listeners) listener(envelope);
  }

  // ---- market simulation ----
  const pendingClosed: Bar[] = [];
  const touched = new Set<Bar>();
  const flowing = () => connection.state === 'live' && source.state === 'running';
  const tickTimer = setInterval(() => {
    if (!flowing()) return;
    const now = Date.now();
    for (const symbol of settings.symbols) {
      const st = ensureSymbol(symbol);
      const n = Math.max(1, Math.round((rate / 20) * (0.5 + rand())));
      for (let k = 0; k < n; k++) {
        st.price *= Math.exp(gaussian(rand) * 0.00012);
        const qty = (0.01 + rand()) * (2_000 / st.price);
        st.lastTradeMs = now;
        ticksThisSecond += 1;
        stats.ticksStored += 1;
        for (const tf of TIMEFRAMES) {
          const ms = TIMEFRAME_MS[tf];
          const start = Math.floor(now / ms) * ms;
          const list = st.bars.get(tf)!;
          let bar = list[list.length - 1];
          if (bar.startMs < start) {
            if (bar.trades > 0 || scenario !== 'empty') pendingClosed.push(bar);
            else list.pop();
            bar = makeBar(symbol, tf, start, st.price);
            list.push(bar);
            if (list.length > historyBars + 500) list.splice(0, list.length - historyBars);
          }
          bar.high = Math.max(bar.high, st.price);
          bar.low = Math.min(bar.low, st.price);
          bar.close = st.price;
          bar.volume += qty;
          bar.quoteVolume += qty * st.price;
          bar.trades += 1;
          if (rand() > 0.5) bar.takerBuyVolume += qty;
          bar.vwap = bar.quoteVolume / bar.volume;
          touched.add(bar);
        }
      }
    }
    lastMessageMs = now;
  }, 50);

  const pushTimer = setInterval(() => {
    if (listeners.size === 0) return;
    if (touched.size > 0 || pendingClosed.length > 0) {
      const closed = pendingClosed.splice(0).map((b) => ({ ...b }));
      const closedSet = new Set(closed.map((b) => `${b.symbol}|${b.timeframeMs}|${b.startMs}`));
      const inProgress = [...touched]
        .filter((b) => !closedSet.has(`${b.symbol}|${b.timeframeMs}|${b.startMs}`))
        .map((b) => ({ ...b }));
      touched.clear();
      emit('bars', { closed, inProgress });
      emit(
        'prices',
        settings.symbols
          .map((s) => symbols.get(s))
          .filter((s): s is SymbolState => !!s && s.lastTradeMs > 0)
          .map((s) => ({ symbol: s.symbol, price: s.price, timeMs: s.lastTradeMs })),
      );
    }
  }, 100);

  const statsTimer = setInterval(() => {
    stats.messagesPerSec = ticksThisSecond;
    ticksThisSecond = 0;
    stats.lastMessageAgeMs = lastMessageMs === null ? null : Date.now() - lastMessageMs;
    stats.dbSizeBytes += Math.round(stats.messagesPerSec * 61);
    emit('stats', { ...stats, rejects: { ...stats.rejects } });
  }, 1000);

  // ---- files in and out: uploads, imports, datasets, exports ----
  function csvFor(request: ExportRequest): { fileName: string; text: string } {
    if (request.what === 'analytics' || request.what === 'rejects') {
      return { fileName: 'analytics.csv', text: 'start_ms,close_a,close_b\n' };
    }
    const timeframe = request.what === 'bars' ? request.timeframe : '1s';
    const wanted = request.symbols ?? settings.symbols;
    const rows: string[] = [];
    for (const symbol of wanted) {
      for (const b of ensureSymbol(symbol).bars.get(timeframe) ?? []) {
        if (request.fromMs !== undefined && b.startMs < request.fromMs) continue;
        if (request.toMs !== undefined && b.startMs > request.toMs) continue;
        rows.push(
          request.what === 'bars'
            ? `${symbol},${b.startMs},${b.open},${b.high},${b.low},${b.close},${b.volume}`
            : `${symbol},${b.startMs},${b.close},${b.volume}`,
        );
      }
    }
    const header =
      request.what === 'bars'
        ? 'symbol,start_ms,open,high,low,close,volume'
        : 'symbol,time_ms,price,qty';
    const name = `${wanted.join('-')}-${request.what === 'bars' ? `${timeframe}-bars` : 'ticks'}.csv`;
    return { fileName: name, text: [header, ...rows].join('\n').concat('\n') };
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pairdesk-fake-bridge-'));
  const files = new FakeFiles({
    dataDir,
    importMs: options.importMs ?? 1500,
    emit: (event, payload) => emit(event, payload),
    source: () => source,
    setSource: (next) => {
      source = next;
      emit('source', source);
    },
    csvFor,
  });

  // ---- requests ----
  async function handle(channel: RequestChannel, raw: unknown): Promise<unknown> {
    switch (channel) {
      case 'session.snapshot': {
        parseRequest(channel, raw);
        return {
          source,
          symbols: settings.symbols,
          connection,
          prices: settings.symbols
            .map((s) => symbols.get(s))
            .filter((s): s is SymbolState => !!s && s.lastTradeMs > 0)
            .map((s) => ({ symbol: s.symbol, price: s.price, timeMs: s.lastTradeMs })),
          stats: { ...stats, lastMessageAgeMs: lastMessageMs && Date.now() - lastMessageMs },
          settings,
        };
      }
      case 'bars.history': {
        const req = parseRequest(channel, raw);
        if (!settings.symbols.includes(req.symbol)) return [];
        const list = ensureSymbol(req.symbol).bars.get(req.timeframe)!;
        const bars = list.filter((b) => b.trades > 0 || scenario !== 'empty');
        await new Promise((r) => setTimeout(r, 60)); // like a SQLite read
        return bars.slice(-req.limit).map((b) => ({ ...b }));
      }
      case 'settings.update': {
        const patch = parseRequest(channel, raw);
        if (patch.pairA && !settings.symbols.includes(patch.pairA))
          throw new Error(`pairA ${patch.pairA} is not a subscribed symbol`);
        if (patch.pairB && !settings.symbols.includes(patch.pairB))
          throw new Error(`pairB ${patch.pairB} is not a subscribed symbol`);
        if (patch.lookback === 4242) throw new Error('simulated storage failure'); // test hook
        settings = applySettingsPatch(settings, patch);
        emit('settings', settings);
        return settings;
      }
      case 'source.select': {
        const req = parseRequest(channel, raw);
        source = sourceFor(req.kind, req.fileId, req.speed);
        settings = {
          ...settings,
          source: req.kind,
          ...(req.fileId ? { replayFile: `/data/captures/${source.fileName}` } : {}),
          ...(req.speed ? { replaySpeed: req.speed } : {}),
        };
        connection =
          req.kind === 'live' && scenario === 'failing'
            ? {
                state: 'backing_off',
                reason: 'fstream.binance.com: getaddrinfo ENOTFOUND',
                sinceMs: Date.now(),
              }
            : {
                state: 'live',
                reason: `streaming ${settings.symbols.length} symbols`,
                sinceMs: Date.now(),
              };
        emit('source', source);
        emit('connection', connection);
        emit('settings', settings);
        return source;
      }
      case 'symbols.add': {
        const { symbol } = parseRequest(channel, raw);
        if (settings.symbols.includes(symbol)) throw new Error(`${symbol} is already subscribed`);
        settings = { ...settings, symbols: [...settings.symbols, symbol] };
        ensureSymbol(symbol);
        emit('settings', settings);
        return settings.symbols;
      }
      case 'symbols.remove': {
        const { symbol } = parseRequest(channel, raw);
        settings = { ...settings, symbols: settings.symbols.filter((s) => s !== symbol) };
        emit('settings', settings);
        return settings.symbols;
      }
      case 'replay.files': {
        parseRequest(channel, raw);
        return replayFiles;
      }
      case 'alerts.history': {
        const req = parseRequest(channel, raw);
        alertRequests.push({
          limit: req.limit,
          ...(req.beforeId === undefined ? {} : { beforeId: req.beforeId }),
        });
        const rows: AlertRecord[] = [];
        let total = 0;
        for (let i = alerts.length - 1; i >= 0; i--) {
          const a = alerts[i];
          if (!alertMatches(a, req)) continue;
          total++;
          if (rows.length < req.limit && (req.beforeId === undefined || a.id < req.beforeId))
            rows.push({ ...a });
        }
        await new Promise((r) => setTimeout(r, 20)); // like a SQLite read
        return { rows, total, unacknowledged: unacknowledged() };
      }
      case 'alerts.acknowledge': {
        const req = parseRequest(channel, raw);
        const ids = new Set(req.ids ?? []);
        for (const a of alerts) if (req.all || ids.has(a.id)) a.acknowledged = true;
        return { unacknowledged: unacknowledged() };
      }
      case 'alerts.export': {
        const req = parseRequest(channel, raw);
        const rows = alerts.filter((a) => alertMatches(a, req));
        const csv = [
          'id,rule,kind,value',
          ...rows.map((a) => `${a.id},${a.rule},${a.kind},${a.value}`),
        ]
          .join('\n')
          .concat('\n');
        return { savedTo: null, csv, fileName: 'pairdesk-alerts.csv', rows: rows.length };
      }
      default:
        if (files.handles(channel)) return files.handle(channel, raw);
        throw new Error(`"${channel}" is not implemented by the fake bridge`);
    }
  }

  // ---- HTTP + WS: the real browser-mode server, with this fake behind the contract ----
  const host: ContractHost = {
    handle: (channel, request) => handle(channel, request) as Promise<never>,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const server = await startBrowserServer({
    host,
    rendererDir: root,
    port: options.port ?? 0,
    token,
    dataDir,
    onUpload: (path) => files.register(path),
  });
  const { url, port } = server;
  log(`PairDesk fake bridge (${scenario}) at ${url}`);

  return {
    url,
    port,
    token,
    emit,
    addAlert: (partial) => {
      const record = makeAlert(partial);
      alerts.push(record);
      emit('alerts', { added: [{ ...record }], unacknowledged: unacknowledged() });
      return record;
    },
    alertRequests: () => alertRequests.map((r) => ({ ...r })),
    settings: () => settings,
    files,
    close: async () => {
      clearInterval(tickTimer);
      clearInterval(pushTimer);
      clearInterval(statsTimer);
      await server.close();
    },
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const bridge = await startFakeBridge({
    port: Number(arg('port') ?? 5199),
    token: arg('token') ?? 'dev',
    scenario: (arg('scenario') as Scenario | undefined) ?? 'demo',
    rate: Number(arg('rate') ?? 20),
    historyBars: Number(arg('history') ?? 1500),
    alerts: Number(arg('alerts') ?? 0),
    log: (line) => console.log(line),
  });
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
