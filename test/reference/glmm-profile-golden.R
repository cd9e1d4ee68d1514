# Reference values for src/stats/glmm-profile.ts: exact roots of the profile deviance of the
# random-intercept SD, d(theta) - d(theta^) = qchisq(0.95, 1), with d(theta) = min over beta of the
# deviance written out in glmm-agqdev.R (optim BFGS; the deviance at an approximate minimum is
# accurate to second order), by uniroot to 1e-10; and lme4's own profile interval (spline
# interpolation, about 1e-3). Run from the repository root: Rscript test/reference/glmm-profile-golden.R
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
source("test/reference/glmm-agqdev.R")
ctrl <- glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12))
prof <- function(fit, nAGQ = 1) {
  X <- getME(fit, "X"); y <- getME(fit, "y"); groups <- split(seq_along(y), getME(fit, "flist")[[1]])
  dmin <- optim(c(getME(fit, "theta"), fixef(fit)), function(p) agqdev(p, X, y, groups, nAGQ), method = "BFGS", control = list(reltol = 1e-15, maxit = 500))$value
  b0 <- fixef(fit)
  pd <- function(th) optim(b0, function(b) agqdev(c(th, b), X, y, groups, nAGQ), method = "BFGS", control = list(reltol = 1e-15, maxit = 500))$value
  f <- function(th) pd(th) - dmin - qchisq(0.95, 1)
  th <- getME(fit, "theta")
  lo <- if (f(0) > 0) uniroot(f, c(0, th), tol = 1e-10)$root else 0
  hi <- uniroot(f, c(th, 3 * th + 1), tol = 1e-10)$root
  ci <- suppressWarnings(confint(fit, parm = "theta_", method = "profile", oldNames = FALSE))
  list(lower = lo, upper = hi, lme4_lower = ci[1, 1], lme4_upper = ci[1, 2], deviance = dmin)
}
d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
f <- portal_use ~ trust + communication + age10 + female + (1 | clinician)
out <- list(cluster_laplace = prof(glmer(f, data = d, family = binomial, control = ctrl)))
flat <- read.csv("test/reference/cluster-flat.csv")
flat$age10 <- (flat$age - 52) / 10
out$flat_laplace <- prof(glmer(f, data = flat, family = binomial, control = ctrl))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/glmm-profile-golden.json")
