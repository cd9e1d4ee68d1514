# The random-intercept logistic deviance written out (Laplace for nAGQ = 1, adaptive Gauss-Hermite
# with lme4's GHrule otherwise), shared by glmm-golden.R and glmm-profile-golden.R.
agqdev <- function(par, X, y, groups, nAGQ = 1) {
  theta <- par[1]; eta0 <- drop(X %*% par[-1]); dev <- 0
  gh <- if (nAGQ > 1) GHrule(nAGQ) else cbind(z = 0, w = 1)
  for (i in groups) {
    e <- eta0[i]; yy <- y[i]; u <- 0
    for (it in 1:200) { mu <- plogis(e + theta * u); step <- (theta * sum(yy - mu) - u) / (theta^2 * sum(mu * (1 - mu)) + 1)
      u <- u + step; if (abs(step) < 1e-15 * (1 + abs(u))) break }
    mu <- plogis(e + theta * u); s <- 1 / sqrt(1 + theta^2 * sum(mu * (1 - mu)))
    h <- function(v) sum(dbinom(yy, 1, plogis(e + theta * v), log = TRUE)) - v^2 / 2
    hk <- sapply(u + s * gh[, "z"], h) + gh[, "z"]^2 / 2 + log(gh[, "w"])
    dev <- dev - 2 * (log(s) + max(hk) + log(sum(exp(hk - max(hk)))))
  }
  dev
}
