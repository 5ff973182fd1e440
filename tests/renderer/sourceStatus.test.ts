/**
 * Issue #8 §3: the status line says what the source is. "Live" is only the live feed; the
 * simulated market streams, a replay plays and then says it ended, with the file and the trades
 * the services counted; a live feed elsewhere than Binance is named by its host.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../src/core/contract/contract';
import { liveLabel } from '../../src/main/app/sourceSession';
import { shortFileName, sourceStatusText } from '../../src/renderer/lib/sourceStatus';
import { sourceInfo as source } from '../support/sourceInfo';

const FILE = 'um-btcusdt-ethusdt-2024-07-18T2357Z.ndjson.gz';

function conn(state: ConnectionStatus['state'], reason = ''): ConnectionStatus {
  return { state, reason, sinceMs: 0 };
}

const DEMO = source({ kind: 'demo', simulated: true, label: 'Simulated market', datasetId: 2 });
const REPLAY = source({
  kind: 'replay',
  label: `Replay ${FILE}`,
  speed: 20,
  fileId: 'abc',
  fileName: FILE,
});

describe('status line per source', () => {
  it('never says Live for the simulated market or a replay', () => {
    for (const state of ['connecting', 'live', 'stale', 'backing_off', 'stopped'] as const) {
      for (const s of [DEMO, REPLAY]) {
        expect(sourceStatusText(s, conn(state, 'receiving data')).text).not.toMatch(/live/i);
      }
    }
    expect(sourceStatusText(DEMO, conn('live', 'receiving data'))).toEqual({
      text: 'Simulated market: streaming',
      detail: null,
      tone: 'live',
    });
  });

  it('a replay plays at its speed, then ends with the file and the trades replayed', () => {
    const playing = sourceStatusText(REPLAY, conn('live', 'receiving data'));
    expect(playing.text).toBe(`Replay ${shortFileName(FILE)} at 20×: playing`);
    expect(sourceStatusText(REPLAY, conn('live'), false).text).toBe(
      `Replay ${FILE} at 20×: playing`,
    );
    const ended = source({ ...REPLAY, state: 'ended', tradesReplayed: 24_356 });
    // The connection reads "stopped by client" once a replay ends: not shown.
    const text = sourceStatusText(ended, conn('stopped', 'stopped by client'), false);
    expect(text).toEqual({
      text: `Replay ended: ${FILE}, 24,356 trades replayed`,
      detail: null,
      tone: 'ended',
    });
  });

  it('a stored dataset opened from the Data tab is viewed, not a replay that ended', () => {
    const stored = source({
      kind: 'replay',
      label: 'Dataset #7 BTCUSDT aggTrades 2024-07-18',
      state: 'ended',
      stored: true,
    });
    expect(sourceStatusText(stored, conn('stopped', 'stopped by client'), false)).toEqual({
      text: 'Viewing stored dataset: Dataset #7 BTCUSDT aggTrades 2024-07-18',
      detail: null,
      tone: 'ended',
    });
  });

  it('the live feed: Binance is the live market; another URL is named by its host', () => {
    expect(sourceStatusText(source({}), conn('live', 'receiving data')).text).toBe(
      'Live market: receiving data',
    );
    const local = source({ label: liveLabel('ws://127.0.0.1:9443') });
    expect(local.label).toBe('Live feed 127.0.0.1:9443');
    expect(sourceStatusText(local, conn('live')).text).toBe(
      'Live feed 127.0.0.1:9443: receiving data',
    );
    expect(liveLabel('wss://fstream.binance.com')).toBe('Binance USD-M futures');
    const down = sourceStatusText(source({}), conn('backing_off', 'ENOTFOUND (retry 2 in 4 s)'));
    expect(down).toEqual({
      text: 'Live market: reconnecting',
      detail: 'ENOTFOUND (retry 2 in 4 s)',
      tone: 'backing_off',
    });
  });

  it('a failed source says so with its error', () => {
    const failed = source({ ...REPLAY, state: 'failed', error: 'x.ndjson: no trades' });
    expect(sourceStatusText(failed, conn('stopped'))).toMatchObject({
      text: `Replay ${shortFileName(FILE)} at 20×: failed`,
      detail: 'x.ndjson: no trades',
      tone: 'failed',
    });
  });

  it('shortens long file names in the middle', () => {
    expect(shortFileName('short.ndjson')).toBe('short.ndjson');
    const s = shortFileName(FILE);
    expect(s).toHaveLength(28);
    expect(s.startsWith(FILE.slice(0, 10))).toBe(true);
    expect(s.endsWith('.ndjson.gz')).toBe(true);
    expect(s).toContain('…');
  });
});
