# Firth (penalised-likelihood) inference as logistf's defaults (src/stats/firth-profile.ts).
# logistf is not packaged for Debian, so the reference is written here from its definition:
#   l*(beta) = l(beta) + 0.5 log det I(beta),  I = X'WX of the full model,
# profile penalised-likelihood limits (uniroot of 2 (l*max - l*prof(b)) = qchisq(0.95, 1), where
# l*prof maximises l* over the other coefficients with b held) and penalised LR tests
# 2 (l*max - l*prof(0)). The constrained maxima are checked against optim().
# Reproduces Heinze & Schemper (2002) on brglm2::endometrial (NV: 2.93, 0.61 to 7.85, p = 0.009).
# Run from the repository root:  Rscript test/reference/firth-golden.R -> firth-golden.json, endometrial.csv
suppressPackageStartupMessages({ library(brglm2); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
cut <- qchisq(0.95, 1)

pll <- function(beta, X, y) {
  eta <- drop(X %*% beta)
  mu <- plogis(eta)
  sum(y * eta - ifelse(eta > 0, eta + log1p(exp(-eta)), log1p(exp(eta)))) +
    0.5 * determinant(crossprod(X, mu * (1 - mu) * X))$modulus[1]
}
# maximise l* over the coefficients not in `held` (held keep their values in `beta`): Fisher steps
# with the modified score X'(y - mu + h (1/2 - mu)), step halving on l*
firth_fit <- function(X, y, beta = rep(0, ncol(X)), held = integer(0)) {
  free <- setdiff(seq_len(ncol(X)), held)
  cur <- pll(beta, X, y)
  for (it in 1:500) {
    mu <- plogis(drop(X %*% beta)); w <- mu * (1 - mu)
    I <- crossprod(X, w * X)
    h <- rowSums((X %*% solve(I)) * X) * w
    U <- crossprod(X, y - mu + h * (0.5 - mu))
    d <- rep(0, ncol(X)); d[free] <- solve(I[free, free, drop = FALSE], U[free])
    if (max(abs(d)) > 5) d <- d * 5 / max(abs(d))
    if (max(abs(d)) < 1e-12) break
    for (k in 0:40) {
      nb <- beta + d / 2^k; v <- pll(nb, X, y)
      if (v >= cur - 1e-13 * abs(cur)) break
    }
    beta <- nb; cur <- v
  }
  list(beta = beta, pll = cur)
}
prof <- function(X, y, fit, j, b) { s <- fit$beta; s[j] <- b; firth_fit(X, y, s, j)$pll }

firth_reference <- function(X, y) {
  fit <- firth_fit(X, y)
  mu <- plogis(drop(X %*% fit$beta))
  se <- sqrt(diag(solve(crossprod(X, mu * (1 - mu) * X))))
  res <- list(names = colnames(X), estimate = fit$beta, se = se, pll = fit$pll, lower = NULL, upper = NULL, chisq = NULL, p = NULL)
  for (j in seq_len(ncol(X))) {
    f <- function(b) 2 * (fit$pll - prof(X, y, fit, j, b)) - cut
    res$lower[j] <- uniroot(f, c(fit$beta[j] - 3 * se[j], fit$beta[j]), extendInt = "downX", tol = 1e-12)$root
    res$upper[j] <- uniroot(f, c(fit$beta[j], fit$beta[j] + 3 * se[j]), extendInt = "upX", tol = 1e-12)$root
    res$chisq[j] <- 2 * (fit$pll - prof(X, y, fit, j, 0))
    res$p[j] <- pchisq(res$chisq[j], 1, lower.tail = FALSE)
    # independent check of the constrained maximum at 0: optim over the free coefficients
    o <- optim(fit$beta[-j], function(b) { bb <- numeric(ncol(X)); bb[-j] <- b; -pll(bb, X, y) },
               method = "BFGS", control = list(reltol = 1e-15, maxit = 1000))
    stopifnot(abs(-o$value - prof(X, y, fit, j, 0)) < 1e-7)
  }
  # FLIC: Firth slopes, intercept refitted by ML with their linear predictor as offset
  off <- drop(X[, -1, drop = FALSE] %*% fit$beta[-1])
  fl <- glm(y ~ 1, offset = off, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  res$flicIntercept <- unname(coef(fl)); res$flicFitted <- unname(fitted(fl))
  res
}

res <- list()
data(endometrial, package = "brglm2")
write.csv(endometrial[, c("NV", "PI", "EH", "HG")], out("endometrial.csv"), row.names = FALSE)
X <- model.matrix(~ NV + PI + EH, endometrial)
res$endometrial <- firth_reference(X, endometrial$HG)
e <- res$endometrial
cat(sprintf("endometrial NV: %.2f (%.2f, %.2f), p = %.3f  [published 2.93 (0.61, 7.85), p = 0.009]\n",
            e$estimate[2], e$lower[2], e$upper[2], e$p[2]))
stopifnot(abs(e$estimate[2] - 2.93) < 0.005, abs(e$lower[2] - 0.61) < 0.005, abs(e$upper[2] - 7.85) < 0.005, round(e$p[2], 3) == 0.009)
# the Firth estimates equal brglm2's mean-bias-reduced fit
bg <- glm(HG ~ NV + PI + EH, family = binomial, data = endometrial, method = "brglmFit", type = "AS_mean", epsilon = 1e-12)
stopifnot(max(abs(coef(bg) - e$estimate)) < 1e-7)

rare <- read.csv(out("rare.csv"))
res$rare <- firth_reference(model.matrix(~ x1 + x2 + x3, rare), rare$y)

# a three-level factor: penalised LR test of the whole term (both dummies held at 0, df = 2)
sv <- read.csv(out("survey.csv"))[1:150, ]
sv <- sv[complete.cases(sv[, c("trust", "site", "portal_use")]), ]
X <- model.matrix(~ trust + site, sv)
fit <- firth_fit(X, sv$portal_use)
s0 <- fit$beta; s0[3:4] <- 0
term <- 2 * (fit$pll - firth_fit(X, sv$portal_use, s0, 3:4)$pll)
res$siteTerm <- list(n = nrow(sv), pll = fit$pll, chisq = term, p = pchisq(term, 2, lower.tail = FALSE), estimate = fit$beta)
write_json(res, out("firth-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
