/**
 * Dense least squares by Householder QR on column-major Float64Arrays. Householder QR is
 * backward stable column by column, so badly scaled regressors (a constant next to t² or a price
 * level near 1e5) cost no accuracy; the statistics we need (SSR, t-values) come straight from
 * R and Qᵀy without forming XᵀX.
 */

/** c −= (f·vᵀc)·v over the first len entries (4-way unrolled dot product and update). */
function reflect(v: Float64Array, c: Float64Array, len: number, f: number): void {
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    d0 += v[i] * c[i];
    d1 += v[i + 1] * c[i + 1];
    d2 += v[i + 2] * c[i + 2];
    d3 += v[i + 3] * c[i + 3];
  }
  for (; i < len; i++) d0 += v[i] * c[i];
  const g = f * (d0 + d1 + (d2 + d3));
  if (g === 0) return;
  for (i = 0; i < len; i++) c[i] -= g * v[i];
}

/** Result of factorising a T×K design X and applying Qᵀ to y. */
export interface QrFactorization {
  rows: number;
  cols: number;
  /** K×K upper-triangular R, column-major (R[i + j·K], i ≤ j). */
  r: Float64Array;
  /** Qᵀy, length T. Entries K..T−1 are the residual's coordinates. */
  qty: Float64Array;
  /** Euclidean norm of each original column (for rank checks). */
  colNorms: Float64Array;
  /** Σ_{i ≥ K} (Qᵀy)ᵢ², i.e. the SSR of the full K-column fit. */
  tailSsr: number;
}

/**
 * Householder QR of the column-major T×K matrix `x` (overwritten) and Qᵀ applied to `y`
 * (a copy is made). Requires T ≥ K.
 */
export function householderQr(
  x: Float64Array,
  rows: number,
  cols: number,
  y: Float64Array,
): QrFactorization {
  const T = rows;
  const K = cols;
  const qty = Float64Array.from(y.subarray(0, T));
  const colNorms = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let s = 0;
    const off = j * T;
    for (let i = 0; i < T; i++) s += x[off + i] * x[off + i];
    colNorms[j] = Math.sqrt(s);
  }
  const r = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    const off = j * T;
    const len = T - j;
    // v = x[j:T, j] (a view: the Householder vector is built in place)
    const v = x.subarray(off + j, off + T);
    let scale = 0;
    for (let i = 0; i < len; i++) {
      const a = Math.abs(v[i]);
      if (a > scale) scale = a;
    }
    for (let i = 0; i < j; i++) r[i + j * K] = x[off + i];
    if (scale === 0) {
      // zero column below the diagonal: R_jj = 0, nothing to reflect
      r[j + j * K] = 0;
      continue;
    }
    const inv = 1 / scale;
    let ss = 0;
    for (let i = 0; i < len; i++) {
      const t = v[i] * inv;
      ss += t * t;
    }
    const norm = scale * Math.sqrt(ss);
    const xjj = v[0];
    const alpha = xjj >= 0 ? -norm : norm;
    // v_0 = x_jj − alpha; vᵀv = 2·norm·(norm + |x_jj|)
    v[0] = xjj - alpha;
    const twoOverVtv = 2 / (2 * norm * (norm + Math.abs(xjj)));
    // apply H = I − 2vvᵀ/vᵀv to the remaining columns and to Qᵀy (column index K)
    for (let k = j + 1; k <= K; k++) {
      const c = k < K ? x.subarray(k * T + j, k * T + T) : qty.subarray(j, T);
      reflect(v, c, len, twoOverVtv);
    }
    r[j + j * K] = alpha;
  }
  let tail = 0;
  for (let i = K; i < T; i++) tail += qty[i] * qty[i];
  return { rows: T, cols: K, r, qty, colNorms, tailSsr: tail };
}

/**
 * Numerical rank of the leading `k` columns: counts |R_jj| > tol·colNorm_j with
 * tol = max(T, K)·ε·16 (a deficient column collapses to rounding noise relative to its own norm).
 */
export function leadingColumnsFullRank(f: QrFactorization, k: number = f.cols): boolean {
  const tol = Math.max(f.rows, f.cols) * 16 * Number.EPSILON;
  for (let j = 0; j < k; j++) {
    const rjj = Math.abs(f.r[j + j * f.cols]);
    if (!(rjj > tol * f.colNorms[j]) || f.colNorms[j] === 0) return false;
  }
  return true;
}

/** SSR of the fit on the first `k` columns (nested model): tail + Σ_{i=k}^{K−1} (Qᵀy)ᵢ². */
export function nestedSsr(f: QrFactorization, k: number): number {
  let s = f.tailSsr;
  for (let i = f.cols - 1; i >= k; i--) s += f.qty[i] * f.qty[i];
  return s;
}

/** Coefficients of the fit on the first `k` columns: back-substitution R_k b = (Qᵀy)_k. */
export function nestedCoefficients(f: QrFactorization, k: number = f.cols): Float64Array {
  const K = f.cols;
  const b = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = f.qty[i];
    for (let j = i + 1; j < k; j++) s -= f.r[i + j * K] * b[j];
    b[i] = s / f.r[i + i * K];
  }
  return b;
}

/**
 * [(X_kᵀX_k)⁻¹]_cc for the fit on the first `k` columns: ‖row c of R_k⁻¹‖², obtained by solving
 * R_kᵀ z = e_c (forward substitution).
 */
export function nestedInverseDiag(f: QrFactorization, k: number, c: number): number {
  const K = f.cols;
  const z = new Float64Array(k);
  let s2 = 0;
  for (let i = c; i < k; i++) {
    let s = i === c ? 1 : 0;
    for (let j = c; j < i; j++) s -= f.r[j + i * K] * z[j];
    z[i] = s / f.r[i + i * K];
    s2 += z[i] * z[i];
  }
  return s2;
}

/**
 * t-value of the last column of the nested fit on the first `k` columns:
 * b_{k−1}/se = (Qᵀy)_{k−1}·sign(R_{k−1,k−1}) / s with s² = SSR_k/(T − k).
 */
export function nestedLastTValue(f: QrFactorization, k: number): number {
  const rkk = f.r[k - 1 + (k - 1) * f.cols];
  const s = Math.sqrt(nestedSsr(f, k) / (f.rows - k));
  return (Math.sign(rkk) * f.qty[k - 1]) / s;
}

/** General OLS summary from a QR factorisation (all K columns). */
export interface OlsQrResult {
  params: Float64Array;
  bse: Float64Array;
  tvalues: Float64Array;
  ssr: number;
  dfResid: number;
}

/** Full OLS (params, standard errors, t-values) from the factorisation of all columns. */
export function olsFromQr(f: QrFactorization): OlsQrResult {
  const K = f.cols;
  const params = nestedCoefficients(f, K);
  const ssr = f.tailSsr;
  const dfResid = f.rows - K;
  const s2 = ssr / dfResid;
  const bse = new Float64Array(K);
  const tvalues = new Float64Array(K);
  for (let c = 0; c < K; c++) {
    bse[c] = Math.sqrt(s2 * nestedInverseDiag(f, K, c));
    tvalues[c] = params[c] / bse[c];
  }
  return { params, bse, tvalues, ssr, dfResid };
}
