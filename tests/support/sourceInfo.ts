import type { SourceInfo } from '../../src/core/contract/contract';

/**
 * A running source as the session reports it, for tests: the live Binance feed on dataset 1 with
 * no replay fields, no error and no notice, with `overrides` on top.
 */
export function sourceInfo(overrides: Partial<SourceInfo> = {}): SourceInfo {
  return {
    kind: 'live',
    simulated: false,
    label: 'Binance USD-M futures',
    datasetId: 1,
    state: 'running',
    error: null,
    speed: null,
    fileId: null,
    fileName: null,
    tradesReplayed: null,
    notice: null,
    ...overrides,
  };
}
