/**
 * User actions: each goes through the transport and updates the stores. Components call these;
 * none of them knows which transport is underneath.
 */
import type { Settings, SourceKind, SettingsPatch } from '../core/contract/contract';
import { validateSymbol } from './lib/validation';
import { updateSettings, sessionStore } from './state/sessionStore';
import { analyticsStore, runStationarityTests } from './state/analyticsStore';
import { barsStore, syncSeries } from './state/barsStore';
import type { SeriesRequest } from './state/barsStore';
import { getAppApi } from './transport';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function saveSettings(patch: SettingsPatch): Promise<boolean> {
  return updateSettings(sessionStore, getAppApi(), patch);
}

/** Switches the source; replay plays the offered file `fileId` (from `replay.files`). */
export async function selectSource(
  kind: SourceKind,
  fileId?: string,
  speed?: number,
): Promise<void> {
  try {
    const request: { kind: SourceKind; fileId?: string; speed?: number } = { kind };
    if (fileId !== undefined) request.fileId = fileId;
    if (speed !== undefined) request.speed = speed;
    const source = await getAppApi().invoke('source.select', request);
    sessionStore.getState().applySource(source);
    sessionStore.getState().setNotice(null);
  } catch (error) {
    sessionStore.getState().setNotice(`Could not switch the source: ${messageOf(error)}`);
  }
}

/** Validates, then adds; returns an error message for the input, or null when added. */
export async function addSymbol(raw: string): Promise<string | null> {
  const check = validateSymbol(raw, sessionStore.getState().symbols);
  if (!check.ok) return check.error;
  try {
    const symbols = await getAppApi().invoke('symbols.add', { symbol: check.value });
    sessionStore.getState().applySymbols(symbols);
    return null;
  } catch (error) {
    return `Could not add ${check.value}: ${messageOf(error)}`;
  }
}

export async function removeSymbol(symbol: string): Promise<string | null> {
  const { settings, symbols } = sessionStore.getState();
  if (settings && (settings.pairA === symbol || settings.pairB === symbol)) {
    return `${symbol} is in the pair: pick another symbol for pair ${settings.pairA === symbol ? 'A' : 'B'} first`;
  }
  if (symbols.length <= 1) return 'Keep at least one symbol';
  try {
    const next = await getAppApi().invoke('symbols.remove', { symbol });
    sessionStore.getState().applySymbols(next);
    return null;
  } catch (error) {
    return `Could not remove ${symbol}: ${messageOf(error)}`;
  }
}

/** The bar series the views need: pair A and B at the selected timeframe and lookback. */
export function wantedSeries(settings: Settings | null): SeriesRequest[] {
  if (!settings) return [];
  const symbols = [...new Set([settings.pairA, settings.pairB])];
  return symbols.map((symbol) => ({
    symbol,
    timeframe: settings.timeframe,
    limit: settings.lookback,
  }));
}

export function loadSeries(force = false): Promise<void> {
  const requests = wantedSeries(sessionStore.getState().settings);
  return syncSeries(barsStore, getAppApi(), requests, force);
}

/** Runs the stationarity tests now (button and `r`); the panel shows the result or the error. */
export function runTests(): Promise<boolean> {
  return runStationarityTests(analyticsStore, getAppApi());
}
