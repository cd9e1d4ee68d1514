# Reference values for src/stats/svyglm.ts: survey::svyglm (quasibinomial) on cluster.csv with
# design weights, strata and clinicians as PSUs; estimates and linearisation covariance; and JK1
# replicate weights (as.svrepdesign(type = "JK1") of the unstratified cluster design).
# Run from the repository root: Rscript test/reference/svyglm-golden.R
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
f <- portal_use ~ trust + communication + age10 + female
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
one <- function(des) {
  fit <- svyglm(f, design = des, family = quasibinomial(), control = ctl)
  list(beta = unname(coef(fit)), vcov = unname(as.vector(vcov(fit))), se = unname(sqrt(diag(vcov(fit)))), df = degf(des))
}
out <- list(
  cluster_strata = one(svydesign(ids = ~ clinician, strata = ~ stratum, weights = ~ weight, data = d)),
  cluster = one(svydesign(ids = ~ clinician, weights = ~ weight, data = d)),
  strata_only = one(svydesign(ids = ~ 1, strata = ~ stratum, weights = ~ weight, data = d)),
  srs = one(svydesign(ids = ~ 1, weights = ~ weight, data = d)),
  jk1 = one(as.svrepdesign(svydesign(ids = ~ clinician, weights = ~ weight, data = d), type = "JK1")),
  survey = as.character(packageVersion("survey"))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/svyglm-golden.json")
