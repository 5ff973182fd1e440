/**
 * The status bar's connection line, in words that fit the source (issue #8 §3): "Live" only for
 * the live feed, "Simulated market: streaming", "Replay <file> at 20×: playing", and for a
 * replay that reached its end, the file and the trades it replayed. Pure, for tests.
 */
import type { ConnectionState, ConnectionStatus, SourceInfo } from '../../core/contract/contract';
import { formatInteger } from './format';

/** The dot's colour class: conn-<tone>. */
export type StatusTone = ConnectionState | 'ended' | 'failed';

export interface SourceStatusText {
  /** The line itself, e.g. `Simulated market: streaming`. */
  text: string;
  /** Secondary words (why it is stale, reconnecting or failed), or null. */
  detail: string | null;
  tone: StatusTone;
}

/** The file name shortened in the middle to `max` characters (the tooltip has it whole). */
export function shortFileName(name: string, max = 28): string {
  if (name.length <= max) return name;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${name.slice(0, head)}…${name.slice(name.length - tail)}`;
}

const BINANCE_LABEL = 'Binance USD-M futures';

/** What the source is called in the status line. */
export function sourceName(source: SourceInfo, shortNames = true): string {
  switch (source.kind) {
    case 'live':
      // The Binance feed is "Live market"; another live URL keeps its "Live feed <host>" label.
      return source.label === BINANCE_LABEL ? 'Live market' : source.label;
    case 'demo':
      return 'Simulated market';
    case 'replay': {
      const file = source.fileName ?? source.label.replace(/^Replay /, '');
      const name = shortNames ? shortFileName(file) : file;
      return source.speed !== null ? `Replay ${name} at ${source.speed}×` : `Replay ${name}`;
    }
  }
}

const STATE_WORDS: Record<SourceInfo['kind'], Record<ConnectionState, string>> = {
  live: {
    connecting: 'connecting',
    live: 'receiving data',
    stale: 'no data',
    backing_off: 'reconnecting',
    stopped: 'stopped',
  },
  demo: {
    connecting: 'starting',
    live: 'streaming',
    stale: 'no data',
    backing_off: 'reconnecting',
    stopped: 'stopped',
  },
  replay: {
    connecting: 'starting',
    live: 'playing',
    stale: 'no data',
    backing_off: 'reconnecting',
    stopped: 'stopped',
  },
};

/** The connection line for a source and its connection state. */
export function sourceStatusText(
  source: SourceInfo,
  connection: ConnectionStatus | null,
  shortNames = true,
): SourceStatusText {
  if (source.state === 'failed') {
    return {
      text: `${sourceName(source, shortNames)}: failed`,
      detail: source.error,
      tone: 'failed',
    };
  }
  if (source.stored === true) {
    // A dataset opened from the Data tab: nothing flows, and nothing was replayed to end.
    return {
      text: `Viewing stored dataset: ${shortNames ? shortFileName(source.label) : source.label}`,
      detail: null,
      tone: 'ended',
    };
  }
  if (source.kind === 'replay' && source.state === 'ended') {
    const file = source.fileName ?? source.label.replace(/^Replay /, '');
    const trades =
      source.tradesReplayed !== null
        ? `, ${formatInteger(source.tradesReplayed)} trades replayed`
        : '';
    return {
      text: `Replay ended: ${shortNames ? shortFileName(file) : file}${trades}`,
      detail: null,
      tone: 'ended',
    };
  }
  const state = connection?.state ?? 'connecting';
  // The reason says why only when something is wrong; otherwise it repeats the state word.
  const detail = state === 'stale' || state === 'backing_off' ? connection?.reason || null : null;
  return {
    text: `${sourceName(source, shortNames)}: ${STATE_WORDS[source.kind][state]}`,
    detail,
    tone: state,
  };
}
