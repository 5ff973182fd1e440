export { openDatabase, integrityCheck, dbSizeBytes } from './db';
export type { OpenDatabaseOptions, IntegrityReport } from './db';
export {
  MIGRATIONS,
  SCHEMA_VERSION,
  SchemaTooNewError,
  migrate,
  getUserVersion,
} from './migrations';
export type { Migration } from './migrations';
export type { DatasetExtra, DatasetInfo, DatasetKind, DatasetOrigin } from './datasets';
export { MAX_DATASET_LABEL } from './datasets';
export { AlertRepo } from './alerts';
export type { AlertScope, NewAlert } from './alerts';
export type { BarCloseColumns, BarQuery, TickQuery, SymbolTickStats } from './queries';
export type { BatchWriterOptions, FlushInfo, FlushReason, WriterStats } from './writer';
export { PairDeskStore } from './store';
export type { PairDeskStoreOptions, StoreStats, StoredDatasetSummary } from './store';
export { fileBytesOnDisk, reclaimFreePages } from './space';
