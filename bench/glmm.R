# The glmer side of bench/glmm.mjs: reads the generated CSV, times glmer alone (default control,
# nAGQ = 1, as a user would run it) and prints one JSON line.
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
d <- read.csv(commandArgs(TRUE)[1])
d$clinician <- factor(d$clinician)
t <- system.time(fit <- glmer(y ~ trust + respect + liking + listening + agreement + communication + age10 + female + (1 | clinician),
                              data = d, family = binomial))[["elapsed"]]
cat(toJSON(list(secs = t, beta = unname(fixef(fit)), se = unname(sqrt(diag(as.matrix(vcov(fit))))), sd = unname(getME(fit, "theta")),
                deviance = -2 * as.numeric(logLik(fit))), digits = NA, auto_unbox = TRUE), "\n")
