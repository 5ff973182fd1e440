/**
 * The per-line first stage of `analyze`: decodeMessage (the live engine's decoder) and a cheap
 * classification. Values are NOT validated
 * here — that is TickValidator's job, done in order on the main thread.
 */
import { decodeMessage } from '../../core/binance/decode';
import type { Rejection, Tick } from '../../core/market/types';

export interface LineSink {
  /** A decoded trade of one of the pair's symbols (index 0 = A, 1 = B). */
  trade(tick: Tick, symbolIndex: number, lineNo: number): void;
  /** The line could not be decoded. */
  rejected(rejection: Rejection, lineNo: number): void;
  /** Counters for lines that are fine but not used. */
  blank(): void;
  otherSymbol(): void;
  otherMessage(): void;
}

export function overlongRejection(bytes: number): Rejection {
  return {
    reason: 'malformed_json',
    message: `line of ${bytes} bytes is too long to be a Binance message`,
  };
}

/** Returns the line handler for a pair (symbols upper case, A then B). */
export function makeLineClassifier(
  symbolA: string,
  symbolB: string,
  sink: LineSink,
): (line: string, lineNo: number) => void {
  return (line, lineNo) => {
    if (line.length === 0) {
      sink.blank();
      return;
    }
    const msg = decodeMessage(line);
    if (msg.kind === 'trade') {
      const sym = msg.tick.symbol;
      if (sym === symbolA) sink.trade(msg.tick, 0, lineNo);
      else if (sym === symbolB) sink.trade(msg.tick, 1, lineNo);
      else sink.otherSymbol();
    } else if (msg.kind === 'rejected') {
      if (line.trim().length === 0) sink.blank();
      else sink.rejected(msg.rejection, lineNo);
    } else {
      sink.otherMessage();
    }
  };
}
