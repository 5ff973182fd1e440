/**
 * The dataset manager (issue #10): every stored dataset as a row, rename, and delete with the
 * space given back. The router (FilesService) answers `datasets.*` with it and emits the
 * `datasets` event after a change; this class only reads and changes the store.
 */
import type { DatasetSummary } from '../../../core/contract/files';
import type { PairDeskStore } from '../../store/store';

export interface DatasetManagerDeps {
  store: PairDeskStore;
  /** Datasets being written now (the running source, an import): not deletable. */
  activeDatasetIds: () => number[];
}

export class DatasetManager {
  constructor(private readonly deps: DatasetManagerDeps) {}

  /** Newest first; `active` marks the datasets being written now. */
  list(): DatasetSummary[] {
    const active = new Set(this.deps.activeDatasetIds());
    return this.deps.store.datasetSummaries().map((d) => ({ ...d, active: active.has(d.id) }));
  }

  /** Throws an Error with a plain message for an unknown id or a label not 1–200 characters. */
  rename(id: number, label: string): DatasetSummary {
    this.deps.store.renameDataset(id, label);
    return this.summary(id);
  }

  /**
   * Deletes the dataset and reclaims its space. Throws a plain Error for an active dataset
   * (nothing is deleted then); an unknown id gives `deleted: false`.
   */
  delete(id: number): { deleted: boolean; reclaimedBytes: number } {
    if (this.deps.activeDatasetIds().includes(id)) {
      const label = this.deps.store.getDataset(id)?.label;
      throw new Error(
        `dataset ${id}${label === undefined ? '' : ` (${label})`} is being written now; ` +
          'stop its source or import first, then delete it',
      );
    }
    return this.deps.store.deleteDatasetAndReclaim(id);
  }

  private summary(id: number): DatasetSummary {
    const row = this.list().find((d) => d.id === id);
    if (!row) throw new Error(`there is no dataset ${id}`);
    return row;
  }
}
