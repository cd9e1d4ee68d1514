# Golden values for the dyad statistics (issue 15): Pearson r with its Fisher CI (cor.test), ICC for
# absolute agreement of single raters (psych::ICC, ICC2, with lmer = FALSE: the exact two-way ANOVA
# values; psych's default lmer = TRUE differs by about 1e-6), Bland-Altman limits (1.96 as in Bland &
# Altman 1986, and qnorm(0.975)), Cohen's kappa and weighted kappa (psych::cohen.kappa), and the
# polynomial response-surface logistic regression with a1..a4 (glm + vcov; sandwich::vcovCL HC1 by
# clinician for the cluster-robust variant).
# Run from the repository root:  Rscript test/reference/dyad-golden.R
# Writes test/reference/dyad-data.csv (generated pairs), dyad-public.csv and dyad-bfi.csv (public data:
# psych's sat.act and bfi) and dyad-golden.json (full precision).
suppressPackageStartupMessages({
  library(psych)
  library(sandwich)
  library(jsonlite)
})
out <- function(name) file.path("test", "reference", name)

## Generated pairs: 40 clinicians with 6-12 patients each; patient and clinician scale means on 1..5
## (quarter points, as a 4-item mean), correlated; concordance items with 6 nominal options; an
## ordered 5-point item; a binary outcome from a response surface; a covariate.
set.seed(20261203)
nclin <- 40
sizes <- sample(6:12, nclin, replace = TRUE)
clin <- rep(seq_len(nclin), sizes)
n <- length(clin)
u <- rnorm(nclin, sd = 0.5)[clin]
zp <- rnorm(n); zc <- 0.5 * zp + sqrt(1 - 0.25) * rnorm(n) + u
q <- function(z) pmin(5, pmax(1, round((3.8 + 0.8 * z) * 4) / 4))
P <- q(zp); C <- q(zc)
age <- round(rnorm(n, 50, 15))
Pc <- P - 3; Cc <- C - 3
eta <- -0.6 + 0.5 * Pc + 0.3 * Cc - 0.15 * Pc^2 + 0.25 * Pc * Cc - 0.2 * Cc^2 + 0.01 * (age - 50)
y <- rbinom(n, 1, plogis(eta))
agree <- rbinom(n, 1, 0.6)
reason_p <- sample(1:6, n, replace = TRUE, prob = c(.25, .3, .2, .1, .1, .05))
reason_c <- ifelse(agree == 1, reason_p, sample(1:6, n, replace = TRUE))
ord_p <- pmin(5, pmax(1, round(3.5 + zp)))
ord_c <- pmin(5, pmax(1, round(3.3 + 0.7 * zp + 0.7 * rnorm(n))))
P[c(5, 77)] <- NA; C[c(12)] <- NA; reason_c[c(3, 9)] <- NA
gen <- data.frame(clinician = clin, P = P, C = C, age = age, y = y, reason_p = reason_p, reason_c = reason_c, ord_p = ord_p, ord_c = ord_c)
write.csv(gen, out("dyad-data.csv"), row.names = FALSE, na = "")

## Public pairs: psych::sat.act (SAT verbal and quantitative of 700 people, as two "raters" of one
## ability, in hundreds: 2..8, midpoint 5; outcome gender = 2; covariate age) and psych::bfi items A2
## and A3 (1..6) for kappa.
sat <- sat.act[, c("SATV", "SATQ", "gender", "age", "education")]
write.csv(sat, out("dyad-public.csv"), row.names = FALSE, na = "")
bfi2 <- bfi[, c("A2", "A3")]
write.csv(bfi2, out("dyad-bfi.csv"), row.names = FALSE, na = "")

pearson <- function(x, y) {
  ok <- complete.cases(x, y); t <- cor.test(x[ok], y[ok])
  list(n = sum(ok), r = unname(t$estimate), ci = as.numeric(t$conf.int), t = unname(t$statistic), df = unname(t$parameter), p = t$p.value)
}
icc2 <- function(x, y) {
  d <- na.omit(data.frame(x, y)); r <- ICC(d, lmer = FALSE)
  row <- r$results["Single_random_raters", ]
  list(n = nrow(d), icc = row$ICC, lower = row$`lower bound`, upper = row$`upper bound`, F = row$F, df1 = row$df1, df2 = row$df2, p = row$p,
       msb = r$stats["MS", "subjects"], msj = r$stats["MS", "Judges"], mse = r$stats["MS", "Residual"])
}
ba <- function(x, y) {
  d <- (x - y)[complete.cases(x, y)]; m <- mean(d); s <- sd(d)
  list(n = length(d), mean = m, sd = s, loa196 = c(m - 1.96 * s, m + 1.96 * s), loaq = c(m - qnorm(0.975) * s, m + qnorm(0.975) * s))
}
# The large-sample variance of weighted kappa of Fleiss, Cohen & Everitt (1969), written out: psych
# 2.2.9's var.weighted multiplies the row marginal p_j. by the row sum of w where the formula has
# sum_i p_i. w_ij, so it differs (and can come out negative, which psych then sets to 0).
fce <- function(x, w) {
  N <- sum(x); p <- x / N; r <- rowSums(p); cc <- colSums(p)
  po <- sum(w * p); pe <- sum(w * outer(r, cc)); wi <- as.vector(w %*% cc); wj <- as.vector(t(w) %*% r)
  (sum(p * (w * (1 - pe) - outer(wi, wj, "+") * (1 - po))^2) - (po * pe - 2 * pe + po)^2) / (N * (1 - pe)^4)
}
kap <- function(a, b, levels) {
  d <- na.omit(data.frame(a, b)); k <- cohen.kappa(d, levels = levels)
  tab <- table(factor(d[, 1], levels = levels), factor(d[, 2], levels = levels))
  vw <- fce(tab, k$weight); z <- qnorm(0.975)
  list(n = nrow(d), levels = levels, po = sum(diag(k$agree)), kappa = k$kappa, var_kappa = k$var.kappa, weighted = k$weighted.kappa, var_weighted = k$var.weighted,
       ci = as.numeric(k$confid[1, c(1, 3)]), ci_weighted = as.numeric(k$confid[2, c(1, 3)]),
       var_kappa_fce = fce(tab, diag(length(levels))), var_weighted_fce = vw, ci_weighted_fce = k$weighted.kappa + c(-z, z) * sqrt(vw))
}
surface <- function(d, mid, cluster = NULL) {
  d$Pc <- d$P - mid; d$Cc <- d$C - mid
  f <- glm(y ~ Pc + Cc + I(Pc^2) + I(Pc * Cc) + I(Cc^2) + cov, family = binomial, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))
  L <- rbind(a1 = c(0, 1, 1, 0, 0, 0, 0), a2 = c(0, 0, 0, 1, 1, 1, 0), a3 = c(0, 1, -1, 0, 0, 0, 0), a4 = c(0, 0, 0, 1, -1, 1, 0))
  comb <- function(V) {
    est <- as.numeric(L %*% coef(f)); se <- sqrt(diag(L %*% V %*% t(L)))
    list(estimate = est, se = se, z = est / se, p = 2 * pnorm(-abs(est / se)))
  }
  V <- vcov(f)
  res <- list(n = nobs(f), coef = unname(coef(f)), se = unname(sqrt(diag(V))), vcov = unname(as.numeric(V)), a = comb(V))
  if (!is.null(cluster)) {
    VC <- vcovCL(f, cluster = d[[cluster]], type = "HC1")
    res$robust <- list(vcov = unname(as.numeric(VC)), se = unname(sqrt(diag(VC))), a = comb(VC))
  }
  res
}

gd <- gen; gd$cov <- gd$age
sd <- data.frame(P = sat$SATV / 100, C = sat$SATQ / 100, y = as.integer(sat$gender == 2), cov = sat$age)
golden <- list(
  generated = list(
    pearson = pearson(gen$P, gen$C), icc = icc2(gen$P, gen$C), bland_altman = ba(gen$P, gen$C),
    kappa_nominal = kap(gen$reason_p, gen$reason_c, 1:6), kappa_ordered = kap(gen$ord_p, gen$ord_c, 1:5),
    surface = surface(na.omit(gd[, c("P", "C", "y", "cov", "clinician")]), 3, "clinician")
  ),
  public = list(
    pearson = pearson(sat$SATV / 100, sat$SATQ / 100), icc = icc2(sat$SATV / 100, sat$SATQ / 100), bland_altman = ba(sat$SATV / 100, sat$SATQ / 100),
    kappa_ordered = kap(bfi2$A2, bfi2$A3, 1:6),
    surface = surface(na.omit(sd), 5)
  ),
  # psych's default (lmer = TRUE, REML) on the generated pairs, to show the size of the difference
  icc_lmer_default = ICC(na.omit(data.frame(gen$P, gen$C)))$results["Single_random_raters", "ICC"]
)
write_json(golden, out("dyad-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
