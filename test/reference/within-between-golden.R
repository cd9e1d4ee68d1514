# Reference values for src/stats/within-between.ts: glmer with trust split into its clinician mean and
# the deviation from it; the contextual effect (between - within) and its SE from vcov(glmer), as
# glmmDeviance's fit is checked against glmer in glmm-golden.R. Run: Rscript test/reference/within-between-golden.R
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
d$trust_between <- ave(d$trust, d$clinician)
d$trust_within <- d$trust - d$trust_between
ctrl <- glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12))
fit <- glmer(portal_use ~ trust_within + trust_between + age10 + female + (1 | clinician), data = d, family = binomial, control = ctrl)
V <- as.matrix(vcov(fit)); b <- fixef(fit)
ctx <- b[["trust_between"]] - b[["trust_within"]]
se <- sqrt(V["trust_between", "trust_between"] + V["trust_within", "trust_within"] - 2 * V["trust_between", "trust_within"])
out <- list(beta = unname(b), se = unname(sqrt(diag(V))), sd = unname(getME(fit, "theta")),
            contextual = ctx, contextual_se = se, between_first = d$trust_between[1:5], within_first = d$trust_within[1:5])
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/within-between-golden.json")
