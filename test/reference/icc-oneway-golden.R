# Reference values for src/stats/icc-oneway.ts: lme4::lmer(score ~ 1 + (1 | g), REML = TRUE) at tight
# optimiser settings, and the profile-REML interval of the ICC from lmer's own REML deviance function
# (devFunOnly = TRUE: the criterion as a function of theta = tau / sigma, sigma and mu profiled/integrated),
# roots of d(theta) - d(theta^) = qchisq(0.95, 1) by uniroot.
# Run from the repository root: Rscript test/reference/icc-oneway-golden.R
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
ref <- function(y, g) {
  ctrl <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-12, xtol_rel = 1e-12, maxeval = 1e5))
  fit <- lmer(y ~ 1 + (1 | g), REML = TRUE, control = ctrl)
  dev <- lmer(y ~ 1 + (1 | g), REML = TRUE, devFunOnly = TRUE)
  th <- optimize(dev, c(0, 10), tol = 1e-14)$minimum
  dmin <- dev(th)
  crit <- qchisq(0.95, 1)
  f <- function(t) dev(t) - dmin - crit
  lo <- if (f(0) > 0) uniroot(f, c(0, th), tol = 1e-14)$root else 0
  hi <- uniroot(f, c(th, 100), tol = 1e-14)$root
  vc <- as.data.frame(VarCorr(fit))
  tau2 <- vc$vcov[1]; sigma2 <- vc$vcov[2]
  ns <- as.vector(table(g)); med <- median(ns)
  list(tau2 = tau2, sigma2 = sigma2, icc = tau2 / (tau2 + sigma2), mu = unname(fixef(fit)),
       reml = REMLcrit(fit), theta_optimize = th, icc_ci = c(lo^2 / (1 + lo^2), hi^2 / (1 + hi^2)),
       median_size = med, reliability_at_median = tau2 / (tau2 + sigma2 / med),
       n_for_070 = ceiling(0.7 / 0.3 * sigma2 / tau2), n_for_080 = ceiling(0.8 / 0.2 * sigma2 / tau2),
       singular = isSingular(fit))
}
d <- read.csv("test/reference/cluster.csv")
flat <- read.csv("test/reference/cluster-flat.csv")
ie <- read.csv("test/reference/insteval-subset.csv")
out <- list(cluster = ref(d$score, d$clinician), insteval = ref(ie$y, factor(ie$lecturer)),
            flat_trust = ref(flat$trust, flat$clinician), lme4 = as.character(packageVersion("lme4")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/icc-oneway-golden.json")
