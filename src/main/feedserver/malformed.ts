/**
 * Garbage frames for fault-injection tests: what a client's decoder must survive (count as
 * rejects) without crashing or losing the connection.
 */

export interface MalformedFrame {
  data: string | Buffer;
  binary: boolean;
  /** Short label for logs and tests. */
  kind: string;
}

export interface MalformedContext {
  /** Upper-case symbol to make the garbage look plausible, e.g. `BTCUSDT`. */
  symbol: string;
  /** Stream name the connection receives (for envelopes), e.g. `btcusdt@aggTrade`. */
  stream: string;
  /** Whether the connection gets combined envelopes. */
  combined: boolean;
}

type Builder = (ctx: MalformedContext, now: number) => Omit<MalformedFrame, 'kind'>;

const text = (data: string): Omit<MalformedFrame, 'kind'> => ({ data, binary: false });

function wrap(ctx: MalformedContext, payload: string): string {
  return ctx.combined ? `{"stream":"${ctx.stream}","data":${payload}}` : payload;
}

/** The garbage kinds, cycled in this order. */
export const MALFORMED_KINDS: ReadonlyArray<[string, Builder]> = [
  ['not_json', () => text('this is not JSON \u0000\u0007 }{')],
  [
    'truncated_json',
    (ctx, now) =>
      text(
        wrap(ctx, `{"e":"aggTrade","E":${now},"s":"${ctx.symbol}","a":1,"p":"6394`).slice(0, -1),
      ),
  ],
  [
    'wrong_types',
    (ctx, now) =>
      text(
        wrap(
          ctx,
          `{"e":"aggTrade","E":"${now}","s":"${ctx.symbol}","a":"x","p":63943.9,"q":null,` +
            `"nq":null,"f":"1","l":[],"T":{},"m":"yes"}`,
        ),
      ),
  ],
  [
    'missing_fields',
    (ctx, now) => text(wrap(ctx, `{"e":"aggTrade","E":${now},"s":"${ctx.symbol}"}`)),
  ],
  [
    'bad_numbers',
    (ctx, now) =>
      text(
        wrap(
          ctx,
          `{"e":"trade","E":${now},"T":${now},"s":"${ctx.symbol}","t":-5,"p":"-1",` +
            `"q":"NaN","X":"MARKET","m":true}`,
        ),
      ),
  ],
  ['binary_garbage', () => ({ data: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]), binary: true })],
  ['empty', () => text('')],
  ['json_array', () => text('[1,2,3]')],
  [
    'unknown_event',
    (ctx, now) => text(wrap(ctx, `{"e":"mystery","E":${now},"s":"${ctx.symbol}"}`)),
  ],
  ['envelope_data_not_object', (ctx) => text(`{"stream":"${ctx.stream}","data":"oops"}`)],
];

/** Frame number `index` (cycling through MALFORMED_KINDS). */
export function malformedFrame(index: number, ctx: MalformedContext, now: number): MalformedFrame {
  const [kind, build] = MALFORMED_KINDS[index % MALFORMED_KINDS.length];
  return { ...build(ctx, now), kind };
}
