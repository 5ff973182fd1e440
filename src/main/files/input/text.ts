/** Wording shared by the input layer's messages. */
import { fixedFormat } from '../../../core/text/format';

/** An integer with thousands separators, e.g. 1,204,332. */
export function grouped(n: number): string {
  return fixedFormat(0).format(n);
}
