# Reference values for src/stats/cluster-robust.ts: sandwich::vcovCL on a glm (exact fit,
# glm.control(epsilon = 1e-14)). Run from the repository root: Rscript test/reference/cluster-robust-golden.R
suppressPackageStartupMessages({ library(sandwich); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
fit <- glm(portal_use ~ trust + communication + age10 + female, family = binomial, data = d,
           control = glm.control(epsilon = 1e-14, maxit = 100))
hc1 <- vcovCL(fit, cluster = ~ clinician, type = "HC1")
hc0 <- vcovCL(fit, cluster = ~ clinician, type = "HC0")
out <- list(beta = unname(coef(fit)), se_model = unname(sqrt(diag(vcov(fit)))),
            hc1 = unname(as.vector(hc1)), hc0 = unname(as.vector(hc0)),
            se_hc1 = unname(sqrt(diag(hc1))), se_hc0 = unname(sqrt(diag(hc0))),
            sandwich = as.character(packageVersion("sandwich")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/cluster-robust-golden.json")
