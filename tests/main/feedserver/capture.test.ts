import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractTopLevelValue, parseCaptureLine } from '../../../src/main/feedserver';
import { isServedOn, parseConnectUrl } from '../../../src/main/feedserver/streams';
import { UM_2024_08_08 } from '../../support/realData';

describe('capture line parsing', () => {
  it('extracts a member value byte for byte, whatever the layout', () => {
    expect(extractTopLevelValue('{"stream":"x","data":{"a":"}","b":[1,{"c":2}]}}', 'data')).toBe(
      '{"a":"}","b":[1,{"c":2}]}',
    );
    expect(extractTopLevelValue('{ "data" : {"p":"1.0"} , "stream" : "x" }', 'data')).toBe(
      '{"p":"1.0"}',
    );
    expect(extractTopLevelValue('{"s":"a\\"data\\":1","data":3}', 'data')).toBe('3');
    expect(extractTopLevelValue('{"stream":"x"}', 'data')).toBeNull();
    expect(extractTopLevelValue('[1]', 'data')).toBeNull();
  });

  it('handles envelopes, bare futures/spot payloads and junk', () => {
    const env = parseCaptureLine(
      '{"stream":"btcusdt@trade","data":{"e":"trade","E":5,"T":4,"s":"BTCUSDT"}}',
    );
    expect(env).toEqual({
      kind: 'message',
      message: {
        stream: 'btcusdt@trade',
        raw: '{"e":"trade","E":5,"T":4,"s":"BTCUSDT"}',
        eventTimeMs: 5,
      },
    });
    const bare = parseCaptureLine('{"e":"aggTrade","E":7,"s":"ETHUSDT","a":1}');
    expect(bare).toMatchObject({
      kind: 'message',
      message: { stream: 'ethusdt@aggTrade', eventTimeMs: 7 },
    });
    const spotBook = parseCaptureLine('{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"2","A":"1"}');
    expect(spotBook).toMatchObject({
      kind: 'message',
      message: { stream: 'btcusdt@bookTicker', eventTimeMs: null },
    });
    expect(parseCaptureLine('   ')).toEqual({ kind: 'blank' });
    expect(parseCaptureLine('{"e":"trade"').kind).toBe('invalid');
    expect(parseCaptureLine('{"hello":1}').kind).toBe('invalid');
  });

  it('keeps the original bytes of every line of a real capture', () => {
    const text = gunzipSync(readFileSync(UM_2024_08_08)).toString('utf8');
    const lines = text.split('\n').slice(0, 5_000);
    for (const line of lines) {
      const r = parseCaptureLine(line);
      if (r.kind !== 'message') throw new Error(`unexpected ${r.kind}`);
      const parsed = JSON.parse(line) as { stream: string; data: unknown };
      expect(r.message.stream).toBe(parsed.stream);
      expect(line).toBe(`{"stream":"${parsed.stream}","data":${r.message.raw}}`);
      expect(JSON.parse(r.message.raw)).toEqual(parsed.data);
    }
  });
});

describe('routes and URLs', () => {
  it('serves each stream family on its route', () => {
    expect(isServedOn('market', 'btcusdt@aggTrade')).toBe(true);
    expect(isServedOn('public', 'btcusdt@aggTrade')).toBe(false);
    expect(isServedOn('public', 'btcusdt@bookTicker')).toBe(true);
    expect(isServedOn('market', 'btcusdt@bookTicker')).toBe(false);
    expect(isServedOn('public', 'btcusdt@depth20@100ms')).toBe(true);
    expect(isServedOn('market', 'btcusdt@kline_1m')).toBe(true);
    expect(isServedOn('market', 'btcusdt@trade')).toBe(true);
    expect(isServedOn('public', 'btcusdt@trade')).toBe(true);
    expect(isServedOn('legacy', 'btcusdt@trade')).toBe(true);
    expect(isServedOn('legacy', 'btcusdt@aggTrade')).toBe(false);
    expect(isServedOn('private', 'btcusdt@trade')).toBe(false);
  });

  it('parses the URL forms', () => {
    expect(parseConnectUrl('/market/ws/btcusdt@aggTrade/ethusdt@aggTrade', 200)).toEqual({
      ok: true,
      route: 'market',
      combined: false,
      streams: ['btcusdt@aggTrade', 'ethusdt@aggTrade'],
    });
    expect(parseConnectUrl('/public/stream?streams=btcusdt@bookTicker', 200)).toEqual({
      ok: true,
      route: 'public',
      combined: true,
      streams: ['btcusdt@bookTicker'],
    });
    expect(parseConnectUrl('/stream', 200)).toMatchObject({
      ok: true,
      route: 'legacy',
      streams: [],
    });
    expect(parseConnectUrl('/ws', 200)).toMatchObject({
      ok: true,
      route: 'legacy',
      combined: false,
    });
    expect(parseConnectUrl('/market/other', 200)).toMatchObject({ ok: false, status: 404 });
    expect(parseConnectUrl('/market/ws/a@b/c@d', 1)).toMatchObject({ ok: false, status: 400 });
  });
});
