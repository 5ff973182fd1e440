import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PairDeskStore } from '../../../src/main/store/store';
import { makeTick, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const CHILD = fileURLToPath(new URL('./sigkill-child.ts', import.meta.url));
const BATCH = 1000;
const INTERVAL_MS = 20;

interface RunResult {
  startId: number;
  /** Highest trade id the child reported as committed before it died. */
  reported: number;
  flushLines: number;
  signal: NodeJS.Signals | null;
  errors: string[];
}

/** Runs the child until it has reported `killAfter` flushes, then SIGKILLs it. */
function runAndKill(dbFile: string, killAfter: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // process.execPath + --import tsx (not npx): the signal must hit the process holding the DB.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dbFile, String(BATCH), String(INTERVAL_MS)],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const res: RunResult = { startId: 0, reported: 0, flushLines: 0, signal: null, errors: [] };
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'ready') res.startId = Number(value);
      else if (word === 'committed') {
        // Lines drained after the kill still count: they were written after a commit.
        res.reported = Math.max(res.reported, Number(value));
        if (++res.flushLines === killAfter) child.kill('SIGKILL');
      } else res.errors.push(line);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child made no progress; stderr: ${stderr}`));
    }, 20_000);
    // 'close' fires after both the exit and the end of stdout, so every line has been read.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      res.signal = signal;
      resolve(res);
    });
    child.on('error', reject);
  });
}

describe('crash safety', () => {
  it('SIGKILL mid-ingestion loses at most the unflushed batch and never corrupts', async () => {
    const dbFile = tmp.file('sigkill.db');
    let expectedStart = 1;
    // Three kills on the same file: each restart recovers the hot WAL and resumes.
    for (const killAfter of [4, 7, 5]) {
      const run = await runAndKill(dbFile, killAfter);
      expect(run.signal).toBe('SIGKILL');
      expect(run.errors).toEqual([]);
      expect(run.startId).toBe(expectedStart);
      expect(run.flushLines).toBeGreaterThanOrEqual(killAfter);

      const store = PairDeskStore.open(dbFile);
      try {
        expect(store.integrityCheck()).toEqual({ ok: true, messages: ['ok'] });
        const ds = store.getOrCreateLiveDataset();
        const count = store.tickCount(ds.id, 'BTCUSDT');
        // Everything reported as committed survived; at most one more batch was committed
        // between the last report and the kill (the kill can land between COMMIT and write).
        expect(count).toBeGreaterThanOrEqual(run.reported);
        expect(count).toBeLessThanOrEqual(run.reported + BATCH);
        // The counters were committed atomically with the rows.
        expect(ds.tickCount).toBe(count);
        // Exactly ids 1..count, each row intact.
        expect(store.tradeIdRange(ds.id, 'BTCUSDT')).toEqual({ min: 1, max: count });
        let id = 0;
        for (const t of store.ticks(ds.id)) {
          id++;
          if (t.tradeId !== id) expect(t.tradeId).toBe(id);
          expect(t).toEqual(makeTick(id));
        }
        expect(id).toBe(count);
        expectedStart = count + 1;
      } finally {
        store.close();
      }
    }
  }, 60_000);
});
