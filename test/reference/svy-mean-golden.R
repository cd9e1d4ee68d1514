# Reference values for src/stats/svy-mean.ts: survey::svymean on cluster.csv (score and the 0/1
# outcome) under the designs of svyglm-golden.R. Run: Rscript test/reference/svy-mean-golden.R
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
one <- function(des) {
  r <- lapply(c("score", "portal_use"), function(v) { m <- svymean(as.formula(paste("~", v)), des); c(coef(m)[[1]], SE(m)[[1]]) })
  list(score = r[[1]], portal_use = r[[2]])
}
out <- list(
  cluster_strata = one(svydesign(ids = ~ clinician, strata = ~ stratum, weights = ~ weight, data = d)),
  cluster = one(svydesign(ids = ~ clinician, weights = ~ weight, data = d)),
  strata_only = one(svydesign(ids = ~ 1, strata = ~ stratum, weights = ~ weight, data = d)),
  srs = one(svydesign(ids = ~ 1, weights = ~ weight, data = d))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/svy-mean-golden.json")
