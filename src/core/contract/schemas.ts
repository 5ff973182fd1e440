/**
 * Runtime validation of every request that crosses a transport into the main process: one zod
 * schema per request channel of the contract. The renderer is treated as untrusted input, so
 * the Electron IPC handlers and the browser-mode bridge both run payloads through `parseRequest`
 * before they reach the services.
 */
import { z } from 'zod';
import type { Timeframe } from '../market/types';
import type { SettingsPatch, SettingsUpdate, SourceKind } from './contract';
import { REQUEST_CHANNELS } from './contract';
import type { RequestChannel, RequestOf } from './contract';

/** Upper-case Binance-style symbol, e.g. `BTCUSDT`. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,30}$/;
export const MAX_BARS_LIMIT = 100_000;
/** Largest Kalman observation variance Ve accepted (price² units; BTC's default is 10). */
export const KALMAN_VE_MAX = 1e12;

const TIMEFRAME_VALUES = ['1s', '1m', '5m'] as const satisfies readonly Timeframe[];
const SOURCE_VALUES = ['live', 'demo', 'replay'] as const satisfies readonly SourceKind[];

const symbol = z
  .string()
  .regex(SYMBOL_PATTERN, 'symbol must be 2-30 upper-case letters or digits, e.g. BTCUSDT');
/** Replay speed: × original pace; 0 is not allowed (use a large factor for "as fast as possible"). */
const speed = z.number().positive().max(10_000);

const windowBounds = z
  .object({
    x: z.number().int(),
    y: z.number().int(),
    width: z.number().int().min(200).max(20_000),
    height: z.number().int().min(200).max(20_000),
    maximized: z.boolean(),
  })
  .strict();

/** An offered replay file's id (`replay.files`): opaque, never a path. */
export const REPLAY_FILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const replayFileId = z
  .string()
  .regex(REPLAY_FILE_ID_PATTERN, 'fileId must be the id of a file listed by replay.files');

/** Most files one request may name (open dialog, drop, import). */
export const MAX_FILES = 64;
/** Opaque ids main hands out (picked files, jobs, reject reports): never a path. */
export const OPAQUE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const opaqueId = z.string().regex(OPAQUE_ID_PATTERN, 'must be an id main handed out');
const fileIds = z.array(opaqueId).min(1).max(MAX_FILES);
const jobId = opaqueId;
const datasetId = z.number().int().positive();
const timeMs = z.number().int().min(0).max(8.64e15);
const importRequest = z
  .object({
    fileIds,
    name: z.string().trim().min(1).max(200).optional(),
    symbols: z.record(opaqueId, symbol).optional(),
  })
  .strict();

const settingsFields = z.object({
  source: z.enum(SOURCE_VALUES),
  replayFile: z.string().min(1).max(4096).nullable(),
  openDatasetId: z.number().int().positive().nullable(),
  replaySpeed: speed,
  symbols: z.array(symbol).min(1).max(50),
  pairA: symbol,
  pairB: symbol,
  timeframe: z.enum(TIMEFRAME_VALUES),
  rollingWindow: z.number().int().min(5).max(10_000),
  lookback: z.number().int().min(20).max(MAX_BARS_LIMIT),
  alertThreshold: z.number().positive().max(20),
  alertRearm: z.number().min(0).max(20),
  alertCritical: z.number().positive().max(40),
  correlationAlertLevel: z.number().gt(-1).lt(0.9),
  feedSilenceSeconds: z.number().int().min(1).max(86_400),
  notifyLive: z.boolean(),
  notifyDemo: z.boolean(),
  notifyReplay: z.boolean(),
  hedgeMethod: z.enum(['static', 'rolling', 'kalman']),
  // δ = 1 would make the state noise δ/(1−δ) infinite.
  kalmanDelta: z.number().gt(0).lt(1),
  kalmanVe: z.number().positive().max(KALMAN_VE_MAX),
  theme: z.enum(['dark', 'light']),
  activeTab: z.enum(['prices', 'analytics', 'alerts', 'data']),
  layout: z
    .object({ sidebarWidth: z.number().int().min(160).max(800), window: windowBounds.nullable() })
    .strict()
    .partial(),
});

/**
 * `settings.update`: every field optional (a patch), and no `replayFile`: a path from the
 * renderer would let it make main read any file (issue #13); the replay file changes only
 * through `source.select` with an offered id. Cross-field rules are checked by the service.
 */
export const settingsPatchSchema: z.ZodType<SettingsUpdate> = settingsFields
  .omit({ replayFile: true, openDatasetId: true })
  .strict()
  .partial();

/**
 * Settings as stored in SQLite, `replayFile` included (main wrote it; it is checked again
 * against the replay folders before it is opened).
 */
export const storedSettingsSchema: z.ZodType<SettingsPatch> = settingsFields.strict().partial();

const alertFilter = z.object({
  pair: z
    .string()
    .regex(/^[A-Z0-9]{2,30}\/[A-Z0-9]{2,30}$/, 'pair must be A/B, e.g. BTCUSDT/ETHUSDT')
    .optional(),
  rule: z.enum(['zscore', 'correlation', 'feed']).optional(),
  source: z.enum(SOURCE_VALUES).optional(),
});

export const requestSchemas: { readonly [C in RequestChannel]: z.ZodType<RequestOf<C>> } = {
  'session.snapshot': z.null(),
  'bars.history': z
    .object({
      symbol,
      timeframe: z.enum(TIMEFRAME_VALUES),
      limit: z.number().int().min(1).max(MAX_BARS_LIMIT),
    })
    .strict(),
  'settings.update': settingsPatchSchema,
  'source.select': z
    .object({
      kind: z.enum(SOURCE_VALUES),
      fileId: replayFileId.optional(),
      speed: speed.optional(),
    })
    .strict(),
  'symbols.add': z.object({ symbol }).strict(),
  'symbols.remove': z.object({ symbol }).strict(),
  'replay.files': z.null(),
  'analytics.series': z.object({ limit: z.number().int().min(1).max(MAX_BARS_LIMIT) }).strict(),
  'analytics.runTests': z.null(),
  'analytics.lastTests': z.null(),
  'alerts.history': alertFilter
    .extend({
      limit: z.number().int().min(1).max(MAX_BARS_LIMIT),
      beforeId: z.number().int().positive().optional(),
    })
    .strict(),
  'alerts.acknowledge': z
    .object({
      ids: z.array(z.number().int().positive()).max(100_000).optional(),
      all: z.boolean().optional(),
    })
    .strict()
    .refine((r) => r.ids !== undefined || r.all === true, 'give ids or all: true'),
  'alerts.export': alertFilter.strict(),
  'files.open': z.object({ purpose: z.enum(['import', 'replay']) }).strict(),
  'files.register': z
    .object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(MAX_FILES) })
    .strict(),
  'files.inspect': z.object({ fileIds }).strict(),
  'files.import': importRequest,
  'files.replay': importRequest.extend({ speed: speed.optional() }).strict(),
  'files.cancel': z.object({ jobId }).strict(),
  'replay.control': z.discriminatedUnion('action', [
    z.object({ action: z.literal('pause') }).strict(),
    z.object({ action: z.literal('resume') }).strict(),
    z.object({ action: z.literal('restart') }).strict(),
    z.object({ action: z.literal('speed'), speed }).strict(),
  ]),
  'datasets.list': z.null(),
  'datasets.open': z.object({ id: datasetId }).strict(),
  'datasets.rename': z
    .object({
      id: datasetId,
      label: z
        .string()
        .trim()
        .min(1, 'label must not be empty')
        .max(200, 'label must be at most 200 characters'),
    })
    .strict(),
  'datasets.delete': z.object({ id: datasetId }).strict(),
  'export.csv': z.discriminatedUnion('what', [
    z
      .object({
        what: z.literal('bars'),
        datasetId: datasetId.optional(),
        symbols: z.array(symbol).min(1).max(2),
        timeframe: z.enum(TIMEFRAME_VALUES),
        fromMs: timeMs.optional(),
        toMs: timeMs.optional(),
      })
      .strict(),
    z
      .object({
        what: z.literal('ticks'),
        datasetId: datasetId.optional(),
        symbols: z.array(symbol).min(1).max(1_000).optional(),
        fromMs: timeMs.optional(),
        toMs: timeMs.optional(),
      })
      .strict(),
    z
      .object({ what: z.literal('analytics'), fromMs: timeMs.optional(), toMs: timeMs.optional() })
      .strict(),
    z.object({ what: z.literal('rejects'), reportId: opaqueId }).strict(),
  ]),
};

/** Thrown for a request that does not match its channel's schema; the message says why. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(value);
}

/**
 * Validates `payload` for `channel` and returns it typed; throws `InvalidRequestError` with a
 * readable message such as `Invalid request for "bars.history": limit: Too big: expected number
 * to be <=100000` otherwise. Never throws anything else.
 */
export function parseRequest<C extends RequestChannel>(channel: C, payload: unknown): RequestOf<C> {
  if (!isRequestChannel(channel)) {
    throw new InvalidRequestError(`Unknown request channel: ${JSON.stringify(String(channel))}`);
  }
  const schema = requestSchemas[channel] as z.ZodType<RequestOf<C>>;
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const details = result.error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
  throw new InvalidRequestError(`Invalid request for "${channel}": ${details}`);
}
