/**
 * Composition root of the main-process services, shared by the Electron bootstrap, the CLI
 * and the browser mode. (Stub: the lead is wiring the real services.)
 */
import type { ContractHost, SourceKind } from '../../core/contract/contract';

export interface PairDeskAppOptions {
  /** SQLite database file (the Electron app keeps it under the user-data folder). */
  dbFile: string;
  /** better-sqlite3 binary built for the running ABI (Electron passes its rebuilt copy). */
  nativeBinding?: string;
  source: SourceKind;
  symbols?: string[];
  /** Base WebSocket URL of the feed (default Binance USD-M futures). */
  feedUrl?: string;
}

export interface PairDeskApp {
  host: ContractHost;
  stop(): Promise<void>;
}

export async function startPairDeskApp(_options: PairDeskAppOptions): Promise<PairDeskApp> {
  throw new Error('startPairDeskApp: not wired yet');
}
