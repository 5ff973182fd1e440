// Pure helpers of the renderer: input validation, shortcuts, formatting, warm-up text.
import { describe, expect, it } from 'vitest';
import { SYMBOL_PATTERN as SCHEMA_SYMBOL_PATTERN } from '../../src/core/contract/schemas';
import { settingsPatchSchema } from '../../src/core/contract/schemas';
import { liveFailure } from '../../src/renderer/components/Banners';
import { warmupText } from '../../src/renderer/components/WarmupMessage';
import { formatAge, formatBytes, formatRate, formatVolume } from '../../src/renderer/lib/format';
import { shortcutFor } from '../../src/renderer/lib/keyboard';
import type { KeyLike } from '../../src/renderer/lib/keyboard';
import {
  NUMBER_RULES,
  SYMBOL_PATTERN,
  validateNumber,
  validateSymbol,
} from '../../src/renderer/lib/validation';

describe('symbol validation', () => {
  it('upper-cases and trims, refuses bad shapes and duplicates', () => {
    expect(validateSymbol('  solusdt ', ['BTCUSDT'])).toEqual({ ok: true, value: 'SOLUSDT' });
    expect(validateSymbol('', [])).toMatchObject({ ok: false, error: /Type a symbol/ });
    expect(validateSymbol('eth usdt', [])).toMatchObject({ ok: false, error: /not a symbol/ });
    expect(validateSymbol('X', [])).toMatchObject({ ok: false });
    expect(validateSymbol('A'.repeat(31), [])).toMatchObject({ ok: false });
    expect(validateSymbol('BTC-USDT', [])).toMatchObject({ ok: false });
    expect(validateSymbol('btcusdt', ['BTCUSDT'])).toEqual({
      ok: false,
      error: 'BTCUSDT is already in the list',
    });
  });

  it('uses the same pattern as the main-process schema', () => {
    expect(SYMBOL_PATTERN.source).toBe(SCHEMA_SYMBOL_PATTERN.source);
  });
});

describe('number validation', () => {
  it('checks required, numeric, integer and bounds like the settings schema', () => {
    expect(validateNumber('60', NUMBER_RULES.rollingWindow)).toEqual({ ok: true, value: 60 });
    expect(validateNumber('', NUMBER_RULES.rollingWindow)).toMatchObject({ ok: false });
    expect(validateNumber('abc', NUMBER_RULES.lookback)).toMatchObject({ error: /number/ });
    expect(validateNumber('10.5', NUMBER_RULES.lookback)).toMatchObject({ error: /whole/ });
    expect(validateNumber('4', NUMBER_RULES.rollingWindow)).toMatchObject({ error: /≥ 5/ });
    expect(validateNumber('0', NUMBER_RULES.alertThreshold)).toMatchObject({ error: /> 0/ });
    expect(validateNumber('2.5', NUMBER_RULES.alertThreshold)).toEqual({ ok: true, value: 2.5 });
    // Everything the UI accepts, the schema accepts.
    for (const [key, raw] of [
      ['rollingWindow', '5'],
      ['lookback', '100000'],
      ['alertThreshold', '20'],
      ['replaySpeed', '10000'],
    ] as const) {
      const check = validateNumber(raw, NUMBER_RULES[key]);
      expect(check.ok).toBe(true);
      if (check.ok)
        expect(settingsPatchSchema.safeParse({ [key]: check.value }).success).toBe(true);
    }
  });

  it('Kalman δ and Ve: the UI accepts exactly what the schema accepts, at and around the bounds', () => {
    const cases = {
      kalmanDelta: ['0', '-1e-7', '1e-300', '1e-7', '0.5', '0.999999', '1', '1.5'],
      kalmanVe: ['0', '-10', '1e-9', '10', '1e12', '1.000001e12', 'Infinity'],
    } as const;
    for (const [key, inputs] of Object.entries(cases) as [
      keyof typeof cases,
      readonly string[],
    ][]) {
      for (const raw of inputs) {
        const ui = validateNumber(raw, NUMBER_RULES[key]);
        const schema = settingsPatchSchema.safeParse({ [key]: Number(raw) }).success;
        expect({ key, raw, ok: ui.ok }).toEqual({ key, raw, ok: schema });
      }
    }
    expect(validateNumber('1', NUMBER_RULES.kalmanDelta)).toMatchObject({ error: /< 1/ });
    expect(validateNumber('0', NUMBER_RULES.kalmanVe)).toMatchObject({
      error: 'Kalman Ve must be > 0 and ≤ 1e12',
    });
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target: { tagName: 'BODY' },
    ...extra,
  });
  it('maps keys to actions', () => {
    expect(shortcutFor(key('1'))).toEqual({ type: 'timeframe', timeframe: '1s' });
    expect(shortcutFor(key('2'))).toEqual({ type: 'timeframe', timeframe: '1m' });
    expect(shortcutFor(key('3'))).toEqual({ type: 'timeframe', timeframe: '5m' });
    expect(shortcutFor(key('p'))).toEqual({ type: 'tab', tab: 'prices' });
    expect(shortcutFor(key('a'))).toEqual({ type: 'tab', tab: 'analytics' });
    expect(shortcutFor(key('1', { ctrlKey: true }))).toEqual({ type: 'tab', tab: 'prices' });
    expect(shortcutFor(key('2', { metaKey: true }))).toEqual({ type: 'tab', tab: 'analytics' });
    expect(shortcutFor(key('t'))).toEqual({ type: 'toggleTheme' });
    expect(shortcutFor(key('?'))).toEqual({ type: 'toggleHelp' });
    expect(shortcutFor(key('x'))).toBeNull();
  });
  it('ignores keys while typing', () => {
    expect(shortcutFor(key('1', { target: { tagName: 'INPUT' } }))).toBeNull();
    expect(shortcutFor(key('t', { target: { tagName: 'select' } }))).toBeNull();
    expect(
      shortcutFor(key('t', { target: { tagName: 'DIV', isContentEditable: true } })),
    ).toBeNull();
  });
});

describe('formatting', () => {
  it('formats bytes, ages, rates and volumes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(187_654_321)).toBe('179 MB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatAge(null)).toBe('—');
    expect(formatAge(420)).toBe('0.4 s');
    expect(formatAge(42_000)).toBe('42 s');
    expect(formatAge(185_000)).toBe('3 min 5 s');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatRate(20_000)).toBe('20,000');
    expect(formatVolume(1_234_567)).toBe('1.23M');
    expect(formatVolume(0)).toBe('0');
  });
});

describe('warm-up and failure messages', () => {
  const base = {
    symbol: 'ETHUSDT',
    timeframe: '1m' as const,
    needed: 60,
    status: 'ready' as const,
    error: null,
    hasTrades: true,
    connecting: false,
  };
  it('says what is missing', () => {
    expect(warmupText({ ...base, have: 48 })).toBe('Waiting for 12 more 1m bars of ETHUSDT');
    expect(warmupText({ ...base, have: 59 })).toBe('Waiting for 1 more 1m bar of ETHUSDT');
    expect(warmupText({ ...base, have: 0, hasTrades: false, connecting: true })).toBe(
      'No trades yet for ETHUSDT — connecting…',
    );
    expect(warmupText({ ...base, have: 0, status: 'loading' })).toMatch(/^Loading 1m history/);
    expect(warmupText({ ...base, have: 0, status: 'error', error: 'locked' })).toMatch(/locked/);
  });
  it('detects a live source that cannot connect', () => {
    const live = { kind: 'live', state: 'running', error: null };
    expect(liveFailure(live, { state: 'live', reason: '' })).toBeNull();
    expect(liveFailure(live, { state: 'backing_off', reason: 'ENOTFOUND' })).toBe('ENOTFOUND');
    expect(liveFailure({ ...live, state: 'failed', error: 'geo-blocked' }, null)).toBe(
      'geo-blocked',
    );
    expect(liveFailure({ ...live, kind: 'demo' }, { state: 'stale', reason: 'x' })).toBeNull();
  });
});
