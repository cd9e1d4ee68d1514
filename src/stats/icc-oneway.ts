/**
 * One-way random-effects model for a score of patients nested in clinicians, fitted by REML as
 * `lme4::lmer(score ~ 1 + (1 | clinician), REML = TRUE)`: y_gi = mu + b_g + e_gi, b_g ~ N(0, tau^2),
 * e_gi ~ N(0, sigma^2), clusters of any sizes.
 *
 * With lambda = tau^2 / sigma^2 (lmer's theta^2) the REML criterion, profiled over sigma^2 and with mu
 * integrated out, depends on the data only through each cluster's size n_g, mean m_g and within sum of
 * squares W_g (so the fit costs O(G) per evaluation):
 *   a_g = n_g / (1 + n_g lambda),  mu^ = sum a_g m_g / sum a_g,
 *   Q(lambda) = sum_g [W_g + a_g (m_g - mu^)^2],   sigma^2^ = Q / (N - 1),
 *   d(lambda) = (N - 1) (1 + log(2 pi Q / (N - 1))) + sum_g log(1 + n_g lambda) + log(sum a_g)
 * (d is lmer's REML deviance, `deviance(fit, REML = TRUE)` = REMLcrit). It is minimised over
 * lambda >= 0 by golden-section search on theta = sqrt(lambda) followed by Newton polishing; tau^2 = lambda sigma^2.
 *
 * ICC = tau^2 / (tau^2 + sigma^2) = lambda / (1 + lambda). Its confidence interval is the profile
 * (REML) likelihood interval: ICC is a function of lambda alone, and d(lambda) is the REML deviance
 * with sigma^2 profiled out, so the limits are the roots of d(lambda) - d(lambda^) = qchisq(level, 1)
 * (as lme4's `confint(fit, method = "profile")` for theta, transformed); the lower limit is 0 when
 * d(0) - d(lambda^) is below that quantile.
 *
 * Reliability of a cluster mean of n patients: tau^2 / (tau^2 + sigma^2 / n) = n lambda / (1 + n lambda)
 * (Spearman–Brown); patients needed for reliability R: n = R / ((1 - R) lambda), rounded up.
 */
import { qChiSq } from './distributions.js';

export interface OneWayFit {
  ok: true;
  n: number;
  clusters: number;
  mu: number;
  tau2: number;
  sigma2: number;
  icc: number;
  iccCi: [number, number];
  /** REML deviance at the optimum (lmer's REMLcrit). */
  remlDeviance: number;
  /** tau^2 estimated as 0 (lmer's singular fit). */
  boundary: boolean;
  clusterSize: { min: number; median: number; max: number };
  /** Reliability of a cluster mean of the median cluster size. */
  reliabilityAtMedian: number;
  /** Patients per cluster for reliability 0.70 and 0.80 (null when tau^2 = 0: never). */
  nFor070: number | null;
  nFor080: number | null;
}

export interface OneWayFailure {
  ok: false;
  code: 'too-few-clusters' | 'no-variation' | 'bad-input';
  reason: string;
}

/** Sizes, means and within sums of squares per cluster (two-pass, so the sums are accurate). */
export interface ClusterMoments {
  N: number;
  G: number;
  n: Float64Array;
  mean: Float64Array;
  within: Float64Array;
}

export function clusterMoments(y: Float64Array, cluster: Int32Array): ClusterMoments {
  let maxId = -1;
  for (let i = 0; i < y.length; i++) maxId = Math.max(maxId, cluster[i]);
  const cnt = new Float64Array(maxId + 1);
  const sum = new Float64Array(maxId + 1);
  const ss = new Float64Array(maxId + 1);
  for (let i = 0; i < y.length; i++) {
    cnt[cluster[i]]++;
    sum[cluster[i]] += y[i];
  }
  for (let c = 0; c <= maxId; c++) if (cnt[c]) sum[c] /= cnt[c];
  for (let i = 0; i < y.length; i++) {
    const d = y[i] - sum[cluster[i]];
    ss[cluster[i]] += d * d;
  }
  const keep: number[] = [];
  for (let c = 0; c <= maxId; c++) if (cnt[c] > 0) keep.push(c);
  return {
    N: y.length,
    G: keep.length,
    n: Float64Array.from(keep, (c) => cnt[c]),
    mean: Float64Array.from(keep, (c) => sum[c]),
    within: Float64Array.from(keep, (c) => ss[c]),
  };
}

/** The profiled REML deviance d(lambda) (see module doc) and the GLS mean and Q. */
export function remlDeviance(m: ClusterMoments, lambda: number): { d: number; mu: number; Q: number } {
  let sa = 0;
  let sam = 0;
  let logs = 0;
  for (let g = 0; g < m.G; g++) {
    const a = m.n[g] / (1 + m.n[g] * lambda);
    sa += a;
    sam += a * m.mean[g];
    logs += Math.log1p(m.n[g] * lambda);
  }
  const mu = sam / sa;
  let Q = 0;
  for (let g = 0; g < m.G; g++) {
    const a = m.n[g] / (1 + m.n[g] * lambda);
    const e = m.mean[g] - mu;
    Q += m.within[g] + a * e * e;
  }
  const df = m.N - 1;
  return { d: df * (1 + Math.log((2 * Math.PI * Q) / df)) + logs + Math.log(sa), mu, Q };
}

/** Minimiser of f over [a, b] by golden-section search to a relative width tol, then the best point. */
function golden(f: (x: number) => number, a: number, b: number, tol: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let x1 = b - r * (b - a);
  let x2 = a + r * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  while (b - a > tol * (1 + Math.abs(a) + Math.abs(b))) {
    if (f1 < f2) {
      b = x2; x2 = x1; f2 = f1; x1 = b - r * (b - a); f1 = f(x1);
    } else {
      a = x1; x1 = x2; f1 = f2; x2 = a + r * (b - a); f2 = f(x2);
    }
  }
  return f1 < f2 ? x1 : x2;
}

/** Root of f (increasing or decreasing) in [a, b] where f changes sign, by bisection to machine precision. */
function bisect(f: (x: number) => number, a: number, b: number): number {
  let fa = f(a);
  for (let it = 0; it < 200 && b - a > 1e-15 * (1 + Math.abs(a)); it++) {
    const c = 0.5 * (a + b);
    const fc = f(c);
    if (Math.sign(fc) === Math.sign(fa)) { a = c; fa = fc; } else b = c;
  }
  return 0.5 * (a + b);
}

/** theta = sqrt(lambda) at the REML optimum: bracket by doubling, golden section, Newton polish by secant on d'. */
function optimiseTheta(m: ClusterMoments): number {
  const f = (t: number) => remlDeviance(m, t * t).d;
  let hi = 1;
  while (f(2 * hi) < f(hi) && hi < 1e6) hi *= 2;
  let t = golden(f, 0, 2 * hi, 1e-9);
  // polish: Newton on the derivative by central differences
  for (let it = 0; it < 5 && t > 0; it++) {
    const h = 1e-5 * Math.max(t, 1e-3);
    const fp = f(t + h), f0 = f(t), fm = f(t - h);
    const d1 = (fp - fm) / (2 * h);
    const d2 = (fp - 2 * f0 + fm) / (h * h);
    if (!(d2 > 0)) break;
    const next = t - d1 / d2;
    if (!(next >= 0) || Math.abs(next - t) > 10 * h) break;
    t = next;
  }
  // an optimum within 1e-5 of theta = 0 that is no better than 0 itself is the boundary
  return t < 1e-5 && f(0) <= f(t) + 1e-10 ? 0 : t;
}

export function oneWayReml(y: Float64Array, cluster: Int32Array, level = 0.95): OneWayFit | OneWayFailure {
  if (y.length !== cluster.length) return { ok: false, code: 'bad-input', reason: `${cluster.length} cluster ids for ${y.length} scores.` };
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]) || !(cluster[i] >= 0)) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing score or cluster; drop incomplete rows first.` };
  const m = clusterMoments(y, cluster);
  if (m.G < 2) return { ok: false, code: 'too-few-clusters', reason: `Only ${m.G} cluster; the ICC needs at least 2.` };
  let W = 0;
  for (let g = 0; g < m.G; g++) W += m.within[g];
  if (!(W > 0)) return { ok: false, code: 'no-variation', reason: 'Every patient has the same score as the others of the same cluster; the within-cluster variance is 0.' };
  const t = optimiseTheta(m);
  const lambda = t * t;
  const best = remlDeviance(m, lambda);
  const sigma2 = best.Q / (m.N - 1);
  const crit = qChiSq(level, 1);
  const excess = (tt: number) => remlDeviance(m, tt * tt).d - best.d - crit;
  let lo = 0;
  if (t > 0 && excess(0) > 0) lo = bisect(excess, 0, t);
  let hiT = Math.max(2 * t, 1);
  while (excess(hiT) < 0 && hiT < 1e8) hiT *= 2;
  const up = bisect(excess, t, hiT);
  const iccOf = (tt: number) => (tt * tt) / (1 + tt * tt);
  const sizes = Float64Array.from(m.n).sort();
  const med = sizes.length % 2 ? sizes[(sizes.length - 1) >> 1] : 0.5 * (sizes[sizes.length / 2 - 1] + sizes[sizes.length / 2]);
  const nFor = (R: number) => (lambda > 0 ? Math.ceil(R / ((1 - R) * lambda) - 1e-9) : null);
  return {
    ok: true, n: m.N, clusters: m.G, mu: best.mu, tau2: lambda * sigma2, sigma2, icc: iccOf(t), iccCi: [iccOf(lo), iccOf(up)],
    remlDeviance: best.d, boundary: lambda === 0,
    clusterSize: { min: sizes[0], median: med, max: sizes[sizes.length - 1] },
    reliabilityAtMedian: (med * lambda) / (1 + med * lambda), nFor070: nFor(0.7), nFor080: nFor(0.8),
  };
}

/** Reliability of a cluster mean of n patients given the variance components. */
export function meanReliability(tau2: number, sigma2: number, n: number): number {
  return tau2 / (tau2 + sigma2 / n);
}
