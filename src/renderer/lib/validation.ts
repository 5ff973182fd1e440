/**
 * Validation of what the user types in the sidebar, before anything is sent. Mirrors the
 * main-process schemas (src/core/contract/schemas.ts), which stay the authority.
 */

import { formatParameter } from './format';

/**
 * Same as SYMBOL_PATTERN in src/core/contract/schemas.ts (a unit test keeps them equal); copied
 * so the renderer bundle does not pull in zod.
 */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,30}$/;

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

/** Trims and upper-cases; refuses bad shapes and symbols already in the list. */
export function validateSymbol(raw: string, existing: readonly string[]): Validation<string> {
  const value = raw.trim().toUpperCase();
  if (value === '') return { ok: false, error: 'Type a symbol, e.g. SOLUSDT' };
  if (!SYMBOL_PATTERN.test(value)) {
    return { ok: false, error: `"${value}" is not a symbol: use 2-30 letters or digits` };
  }
  if (existing.includes(value)) return { ok: false, error: `${value} is already in the list` };
  return { ok: true, value };
}

export interface NumberRule {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  /** When true, `min` itself is not allowed (e.g. a threshold must be > 0). */
  exclusiveMin?: boolean;
  /** When true, `max` itself is not allowed (Kalman δ must be < 1). */
  exclusiveMax?: boolean;
}

/** Numeric inputs of the sidebar, with the same bounds as the settings schema. */
export const NUMBER_RULES = {
  rollingWindow: { label: 'Rolling window', min: 5, max: 10_000, integer: true },
  lookback: { label: 'Lookback', min: 20, max: 100_000, integer: true },
  alertThreshold: { label: 'Alert threshold', min: 0, max: 20, integer: false, exclusiveMin: true },
  replaySpeed: { label: 'Replay speed', min: 0, max: 10_000, integer: false, exclusiveMin: true },
  sidebarWidth: { label: 'Sidebar width', min: 160, max: 800, integer: true },
  kalmanDelta: {
    label: 'Kalman δ',
    min: 0,
    max: 1,
    integer: false,
    exclusiveMin: true,
    exclusiveMax: true,
  },
  // KALMAN_VE_MAX in the schema.
  kalmanVe: { label: 'Kalman Ve', min: 0, max: 1e12, integer: false, exclusiveMin: true },
  alertRearm: { label: 'Re-arm level R', min: 0, max: 20, integer: false },
  alertCritical: {
    label: 'Critical level K_crit',
    min: 0,
    max: 40,
    integer: false,
    exclusiveMin: true,
  },
  correlationAlertLevel: {
    label: 'Correlation level',
    min: -1,
    max: 0.9,
    integer: false,
    exclusiveMin: true,
    exclusiveMax: true,
  },
  feedSilenceSeconds: { label: 'Feed silence', min: 1, max: 86_400, integer: true },
} as const satisfies Record<string, NumberRule>;

export function validateNumber(raw: string, rule: NumberRule): Validation<number> {
  const text = raw.trim();
  if (text === '') return { ok: false, error: `${rule.label} is required` };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, error: `${rule.label} must be a number` };
  if (rule.integer && !Number.isInteger(value)) {
    return { ok: false, error: `${rule.label} must be a whole number` };
  }
  const belowMin = rule.exclusiveMin ? value <= rule.min : value < rule.min;
  const aboveMax = rule.exclusiveMax ? value >= rule.max : value > rule.max;
  if (belowMin || aboveMax) {
    const lower = `${rule.exclusiveMin ? '>' : '≥'} ${formatParameter(rule.min)}`;
    const upper = `${rule.exclusiveMax ? '<' : '≤'} ${formatParameter(rule.max)}`;
    return { ok: false, error: `${rule.label} must be ${lower} and ${upper}` };
  }
  return { ok: true, value };
}

/** The z-score rule's levels: re-arm R, breach K (the alert threshold) and escalation K_crit. */
export interface AlertLevels {
  rearm: number;
  threshold: number;
  critical: number;
}

/**
 * Why a new value of one level breaks 0 ≤ R < K < K_crit against the other two stored levels, or
 * null when it keeps the order (the rule state machines rely on it: src/core/alerts/types.ts).
 */
export function alertLevelError(
  which: keyof AlertLevels,
  value: number,
  levels: AlertLevels,
): string | null {
  const next = { ...levels, [which]: value };
  if (next.rearm < 0) return 'R must be ≥ 0';
  if (which === 'rearm' && !(next.rearm < next.threshold)) {
    return `R must be < K (${formatParameter(next.threshold)})`;
  }
  if (which === 'threshold') {
    if (!(next.threshold > next.rearm)) return `K must be > R (${formatParameter(next.rearm)})`;
    if (!(next.threshold < next.critical)) {
      return `K must be < K_crit (${formatParameter(next.critical)})`;
    }
  }
  if (which === 'critical' && !(next.critical > next.threshold)) {
    return `K_crit must be > K (${formatParameter(next.threshold)})`;
  }
  return null;
}
