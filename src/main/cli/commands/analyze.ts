import { HEDGE_METHODS, type HedgeMethod } from '../../../core/analysis/pairAnalysis';
import { formatSummaryText } from '../../../core/analysis/summaryText';
import { DEFAULT_ALERT_REARM, type ZScoreRuleParams } from '../../../core/alerts/types';
import { validateZScoreParams } from '../../../core/alerts/zScoreRule';
import { TIMEFRAMES, type Timeframe } from '../../../core/market/types';
import { KALMAN_DEFAULTS } from '../../../core/stats/kalman';
import type { IngestStats } from '../../analyze/ingestFiles';
import type { AnalyzeInputs } from '../../analyze/inputFormat';
import {
  numberOption,
  requiredString,
  stringOption,
  SYMBOL_SHAPE,
  UsageError,
  type CliCommand,
  type ParsedArgs,
} from '../command';
import { requireInputFiles } from '../inputFiles';

function parsePair(text: string): [string, string] {
  const parts = text.split('/').map((s) => s.trim().toUpperCase());
  if (parts.length !== 2 || !SYMBOL_SHAPE.test(parts[0]) || !SYMBOL_SHAPE.test(parts[1])) {
    throw new UsageError(`--pair must look like BTCUSDT/ETHUSDT (A/B), got "${text}"`);
  }
  if (parts[0] === parts[1])
    throw new UsageError(`--pair needs two different symbols, got "${text}"`);
  return [parts[0], parts[1]];
}

/** The files exist; then what they hold (refused in one line when it cannot be analysed). */
async function checkFiles(files: string[]): Promise<AnalyzeInputs> {
  requireInputFiles(
    files,
    'give at least one input file (NDJSON capture, Binance CSV/zip, PairDesk export)',
  );
  const { analyzeInputs } = await import('../../analyze/inputFormat');
  const inputs = await analyzeInputs(files);
  if (inputs.refusal !== null) throw new UsageError(inputs.refusal);
  return inputs;
}

const int = (n: number): string => n.toLocaleString('en-US');

const DEFAULT_ALERT_Z = 2;

/**
 * The z-score alert levels from --alert-z K, --alert-rearm R, --alert-crit C (defaults 2, 0.5,
 * K + 1), checked together (0 ≤ R < K < C) so a bad combination is one usage line. Undefined
 * without --alerts-out; the levels alone are refused rather than silently ignored.
 */
function alertOptions(args: ParsedArgs): { path: string; params: ZScoreRuleParams } | undefined {
  const path = stringOption(args, 'alerts-out');
  const k = numberOption(args, 'alert-z', { above: 0 });
  const rearm = numberOption(args, 'alert-rearm', { min: 0 });
  const critical = numberOption(args, 'alert-crit', { above: 0 });
  if (path === undefined) {
    if (k !== undefined || rearm !== undefined || critical !== undefined) {
      throw new UsageError('--alert-z, --alert-rearm and --alert-crit need --alerts-out FILE');
    }
    return undefined;
  }
  if (path === '') throw new UsageError('--alerts-out needs a file name');
  const kk = k ?? DEFAULT_ALERT_Z;
  const params = { k: kk, rearm: rearm ?? DEFAULT_ALERT_REARM, critical: critical ?? kk + 1 };
  const problem = validateZScoreParams(params);
  if (problem !== null) throw new UsageError(`--alert-rearm/--alert-z/--alert-crit: ${problem}`);
  return { path, params };
}

function ingestLines(s: IngestStats): string[] {
  const secs = s.elapsedMs / 1000;
  const lines = [
    `input       ${s.files} file${s.files === 1 ? '' : 's'}, ${int(s.lines)} lines, ${(s.bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(2)} s (${int(Math.round(s.lines / Math.max(secs, 1e-9)))} lines/s)`,
    `            ${int(s.tradesUsed)} trades into bars · ${int(s.otherMessages)} other messages · ${int(s.otherSymbolTrades)} trades of other symbols · ${int(s.nonMarketTrades)} non-MARKET · ${int(s.rejected)} rejected`,
  ];
  return lines;
}

function rejectReport(s: IngestStats): string[] {
  if (s.rejected === 0) return [];
  const counts = Object.entries(s.rejectCounts)
    .map(([r, c]) => `${r} ${int(c)}`)
    .join(', ');
  const out = [`rejected ${int(s.rejected)} line${s.rejected === 1 ? '' : 's'}: ${counts}`];
  for (const r of s.rejectSamples) {
    out.push(
      `  ${r.file}:${r.line}  ${r.reason}${r.field !== undefined ? ` (${r.field})` : ''}: ${r.message}`,
    );
  }
  if (s.rejected > s.rejectSamples.length) {
    out.push(`  … ${int(s.rejected - s.rejectSamples.length)} more not listed`);
  }
  return out;
}

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary:
    'Pair analytics from Binance NDJSON captures (trade/aggTrade, raw or combined, .gz ok), data.binance.vision aggTrades/trades/klines CSV or .zip, PairDesk exports or OHLC CSV: aligned closes, hedge ratio, spread, z-score, correlation, ADF, Engle–Granger, half-life, Hurst, Kalman.',
  positionals: 'FILE...',
  options: {
    pair: {
      type: 'string',
      valueName: 'A/B',
      description: 'Pair, A regressed on B, e.g. BTCUSDT/ETHUSDT',
    },
    timeframe: {
      type: 'string',
      valueName: TIMEFRAMES.join('|'),
      description:
        "Bar timeframe (default 1s; bars-only inputs such as klines: the bars' own, and no finer)",
    },
    window: {
      type: 'string',
      valueName: 'BARS',
      description: 'Rolling window W (z-score, correlation, rolling hedge)',
      default: '60',
    },
    lookback: {
      type: 'string',
      valueName: 'N',
      description: 'Use only the last N aligned bars (default: all)',
    },
    hedge: {
      type: 'string',
      valueName: HEDGE_METHODS.join('|'),
      description: 'Hedge ratio: static OLS, rolling OLS over W, or Kalman prior β',
      default: 'static',
    },
    'kalman-delta': {
      type: 'string',
      valueName: 'δ',
      description: `Kalman state random-walk intensity δ, Vw = δ/(1−δ)·I, in (0, 1) (default ${KALMAN_DEFAULTS.delta})`,
    },
    'kalman-ve': {
      type: 'string',
      valueName: 'Ve',
      description: `Kalman observation noise variance, in A's price units squared, > 0 (default ${KALMAN_DEFAULTS.ve})`,
    },
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Write one row per aligned bar to this CSV',
    },
    json: {
      type: 'string',
      valueName: 'FILE',
      description: 'Write the summary to this JSON file',
    },
    'alerts-out': {
      type: 'string',
      valueName: 'FILE',
      description:
        "Write the z-score alert rule's events over the bars to this CSV (time,start_ms,kind,side,zscore,threshold; kind breach|escalate|revert)",
    },
    'alert-z': {
      type: 'string',
      valueName: 'K',
      description: `Alert level: breach at |z| ≥ K (default ${DEFAULT_ALERT_Z})`,
    },
    'alert-rearm': {
      type: 'string',
      valueName: 'R',
      description: `Re-arm (revert) at |z| ≤ R, 0 ≤ R < K (default ${DEFAULT_ALERT_REARM})`,
    },
    'alert-crit': {
      type: 'string',
      valueName: 'C',
      description: 'Escalate once per breach at |z| ≥ C, C > K (default K + 1)',
    },
  },
  examples: [
    'npm run pairdesk -- analyze capture.ndjson.gz --pair BTCUSDT/ETHUSDT --timeframe 1s --out analytics.csv --json summary.json',
    'npm run pairdesk -- analyze day1.ndjson day2.ndjson --pair BTCUSDT/ETHUSDT --timeframe 1m --hedge kalman --window 120',
    'npm run pairdesk -- analyze capture.ndjson.gz --pair BTCUSDT/ETHUSDT --window 30 --alerts-out alerts.csv --alert-z 2.5',
  ],
  async run(args) {
    const [symbolA, symbolB] = parsePair(requiredString(args, 'pair'));
    const askedTimeframe = stringOption(args, 'timeframe');
    if (
      askedTimeframe !== undefined &&
      !(TIMEFRAMES as readonly string[]).includes(askedTimeframe)
    ) {
      throw new UsageError(
        `--timeframe must be one of ${TIMEFRAMES.join(', ')}, got "${askedTimeframe}"`,
      );
    }
    const window = numberOption(args, 'window', { integer: true, min: 2, max: 1e7 }) ?? 60;
    const lookback = numberOption(args, 'lookback', { integer: true, min: 1 });
    const hedge = stringOption(args, 'hedge') ?? 'static';
    if (!(HEDGE_METHODS as readonly string[]).includes(hedge)) {
      throw new UsageError(`--hedge must be one of ${HEDGE_METHODS.join(', ')}, got "${hedge}"`);
    }
    const kalman = {
      delta: numberOption(args, 'kalman-delta', { above: 0, below: 1 }) ?? KALMAN_DEFAULTS.delta,
      ve: numberOption(args, 'kalman-ve', { above: 0 }) ?? KALMAN_DEFAULTS.ve,
    };
    const csvPath = stringOption(args, 'out');
    const jsonPath = stringOption(args, 'json');
    if (csvPath === '' || jsonPath === '')
      throw new UsageError('--out and --json need a file name');
    const alerts = alertOptions(args);
    const inputs = await checkFiles(args.positionals);
    const { analyzeTimeframe } = await import('../../analyze/inputFormat');
    const chosen = analyzeTimeframe(askedTimeframe as Timeframe | undefined, inputs);
    if ('refusal' in chosen) throw new UsageError(chosen.refusal);
    const timeframe = chosen.timeframe;

    const { runAnalyze, AnalyzeInputError } = await import('../../analyze/runAnalyze');
    let result;
    try {
      result = await runAnalyze({
        files: args.positionals,
        symbolA,
        symbolB,
        timeframe,
        anyFormat: !inputs.ndjsonOnly,
        window,
        lookback,
        hedge: hedge as HedgeMethod,
        kalman,
        csvPath,
        jsonPath,
        alerts,
      });
    } catch (err) {
      if (err instanceof AnalyzeInputError) {
        // The rejections explain an "unusable" symbol; the verdict is the last line.
        for (const line of rejectReport(err.ingest)) console.error(line);
        console.error(`pairdesk analyze: ${err.message}`);
        return 1;
      }
      // Bad lines never get here (they become rejections and notes); this is I/O, e.g. an
      // output directory that does not exist.
      const e = err as NodeJS.ErrnoException;
      console.error(`pairdesk analyze: ${e.code !== undefined ? `${e.code}: ` : ''}${e.message}`);
      return 1;
    }

    const { summary, ingest } = result;
    for (const line of rejectReport(ingest)) console.error(line);
    for (const e of ingest.readErrors) console.error(`warning: input incomplete: ${e}`);
    const out = [...ingestLines(ingest), ...formatSummaryText(summary)];
    if (alerts !== undefined && result.alerts !== undefined) {
      const c = result.alerts.counts;
      const p = alerts.params;
      out.push(
        `alerts      z-score rule K ${p.k}, R ${p.rearm}, K_crit ${p.critical}: ${int(c.breach)} breach${c.breach === 1 ? '' : 'es'}, ${int(c.escalate)} escalation${c.escalate === 1 ? '' : 's'}, ${int(c.revert)} revert${c.revert === 1 ? '' : 's'}`,
      );
    }
    const wrote = [
      csvPath && `${csvPath} (${int(summary.bars)} rows)`,
      jsonPath,
      alerts && `${alerts.path} (${int(result.alerts?.events.length ?? 0)} events)`,
    ].filter(Boolean);
    if (wrote.length > 0) out.push(`wrote       ${wrote.join(', ')}`);
    const t = result.timings;
    out.push(
      `time        pipeline ${t.totalMs.toFixed(0)} ms (read+decode+bars ${t.ingestMs.toFixed(0)} ms, stats ${t.statsMs.toFixed(0)} ms, write ${t.writeMs.toFixed(0)} ms)`,
    );
    console.log(out.join('\n'));
    if (summary.notes.length > 0) {
      const n = summary.notes.length;
      console.error(
        `warning: some results are missing or incomplete (${n} note${n === 1 ? '' : 's'} above${jsonPath !== undefined ? ' and in the JSON' : ''})`,
      );
    }
    return 0;
  },
};
