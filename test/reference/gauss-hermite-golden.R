# Golden values for src/stats/gauss-hermite.ts (test/stats/gauss-hermite.test.ts): lme4::GHrule(k), the
# Gauss-Hermite rule for the standard normal density, converted to the exp(-z^2) weight function:
# nodes x = z / sqrt(2), weights w * sqrt(pi).
# Run from the repository root:  Rscript test/reference/gauss-hermite-golden.R
library(jsonlite)
suppressPackageStartupMessages(library(lme4))
rules <- lapply(c(1, 2, 3, 5, 7, 10, 20, 25), function(k) {
  g <- GHrule(k)
  list(k = k, nodes = g[, "z"] / sqrt(2), weights = g[, "w"] * sqrt(pi))
})
write_json(list(rules = rules), "test/reference/gauss-hermite-golden.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
