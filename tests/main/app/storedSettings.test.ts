/**
 * Settings restored from SQLite: every field the settings schema accepts comes back; a stored
 * value it refuses (an older version's, a hand-edited database) falls back to its default and
 * never reaches the services — e.g. a Kalman δ of 1 would break the analytics worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/core/contract/contract';
import { startPairDeskApp, type PairDeskApp } from '../../../src/main/app/pairDeskApp';
import { PairDeskStore } from '../../../src/main/store/store';

describe('stored settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pairdesk-settings-'));
  let app: PairDeskApp | undefined;

  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the valid fields and replaces the invalid ones by their defaults', async () => {
    const dbFile = join(dir, 'settings.db');
    const store = PairDeskStore.open(dbFile);
    store.setSetting('settings', {
      source: 'demo',
      rollingWindow: 30,
      kalmanVe: 2.5,
      kalmanDelta: 1, // out of (0, 1)
      lookback: -5, // out of range
      hedgeMethod: 'magic', // not a method
      unknownField: 42,
    });
    store.close();

    app = await startPairDeskApp({ dbFile, demoRate: 20 });
    const settings = app.services.snapshot().settings;
    expect(settings.source).toBe('demo');
    expect(settings.rollingWindow).toBe(30);
    expect(settings.kalmanVe).toBe(2.5);
    expect(settings.kalmanDelta).toBe(DEFAULT_SETTINGS.kalmanDelta);
    expect(settings.lookback).toBe(DEFAULT_SETTINGS.lookback);
    expect(settings.hedgeMethod).toBe(DEFAULT_SETTINGS.hedgeMethod);
    expect('unknownField' in settings).toBe(false);
  }, 30_000);
});
