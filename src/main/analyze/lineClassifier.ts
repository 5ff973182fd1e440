/**
 * The per-line first stage of `analyze`: decodeMessage (the live engine's decoder) and a cheap
 * classification. Values are NOT validated
 * here — that is TickValidator's job, done in order on the main thread.
 */
import {
  decodeMessage,
  FAST_BOOK,
  FAST_TRADE,
  fillFastTick,
  ReusableTick,
  scanFastAt,
} from '../../core/binance/decode';
import type { Rejection, Tick } from '../../core/market/types';

export interface LineSink {
  /**
   * A decoded trade of one of the pair's symbols (index 0 = A, 1 = B). The tick may be a reused
   * object, valid only during the call: copy what must outlive it.
   */
  trade(tick: Tick, symbolIndex: number, lineNo: number): void;
  /** The line could not be decoded. */
  rejected(rejection: Rejection, lineNo: number): void;
  /** Counters for lines that are fine but not used. */
  blank(): void;
  /** A decoded trade of a symbol outside the pair (named, so an error can list what is there). */
  otherSymbol(symbol: string): void;
  otherMessage(): void;
}

export function overlongRejection(bytes: number): Rejection {
  return {
    reason: 'malformed_json',
    message: `line of ${bytes} bytes is too long to be a Binance message`,
  };
}

/** The line handlers for a pair (symbols upper case, A then B). */
export interface LineClassifier {
  /** One line as a string. */
  line(line: string, lineNo: number): void;
  /**
   * One line of a pure-ASCII chunk: `bytes[start, end)`, whose text is `text.slice(start, end)`
   * (see LineHandler.asciiLine). Same outcome as `line(text.slice(start, end), lineNo)`.
   */
  asciiLine(bytes: Uint8Array, text: string, start: number, end: number, lineNo: number): void;
}

/** Returns the line handlers for a pair (symbols upper case, A then B). */
export function makeLineClassifier(
  symbolA: string,
  symbolB: string,
  sink: LineSink,
): LineClassifier {
  const onTrade = (tick: Tick, lineNo: number): void => {
    const sym = tick.symbol;
    if (sym === symbolA) sink.trade(tick, 0, lineNo);
    else if (sym === symbolB) sink.trade(tick, 1, lineNo);
    else sink.otherSymbol(sym);
  };
  const line = (text: string, lineNo: number): void => {
    if (text.length === 0) {
      sink.blank();
      return;
    }
    const msg = decodeMessage(text);
    if (msg.kind === 'trade') {
      onTrade(msg.tick, lineNo);
    } else if (msg.kind === 'rejected') {
      if (text.trim().length === 0) sink.blank();
      else sink.rejected(msg.rejection, lineNo);
    } else {
      sink.otherMessage();
    }
  };
  // One Tick object for every fast-path line: the sink (validator, aggregator) keeps nothing of it.
  const scratch = new ReusableTick();
  return {
    line,
    asciiLine(bytes, text, start, end, lineNo) {
      // The decoder's fast scan straight on the file bytes: no line string, and a bookTicker
      // (most of a real capture) is only checked, never built. Whatever the scan does not accept
      // takes the string path, i.e. decodeMessage, so outcomes (rejections included) are the same.
      const kind = start === end ? 0 : scanFastAt(bytes, start, end);
      if (kind === FAST_TRADE) onTrade(fillFastTick(bytes, text, scratch), lineNo);
      else if (kind === FAST_BOOK) sink.otherMessage();
      else line(text.slice(start, end), lineNo);
    },
  };
}
