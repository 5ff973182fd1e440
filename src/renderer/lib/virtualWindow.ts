/**
 * Windowing maths of the alert history table: fixed row height, so the rows in view follow from
 * the scroll offset alone and 100 k rows cost as much as the ~40 visible ones.
 */

export interface VirtualWindow {
  /** First row rendered (inclusive) and last (exclusive). */
  start: number;
  end: number;
  /** Spacer heights above and below the rendered rows, px. */
  padTop: number;
  padBottom: number;
}

/**
 * Rows to render for a viewport of `viewportPx` scrolled to `scrollTop`, with `overscan` extra
 * rows on each side (so a fast scroll does not flash empty space before React catches up).
 */
export function virtualWindow(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportPx: number,
  overscan = 8,
): VirtualWindow {
  const n = Math.max(0, Math.floor(rowCount));
  if (n === 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const top = Math.max(0, Math.min(scrollTop, n * rowHeight));
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportPx) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (n - end) * rowHeight };
}

/** Whether the view is within `thresholdRows` of the last row held: time to page more. */
export function nearEnd(
  rowCount: number,
  rowHeight: number,
  scrollTop: number,
  viewportPx: number,
  thresholdRows = 50,
): boolean {
  const bottomRow = (scrollTop + viewportPx) / rowHeight;
  return bottomRow >= rowCount - thresholdRows;
}

/** The scrollTop that brings row `index` into the middle of the viewport. */
export function scrollTopFor(index: number, rowHeight: number, viewportPx: number): number {
  return Math.max(0, index * rowHeight - Math.max(0, viewportPx - rowHeight) / 2);
}
