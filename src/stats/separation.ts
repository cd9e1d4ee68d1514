/**
 * Detection of complete and quasi-complete separation in logistic regression by linear
 * programming (Konis 2007, as in the R packages safeBinaryRegression / detectseparation).
 *
 * With signed rows x̄_i = (2 y_i - 1) x_i, the maximum-likelihood estimate is infinite (the data are
 * separated) exactly when some direction b ≠ 0 has x̄_i'b >= 0 for every respondent:
 *
 * - quasi-complete (or complete) separation: max Σ x̄_i'b subject to x̄_i'b >= 0, -1 <= b_j <= 1 is
 *   positive; the optimal b is a separating direction, and its non-zero components are the
 *   coefficients that run off to infinity along it;
 * - complete separation: max over b in the box of min_i x̄_i'b is positive (a hyperplane puts every
 *   event strictly on one side and every non-event strictly on the other).
 *
 * Both are solved through their duals, which have only p (or p + 1) rows, by a revised simplex
 * method with Dantzig pricing and Bland's rule against cycling; each pricing pass is one sweep over
 * the data. Columns are scaled to max |x| = 1 first (separation does not depend on scaling).
 * A predictor (term) is named as *responsible* when the separation disappears once it is removed.
 */
import type { DesignMatrix } from './design.js';
import { invert } from './linalg.js';

/** Outcome of the separation check. */
export interface SeparationResult {
  /** 'none': the ML estimates exist; 'undetermined': the LP hit its iteration limit. */
  status: 'none' | 'quasi-complete' | 'complete' | 'undetermined';
  /** Terms (variables) whose removal makes the separation disappear. */
  terms: string[];
  /** Design columns with a non-zero component in the separating direction (may include the intercept). */
  columns: string[];
  /** Separating direction in the units of the design columns (null when there is none). */
  direction: number[] | null;
}

interface LpResult {
  status: 'optimal' | 'limit';
  objective: number;
  y: Float64Array;
}

/**
 * Solve the dual LP (see module doc) over signed, scaled rows xb (n x q, row-major).
 * complete = false:  min Σ(s + t)  s.t. -X̄'λ + s - t = X̄'1;          multipliers y = b
 * complete = true:   min Σ(s + t)  s.t. -X̄'λ + s - t = 0, 1'λ = 1;     multipliers y = (b, τ)
 * Columns: 0..n-1 are λ_i (cost 0), n + j is s_j, n + q + j is t_j (cost 1).
 * A hot kernel (revised simplex; each pricing pass sweeps all n rows): the basis, its inverse and the
 * pricing state stay local to this one function so that the inner loops allocate nothing; hence its
 * length.
 */
function solveLp(xb: Float64Array, n: number, q: number, complete: boolean, maxIter: number): LpResult {
  const m = complete ? q + 1 : q;
  const rhs = new Float64Array(m);
  if (complete) rhs[q] = 1;
  else for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) rhs[j] += xb[i * q + j];

  const column = (k: number, out: Float64Array): void => {
    out.fill(0);
    if (k < n) {
      for (let j = 0; j < q; j++) out[j] = -xb[k * q + j];
      if (complete) out[q] = 1;
    } else if (k < n + q) out[k - n] = 1;
    else out[k - n - q] = -1;
  };
  const cost = (k: number): number => (k < n ? 0 : 1);

  // initial feasible basis
  const basis = new Int32Array(m);
  const target = new Float64Array(q); // value s_j - t_j must take
  if (complete) {
    basis[q] = 0; // λ_0 = 1
    for (let j = 0; j < q; j++) target[j] = xb[j];
  } else for (let j = 0; j < q; j++) target[j] = rhs[j];
  for (let j = 0; j < q; j++) basis[j] = target[j] >= 0 ? n + j : n + q + j;
  const B = new Float64Array(m * m);
  const col = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    column(basis[r], col);
    for (let i = 0; i < m; i++) B[i * m + r] = col[i];
  }
  const Binv = invert(B, m);
  const xB = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < m; k++) s += Binv[i * m + k] * rhs[k];
    xB[i] = Math.max(0, s);
  }
  const y = new Float64Array(m);
  const u = new Float64Array(m);
  const tol = 1e-9;
  let bland = false;
  let stall = 0;
  let lastObj = Infinity;
  for (let it = 0; it < maxIter; it++) {
    // multipliers y' = c_B' B^-1
    y.fill(0);
    for (let r = 0; r < m; r++) {
      const c = cost(basis[r]);
      if (c !== 0) for (let k = 0; k < m; k++) y[k] += c * Binv[r * m + k];
    }
    // pricing: reduced cost d_k = c_k - y'a_k; Dantzig (most negative), or Bland (first negative)
    let enter = -1;
    let best = -tol;
    const yt = complete ? y[q] : 0;
    for (let i = 0; i < n; i++) {
      let d = -yt;
      const base = i * q;
      for (let j = 0; j < q; j++) d += y[j] * xb[base + j];
      if (d < best) {
        best = d;
        enter = i;
        if (bland) break;
      }
    }
    if (!(bland && enter >= 0)) {
      for (let j = 0; j < q && !(bland && enter >= 0); j++) {
        const ds = 1 - y[j];
        if (ds < best) { best = ds; enter = n + j; }
      }
      for (let j = 0; j < q && !(bland && enter >= 0); j++) {
        const dt = 1 + y[j];
        if (dt < best) { best = dt; enter = n + q + j; }
      }
    }
    if (enter < 0) {
      let obj = 0;
      for (let r = 0; r < m; r++) obj += cost(basis[r]) * xB[r];
      return { status: 'optimal', objective: obj, y: Float64Array.from(y) };
    }
    // direction u = B^-1 a_enter and ratio test
    column(enter, col);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += Binv[i * m + k] * col[k];
      u[i] = s;
    }
    let leave = -1;
    let ratio = Infinity;
    for (let r = 0; r < m; r++) {
      if (u[r] > 1e-11) {
        const t = xB[r] / u[r];
        if (t < ratio - 1e-14 || (Math.abs(t - ratio) <= 1e-14 && leave >= 0 && basis[r] < basis[leave])) {
          ratio = t;
          leave = r;
        }
      }
    }
    if (leave < 0) return { status: 'limit', objective: NaN, y }; // unbounded: cannot happen (objective >= 0)
    // pivot
    const pr = u[leave];
    for (let k = 0; k < m; k++) Binv[leave * m + k] /= pr;
    xB[leave] /= pr;
    for (let r = 0; r < m; r++) {
      if (r === leave || u[r] === 0) continue;
      const f = u[r];
      for (let k = 0; k < m; k++) Binv[r * m + k] -= f * Binv[leave * m + k];
      xB[r] = Math.max(0, xB[r] - f * xB[leave]);
    }
    basis[leave] = enter;
    let obj = 0;
    for (let r = 0; r < m; r++) obj += cost(basis[r]) * xB[r];
    if (obj < lastObj - 1e-12) {
      stall = 0;
      lastObj = obj;
    } else if (++stall > 50) bland = true;
    // refresh B^-1 now and then against drift
    if (it % 50 === 49) {
      for (let r = 0; r < m; r++) {
        column(basis[r], col);
        for (let i = 0; i < m; i++) B[i * m + r] = col[i];
      }
      Binv.set(invert(B, m));
    }
  }
  return { status: 'limit', objective: NaN, y };
}

/** Signed, scaled rows of the chosen columns; returns the scale of each column too. */
function signedRows(X: DesignMatrix, y: ArrayLike<number>, cols: number[]): { xb: Float64Array; scale: Float64Array } {
  const q = cols.length;
  const scale = new Float64Array(q);
  for (let i = 0; i < X.n; i++)
    for (let j = 0; j < q; j++) scale[j] = Math.max(scale[j], Math.abs(X.data[i * X.p + cols[j]]));
  for (let j = 0; j < q; j++) if (scale[j] === 0) scale[j] = 1;
  const xb = new Float64Array(X.n * q);
  for (let i = 0; i < X.n; i++) {
    const s = y[i] === 1 ? 1 : -1;
    for (let j = 0; j < q; j++) xb[i * q + j] = (s * X.data[i * X.p + cols[j]]) / scale[j];
  }
  return { xb, scale };
}

const SEP_TOL = 1e-7;

/** Is there a separating direction using only these columns? */
function separatedWith(X: DesignMatrix, y: ArrayLike<number>, cols: number[], maxIter: number): LpResult & { scale: Float64Array } {
  const { xb, scale } = signedRows(X, y, cols);
  return { ...solveLp(xb, X.n, cols.length, false, maxIter), scale };
}

/**
 * Certificate of no separation from the fitted probabilities of a converged maximum-likelihood fit.
 *
 * By Stiemke's lemma, exactly one of these holds: some b has X̄b >= 0 with X̄b != 0 (separation), or
 * some λ > 0 (every component strictly positive) has X̄'λ = 0. At the ML estimates the score is zero,
 * X'(y - mu) = X̄'λ with λ_i = 1 - mu_i for events and mu_i for non-events, all positive, so the
 * fit nearly supplies the second alternative; its small residual score g = X̄'λ is removed by
 * λ' = λ - D X̄ v with D = diag(λ), v = (X̄'DX̄)^-1 g, which satisfies X̄'λ' = 0 exactly and stays
 * positive when every |x̄_i'v| < 1 (required here with a wide margin: <= 0.5). True means the data
 * are certainly not separated (the linear program would find objective 0); false decides nothing.
 */
export function notSeparated(X: DesignMatrix, y: ArrayLike<number>, fitted: ArrayLike<number>): boolean {
  const { n, p, data } = X;
  const A = new Float64Array(p * p);
  const g = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const m = fitted[i];
    const lam = y[i] === 1 ? 1 - m : m;
    if (!(lam > 0)) return false;
    const r = y[i] - m; // = sign_i * lam
    const base = i * p;
    for (let j = 0; j < p; j++) {
      const xj = data[base + j];
      g[j] += xj * r;
      const lx = lam * xj;
      for (let k = 0; k <= j; k++) A[j * p + k] += lx * data[base + k];
    }
  }
  // v = A^-1 g by Cholesky
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j];
    for (let k = 0; k < j; k++) d -= A[j * p + k] * A[j * p + k];
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    A[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let t = A[i * p + j];
      for (let k = 0; k < j; k++) t -= A[i * p + k] * A[j * p + k];
      A[i * p + j] = t / l;
    }
  }
  const v = Float64Array.from(g);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < i; k++) v[i] -= A[i * p + k] * v[k];
    v[i] /= A[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    for (let k = i + 1; k < p; k++) v[i] -= A[k * p + i] * v[k];
    v[i] /= A[i * p + i];
  }
  if (!v.every(Number.isFinite)) return false;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * p;
    for (let j = 0; j < p; j++) s += data[base + j] * v[j];
    if (!(Math.abs(s) <= 0.5)) return false;
  }
  return true;
}

const NONE: SeparationResult = { status: 'none', terms: [], columns: [], direction: null };

/**
 * Check a design matrix and 0/1 outcome for complete or quasi-complete separation.
 * `maxIter` bounds each simplex run (default 50 * (p + 10)); hitting it gives 'undetermined'.
 * `fitted`: the fitted probabilities of a converged ML fit; when they certify that there is no
 * separation ({@link notSeparated}) the linear programs are skipped.
 */
export function detectSeparation(X: DesignMatrix, y: ArrayLike<number>, opts: { maxIter?: number; fitted?: ArrayLike<number> } = {}): SeparationResult {
  if (y.length !== X.n) throw new RangeError(`detectSeparation: ${y.length} outcomes for ${X.n} design rows.`);
  if (opts.fitted && opts.fitted.length === X.n && notSeparated(X, y, opts.fitted)) return { ...NONE, terms: [], columns: [] };
  const maxIter = opts.maxIter ?? 50 * (X.p + 10);
  const all = Array.from({ length: X.p }, (_, j) => j);
  const main = separatedWith(X, y, all, maxIter);
  if (main.status !== 'optimal')
    return { status: 'undetermined', terms: [], columns: [], direction: null };
  if (!(main.objective > SEP_TOL))
    return { ...NONE, terms: [], columns: [] };
  const direction = Array.from(main.y, (v, j) => v / main.scale[j]);
  const columns = X.names.filter((_, j) => Math.abs(main.y[j]) > 1e-7);
  // complete separation?
  const { xb } = signedRows(X, y, all);
  const comp = solveLp(xb, X.n, X.p, true, maxIter);
  const complete = comp.status === 'optimal' && comp.objective > SEP_TOL;
  // which terms are responsible: the separation disappears without them
  const terms: string[] = [];
  for (const t of X.terms) {
    if (t.kind === 'intercept' || t.columns.length === 0) continue;
    const rest = all.filter((c) => !t.columns.includes(c));
    if (rest.length === 0) { terms.push(t.name); continue; }
    const r = separatedWith(X, y, rest, maxIter);
    if (r.status === 'optimal' && !(r.objective > SEP_TOL)) terms.push(t.name);
  }
  const status = complete ? 'complete' : 'quasi-complete';
  return { status, terms, columns, direction };
}
