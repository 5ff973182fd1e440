/** SourceInfo values the app reports, built from what differs between them. */
import type { SourceInfo } from '../../core/contract/contract';

/** What every SourceInfo states; the rest defaults to "none". */
export type SourceInfoBase = Pick<SourceInfo, 'kind' | 'label' | 'datasetId' | 'state'> &
  Partial<SourceInfo>;

/**
 * `base` with simulated = (kind is demo) and no error, speed, replay file, trade count or notice,
 * unless `base` gives them.
 */
export function sourceInfoOf(base: SourceInfoBase): SourceInfo {
  return {
    simulated: base.kind === 'demo',
    error: null,
    speed: null,
    fileId: null,
    fileName: null,
    tradesReplayed: null,
    notice: null,
    ...base,
  };
}
