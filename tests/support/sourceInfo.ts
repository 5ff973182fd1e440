import type { SourceInfo } from '../../src/core/contract/contract';
import { sourceInfoOf } from '../../src/main/app/sourceInfo';

/**
 * A running source as the session reports it, for tests: the live Binance feed on dataset 1 with
 * no replay fields, no error and no notice, with `overrides` on top.
 */
export function sourceInfo(overrides: Partial<SourceInfo> = {}): SourceInfo {
  // The live defaults first (simulated: false), so a `kind` override alone keeps simulated false.
  return {
    ...sourceInfoOf({
      kind: 'live',
      label: 'Binance USD-M futures',
      datasetId: 1,
      state: 'running',
    }),
    ...overrides,
  };
}
