import { describe, expect, it } from 'vitest';
import {
  backoffCeilingMs,
  backoffDelayMs,
  classifyFrame,
  combinedStreamUrl,
  DEFAULT_BACKOFF,
  extractStreamName,
  normalizeSymbol,
  parseControlReply,
  TypedEmitter,
} from '../../../src/main/feed';
import { RateMeter } from '../../../src/main/feed/RateMeter';
import { SlidingWindowLimiter } from '../../../src/main/feed/SlidingWindowLimiter';

describe('backoff (full jitter)', () => {
  it('grows by factor up to maxMs and scales by the injected random value', () => {
    const ceilings = [0, 1, 2, 3, 6, 7, 50].map((n) => backoffCeilingMs(n, DEFAULT_BACKOFF));
    expect(ceilings).toEqual([500, 1_000, 2_000, 4_000, 30_000, 30_000, 30_000]);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.5)).toBe(2_000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelayMs(10, DEFAULT_BACKOFF, () => 0.999999)).toBeLessThan(30_000);
  });
});

describe('SlidingWindowLimiter', () => {
  it('never allows more than limit events in any 1 s window', () => {
    const lim = new SlidingWindowLimiter(4);
    const sent: number[] = [];
    let t = 0;
    while (sent.length < 40) {
      const w = lim.waitMs(t);
      if (w === 0) {
        lim.record(t);
        sent.push(t);
      } else t += w;
    }
    for (let i = 4; i < sent.length; i++) expect(sent[i] - sent[i - 4]).toBeGreaterThan(1_000);
  });
});

describe('RateMeter', () => {
  it('reports the last completed second', () => {
    const m = new RateMeter();
    for (let i = 0; i < 7; i++) m.add(10_100 + i);
    expect(m.rate(10_500)).toBe(0);
    expect(m.rate(11_000)).toBe(7);
    m.add(11_200, 3);
    expect(m.rate(11_900)).toBe(7);
    expect(m.rate(12_100)).toBe(3);
    expect(m.rate(13_100)).toBe(0);
  });
});

describe('frame classification', () => {
  it('recognises data frames and control replies cheaply', () => {
    const data = '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","a":1}}';
    expect(classifyFrame(data)).toBe('data');
    expect(extractStreamName(data)).toBe('btcusdt@aggTrade');
    expect(classifyFrame('{"e":"aggTrade","E":1,"s":"BTCUSDT","a":5}')).toBe('data');
    expect(classifyFrame('{"result":null,"id":1}')).toBe('control');
    expect(classifyFrame('{"code":2,"msg":"Invalid request","id":3}')).toBe('control');
    expect(classifyFrame('{"id":4,"result":null}')).toBe('control');
    expect(classifyFrame(' {"msg":"x","id":5,"code":1}')).toBe('control');
    expect(classifyFrame('{"error":{"code":2,"msg":"bad"},"id":6}')).toBe('control');
    expect(extractStreamName('{"result":null,"id":1}')).toBeNull();
  });

  it('parses replies and error shapes', () => {
    expect(parseControlReply('{"result":null,"id":7}')).toEqual({
      id: 7,
      result: null,
      error: null,
    });
    expect(parseControlReply('{"result":["a@aggTrade"],"id":3}')?.result).toEqual(['a@aggTrade']);
    expect(parseControlReply('{"code":0,"msg":"Unknown property"}')).toEqual({
      id: null,
      result: undefined,
      error: { code: 0, msg: 'Unknown property' },
    });
    expect(parseControlReply('{"error":{"code":2,"msg":"bad"},"id":9}')?.error).toEqual({
      code: 2,
      msg: 'bad',
    });
    expect(parseControlReply('not json')).toBeNull();
  });
});

describe('stream names and URLs', () => {
  it('lower-cases symbols and builds routed combined URLs', () => {
    expect(normalizeSymbol(' btcUSDT ')).toBe('BTCUSDT');
    expect(() => normalizeSymbol('btc/usdt')).toThrow(TypeError);
    expect(() => normalizeSymbol('')).toThrow(TypeError);
    expect(
      combinedStreamUrl('wss://fstream.binance.com/', 'market', ['a@aggTrade', 'b@aggTrade']),
    ).toBe('wss://fstream.binance.com/market/stream?streams=a@aggTrade/b@aggTrade');
  });
});

describe('TypedEmitter', () => {
  it('types payloads, supports off/once and isolates throwing listeners', () => {
    const errors: unknown[] = [];
    const em = new TypedEmitter<{ a: { n: number }; b: string }>((e) => errors.push(e));
    const seen: number[] = [];
    const off = em.on('a', (p) => seen.push(p.n));
    em.once('a', (p) => seen.push(p.n * 10));
    em.on('b', () => {
      throw new Error('boom');
    });
    em.emit('a', { n: 1 });
    em.emit('a', { n: 2 });
    off();
    em.emit('a', { n: 3 });
    em.emit('b', 'x');
    expect(seen).toEqual([1, 10, 2]);
    expect(errors).toHaveLength(1);
    expect(em.listenerCount('a')).toBe(0);
  });
});
