# Bootstrap of general dominance weights (src/stats/bootstrap-dominance.ts), replaying the resamples
# rapport drew (bootstrap-dominance-indices.json, written by bootstrap-dominance-indices.mjs): for each
# resample, all 64 glm fits (epsilon 1e-14) on the drawn rows, general dominance from McFadden R²,
# then percentile CIs (quantile type 7) and the share of resamples in which each trait ranks first.
# Run from the repository root:  Rscript test/reference/bootstrap-dominance-golden.R
suppressPackageStartupMessages(library(jsonlite))
out <- function(name) file.path("test", "reference", name)
ix <- fromJSON(out("bootstrap-dominance-indices.json"))
traits <- ix$traits
sv <- read.csv(out("survey.csv"), stringsAsFactors = FALSE)
d <- sv[complete.cases(sv[, c(traits, "age", "sex", "site", "portal_use")]), ]
stopifnot(nrow(d) == ix$n)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
p <- length(traits)
general <- function(dd) {
  dev0 <- glm(portal_use ~ 1, binomial, dd, control = ctl)$deviance
  r2 <- sapply(0:(2^p - 1), function(mask) {
    inc <- traits[bitwAnd(mask, 2^(0:(p - 1))) > 0]
    f <- reformulate(c(inc, "age", "sex", "site"), "portal_use")
    1 - glm(f, binomial, dd, control = ctl)$deviance / dev0
  })
  sapply(seq_len(p), function(j) {
    bit <- 2^(j - 1)
    without <- which(bitwAnd(0:(2^p - 1), bit) == 0) - 1
    size <- sapply(without, function(m) sum(bitwAnd(m, 2^(0:(p - 1))) > 0))
    cond <- tapply(r2[without + bit + 1] - r2[without + 1], size, mean)
    mean(cond)
  })
}
W <- t(sapply(seq_len(nrow(ix$rows)), function(b) general(d[ix$rows[b, ], ])))
# first-order ("linearised") bootstrap: each resample's deviance of model m at the full-data fit,
# sum over drawn rows of the squared deviance residuals; the null deviance of the resample is exact
masks <- 0:(2^p - 1)
dres <- sapply(masks, function(mask) {
  inc <- traits[bitwAnd(mask, 2^(0:(p - 1))) > 0]
  residuals(glm(reformulate(c(inc, "age", "sex", "site"), "portal_use"), binomial, d, control = ctl), "deviance")^2
})
gd_from_r2 <- function(r2) sapply(seq_len(p), function(j) {
  bit <- 2^(j - 1)
  without <- which(bitwAnd(masks, bit) == 0) - 1
  size <- sapply(without, function(m) sum(bitwAnd(m, 2^(0:(p - 1))) > 0))
  mean(tapply(r2[without + bit + 1] - r2[without + 1], size, mean))
})
L <- t(sapply(seq_len(nrow(ix$rows)), function(b) {
  idx <- ix$rows[b, ]
  dev0 <- glm(portal_use ~ 1, binomial, d[idx, ], control = ctl)$deviance
  gd_from_r2(1 - colSums(dres[idx, , drop = FALSE]) / dev0)
}))
first <- table(factor(apply(W, 1, which.max), levels = seq_len(p)))
res <- list(traits = traits, general = W, linearised = L,
            point = general(d),
            ciLow = apply(W, 2, quantile, 0.025, type = 7, names = FALSE),
            ciHigh = apply(W, 2, quantile, 0.975, type = 7, names = FALSE),
            rankFirstPct = as.numeric(100 * first / nrow(W)))
write_json(res, out("bootstrap-dominance-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
