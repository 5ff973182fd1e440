/** The dataset manager over a real SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetManager } from '../../../../src/main/files/datasets/datasetManager';
import { PairDeskStore } from '../../../../src/main/store/store';
import { makeTick } from '../../store/helpers';

const dir = mkdtempSync(join(tmpdir(), 'pairdesk-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DatasetManager', () => {
  it('lists with the active flag, renames, refuses to delete an active dataset, deletes others', () => {
    const store = PairDeskStore.open(join(dir, 'm.db'));
    try {
      const live = store.getOrCreateLiveDataset('Live');
      const imp = store.createDataset('replay', 'a.zip', 'a.zip', { origin: 'import' });
      for (let i = 1; i <= 100; i++) store.enqueueTick(imp.id, makeTick(i));
      store.enqueueTick(live.id, makeTick(1));
      store.flush();
      let active = [live.id];
      const manager = new DatasetManager({ store, activeDatasetIds: () => active });

      expect(manager.list().map((d) => [d.id, d.origin, d.active, d.ticks])).toEqual([
        [imp.id, 'import', false, 100],
        [live.id, 'live', true, 1],
      ]);
      expect(manager.rename(imp.id, ' July 18 ')).toMatchObject({
        id: imp.id,
        label: 'July 18',
        active: false,
        symbols: ['BTCUSDT'],
      });
      expect(() => manager.rename(imp.id, '')).toThrow('a dataset name cannot be empty');

      expect(() => manager.delete(live.id)).toThrow(
        `dataset ${live.id} (Live) is being written now; stop its source or import first, then delete it`,
      );
      expect(store.getDataset(live.id)).toBeDefined();

      const r = manager.delete(imp.id);
      expect(r.deleted).toBe(true);
      expect(r.reclaimedBytes).toBeGreaterThanOrEqual(0);
      expect(manager.list().map((d) => d.id)).toEqual([live.id]);
      expect(manager.delete(imp.id)).toEqual({ deleted: false, reclaimedBytes: 0 });

      active = [];
      expect(manager.delete(live.id).deleted).toBe(true);
      expect(manager.list()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
