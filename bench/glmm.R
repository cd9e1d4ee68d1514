# The glmer side of bench/glmm.mjs: reads the generated CSV, times glmer alone (default control,
# nAGQ = 1, as a user would run it; wall and CPU seconds) and prints one JSON line.
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
d <- read.csv(commandArgs(TRUE)[1])
d$clinician <- factor(d$clinician)
st <- system.time(fit <- glmer(y ~ trust + respect + liking + listening + agreement + communication + age10 + female + (1 | clinician),
                              data = d, family = binomial))
cat(toJSON(list(secs = st[["elapsed"]], cpu = st[["user.self"]] + st[["sys.self"]], beta = unname(fixef(fit)), se = unname(sqrt(diag(as.matrix(vcov(fit))))), sd = unname(getME(fit, "theta")),
                deviance = -2 * as.numeric(logLik(fit))), digits = NA, auto_unbox = TRUE), "\n")
