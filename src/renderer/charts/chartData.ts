/** Series data in the form ECharts handles fastest. */

/**
 * Points [x, y1, y2, …] of `dims` values each as one flat Float64Array; a value that is not a
 * number (the '-' of a gap) becomes NaN, which ECharts also treats as missing. ECharts keeps a
 * typed array as it is, whereas an array of point arrays it deep-clones on every setOption and
 * then derives an id per point: that made drawing a 100 k-bar history take ~800 ms per chart.
 */
export function packPoints(points: readonly unknown[], dims: number): Float64Array {
  const out = new Float64Array(points.length * dims);
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as readonly unknown[];
    for (let d = 0; d < dims; d++) {
      const v = point[d];
      out[i * dims + d] = typeof v === 'number' ? v : NaN;
    }
  }
  return out;
}
