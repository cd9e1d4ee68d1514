# Reference values for src/stats/case-mix.ts: the CAHPS-style case-mix adjustment written in R from
# the formulas in that file's header (b and Var(b) from lm with clinician fixed effects; the
# reliability from lmer's REML variance components). Run: Rscript test/reference/case-mix-golden.R
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
casemix <- function(y, X, g, reference = "clusters", alpha = 0.05, minCell = 11, minRel = 0.7) {
  g <- factor(g)
  fit <- lm(y ~ X + g)
  K <- ncol(X)
  b <- coef(fit)[2:(K + 1)]
  Vb <- vcov(fit)[2:(K + 1), 2:(K + 1), drop = FALSE]
  xall <- colMeans(X)
  n <- as.vector(table(g)); G <- nlevels(g)
  ybar <- as.vector(tapply(y, g, mean))
  xbar <- apply(X, 2, function(col) tapply(col, g, mean))
  dmat <- sweep(-xbar, 2, xall, "+")          # xall - xbar_p
  adj <- ybar + drop(dmat %*% b)
  e <- y - drop(X %*% b)
  s2 <- sum(residuals(fit)^2) / fit$df.residual
  s2p <- as.vector(tapply(e, g, function(v) if (length(v) > 1) var(v) else NA))
  s2p[is.na(s2p)] <- s2
  v <- s2p / n + rowSums((dmat %*% Vb) * dmat)
  a <- if (reference == "clusters") rep(1 / G, G) else n / sum(n)
  ref <- sum(a * adj)
  delta <- adj - ref
  var_delta <- (1 - a)^2 * v + (sum(a^2 * v) - a^2 * v)
  t <- delta / sqrt(var_delta)
  p <- 2 * pnorm(-abs(t))
  ctrl <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-12, xtol_rel = 1e-12, maxeval = 1e5))
  vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | g), REML = TRUE, control = ctrl)))$vcov
  rel <- vc[1] / (vc[1] + vc[2] / n)
  rating <- ifelse(n < minCell | rel < minRel, "too-few", ifelse(p < alpha, ifelse(delta > 0, "better", "worse"), "same"))
  z <- qnorm(0.975)
  list(b = unname(b), b_vcov = unname(as.vector(Vb)), s2 = s2, reference = ref, n = n, mean = ybar, adjusted = unname(adj),
       variance = unname(v), ci_low = unname(adj - z * sqrt(v)), ci_high = unname(adj + z * sqrt(v)),
       delta = unname(delta), t = unname(t), p = unname(p), reliability = rel, rating = rating)
}
X <- cbind(age10 = d$age10, female = d$female)
out <- list(
  score = casemix(d$score, X, d$clinician),
  score_patients = casemix(d$score, X, d$clinician, reference = "patients"),
  outcome = casemix(d$portal_use, X, d$clinician),
  trust_three = casemix(d$trust, cbind(X, communication = d$communication), d$clinician)
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/case-mix-golden.json")
