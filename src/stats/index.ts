/**
 * Statistics core: pure functions over Float64Array columns, no I/O. Every result is a plain
 * object; degenerate inputs give `{ ok: false, reason }` (never NaN in a table). Verified against
 * R (see test/reference/golden.R).
 */
export { pNormal, qNormal, pNormalTwoSided, pT, qT, pTTwoSided, pChiSq, qChiSq, pF, qF } from './distributions.js';
export { pAdjust, type PAdjustMethod } from './p-adjust.js';
export { quantiles, quantileSorted, boxSummary, type BoxSummary } from './quantile.js';
export { wilson } from './proportion.js';
export { meanCi } from './mean-interval.js';
export { meanSd, standardise, standardiseColumn } from './standardise.js';
export { firthDecision, isSeparated, type FirthCause, type FirthDecision } from './firth-decision.js';
export { describe, type DescribeOptions, type DescribeResult, type Descriptives, type DescriptivesEmpty, type DescriptiveFlag } from './descriptives.js';
export {
  reliability,
  pairwiseAlpha,
  type PairwiseAlpha,
  minresOneFactor,
  type ReliabilityOptions,
  type ReliabilityResult,
  type Reliability,
  type ReliabilityFailure,
  type ItemStatistics,
  type ReliabilityFlag,
} from './reliability.js';
export { compareGroups, type GroupComparison, type GroupComparisonFailure, type GroupSummary } from './groups.js';
export { buildDesign, designColumn, selectColumns, sortLevels, type DesignInput, type DesignMatrix, type DesignTerm } from './design.js';
export {
  fitLogistic,
  type LogisticOptions,
  type LogisticResult,
  type LogisticFit,
  type LogisticFailure,
  type LogisticFailureCode,
  type CoefficientRow,
  type LrTest,
  type TermTest,
} from './logistic.js';
export { detectSeparation, type SeparationResult } from './separation.js';
export { auc, delongCI, type AucResult, type AucFailure } from './auc.js';
export { hosmerLemeshow, type HosmerLemeshowResult, type HosmerLemeshowFailure, type HosmerLemeshowGroup } from './hosmer-lemeshow.js';
export { vif, type VifResult, type VifFailure, type VifColumn, type VifTerm } from './vif.js';
export { dominance, type DominanceResult, type DominanceFailure, type DominanceTermTest, type TraitDominance } from './dominance.js';
export { pearsonCorrelation, type Correlation, type CorrelationFailure } from './correlation.js';
export { iccAgreement, type IccAgreement, type IccFailure } from './icc.js';
export { blandAltman, type BlandAltman, type BlandAltmanFailure } from './bland-altman.js';
export { cohenKappa, quadraticWeights, type Kappa, type KappaFailure, type KappaOptions } from './kappa.js';
export {
  responseSurface,
  surfaceProbability,
  clusterCovariance,
  SURFACE_TERMS,
  type ResponseSurface,
  type SurfaceInput,
  type SurfaceOptions,
  type SurfaceTerm,
  type SurfaceTermName,
} from './response-surface.js';
export { profileConfint, profileRoot, mlProfile, chooseCiMethod, type ProfileInterval, type ProfileLimit, type CiMethodChoice, type ProfileReason } from './profile.js';
export { firthInference, firthProfile, flic, type FirthInference, type FirthInferenceFailure, type FirthCoefficient, type PenalizedLrTest, type FlicResult } from './firth-profile.js';
export { modelVif } from './vif.js';
export { bootstrapDominance, distinctRows, type BootstrapDominanceResult, type BootstrapDominanceOptions, type TraitBootstrap } from './bootstrap-dominance.js';
export { fitPolr, proportionalOddsTests, type PolrFit, type PolrFailure, type PolrCoefficient, type ProportionalOddsTest } from './polr.js';
export { fitNegbin, type NegbinFit, type NegbinFailure, type NegbinCoefficient } from './negbin.js';
export { validateLogistic, calibration, type Validation, type ValidationFailure, type ValidatedIndex } from './validate.js';
export { hosmerLemeshowAuto, type HosmerLemeshowChoice } from './hosmer-lemeshow.js';
export { Rng } from './rng.js';
export { waldEstimate, waldMultiplier, type WaldEstimate } from './wald.js';
export { fitGlmm, type GlmmInput, type GlmmOptions, type GlmmFit, type GlmmFailure, type GlmmCoefficient, type GlmmFlag } from './glmm.js';
export { clusterRobustVcov, type ClusterRobustInput, type ClusterRobustResult, type ClusterRobustType } from './cluster-robust.js';
export { oneWayReml, meanReliability, type OneWayFit, type OneWayFailure } from './icc-oneway.js';
export { svyLogistic, jk1Replicates, type SvyInput, type SvyFit, type SvyFailure, type SvyCoefficient } from './svyglm.js';
export { caseMixAdjust, type CaseMixOptions, type CaseMixResult, type CaseMixFailure, type CaseMixCluster, type CaseMixRating } from './case-mix.js';
export { withinBetween, contextualEffect, type WithinBetween, type ContextualEffect } from './within-between.js';
export { svyMean, type SvyMean, type SvyMeanFailure } from './svy-mean.js';
export { svyLogisticReplicate, svyMeanReplicate, replicateVcov, replicateScale, type ReplicateType, type ReplicateOptions, type ReplicateMean } from './svy-replicate.js';
export { glmmSdProfile, type SdProfileInterval } from './glmm-profile.js';
