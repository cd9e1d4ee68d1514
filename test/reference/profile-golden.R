# Profile-likelihood CIs of ML logistic coefficients (src/stats/profile.ts).
# Run from the repository root:  Rscript test/reference/profile-golden.R  -> test/reference/profile-golden.json
# Exact roots: uniroot on the profile deviance (each point a glm.fit with the coefficient as an
# offset, epsilon 1e-14), and, for comparison, confint() (profile + spline interpolation).
suppressPackageStartupMessages({ library(MASS); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
cut <- qchisq(0.95, 1)

profile_limits <- function(X, y) {
  fit <- glm.fit(X, y, family = binomial(), control = ctl)
  est <- fit$coefficients
  se <- sqrt(diag(chol2inv(qr.R(fit$qr))))[order(fit$qr$pivot)]
  dev <- fit$deviance
  prof <- function(j, b) glm.fit(X[, -j, drop = FALSE], y, offset = b * X[, j], family = binomial(), control = ctl)$deviance
  lim <- t(sapply(seq_along(est), function(j) {
    f <- function(b) prof(j, b) - dev - cut
    lo <- uniroot(f, c(est[j] - 4 * se[j], est[j]), extendInt = "downX", tol = 1e-13)$root
    hi <- uniroot(f, c(est[j], est[j] + 4 * se[j]), extendInt = "upX", tol = 1e-13)$root
    c(lo, hi)
  }))
  list(names = colnames(X), estimate = unname(est), se = unname(se), deviance = dev, lower = lim[, 1], upper = lim[, 2])
}

res <- list()
rare <- read.csv(out("rare.csv"))
X <- model.matrix(~ x1 + x2 + x3, rare)
res$rare <- profile_limits(X, rare$y)
ci <- suppressMessages(confint(glm(y ~ x1 + x2 + x3, binomial, rare, control = ctl)))
res$rare$confintLower <- unname(ci[, 1]); res$rare$confintUpper <- unname(ci[, 2])
res$rare$nEvents <- sum(rare$y)

strong <- read.csv(out("strong.csv"))
X <- model.matrix(~ x1 + x2, strong)
res$strong <- profile_limits(X, strong$y)
ci <- suppressMessages(confint(glm(y ~ x1 + x2, binomial, strong, control = ctl)))
res$strong$confintLower <- unname(ci[, 1]); res$strong$confintUpper <- unname(ci[, 2])

for (d in c("rare", "strong")) {
  r <- res[[d]]
  cat(d, ": max relative |confint - exact root| =",
      max(abs(c(r$confintLower - r$lower, r$confintUpper - r$upper)) / abs(c(r$lower, r$upper))), "\n")
}
write_json(res, out("profile-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
