# Reference values for the report's sampling design (--weights, --strata, --replicate-weights) and for
# src/stats/svy-replicate.ts. Makes test/reference/svy-design.csv from cluster.csv (the design weights,
# strata and clinicians of that file, plus 40 JK1 replicate weights repw1..repw40 as a survey would
# publish them: as.svrepdesign(type = "JK1") of the clinician design, combined with the sampling
# weight), then writes svy-design-golden.json:
# - rep: svyglm and svymean on svrepdesign(repweights = "repw", type = "JK1", combined.weights = TRUE)
#   (survey's defaults: scale (R-1)/R, rscales 1, mse = FALSE: deviations about the replicates' mean);
#   also with mse = TRUE;
# - report_*: what `rapport report svy-design.csv --predictors trust,communication --covariates
#   age,female --outcome portal_use --weights weight [--strata stratum | --replicate-weights repw]`
#   must give: traits standardised (unweighted mean and SD of the model respondents), svyglm estimates,
#   SEs, t p-values on df.residual and confint() limits; svymean of the outcome and of each trait with
#   their confint(df = degf) limits, svyciprop(method = "logit") for the rate; svyby rates by stratum.
# Run from the repository root: Rscript test/reference/svy-design-golden.R
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
d <- read.csv("test/reference/cluster.csv")
cl <- svydesign(ids = ~ clinician, weights = ~ weight, data = d)
jk <- as.svrepdesign(cl, type = "JK1", compress = FALSE)
rw <- matrix(as.numeric(as.matrix(weights(jk, type = "analysis"))), nrow = nrow(d))
colnames(rw) <- paste0("repw", seq_len(ncol(rw)))
out_csv <- cbind(d, round(rw, 6))
write.csv(out_csv, "test/reference/svy-design.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("test/reference/svy-design.csv")
repcols <- grep("^repw[0-9]+$", names(d), value = TRUE)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
rep_design <- function(mse) svrepdesign(data = d, repweights = d[, repcols], weights = ~ weight, type = "JK1", scale = (length(repcols) - 1) / length(repcols), combined.weights = TRUE, mse = mse)

d$age10 <- (d$age - 52) / 10
kernel <- function(des) {
  fit <- svyglm(portal_use ~ trust + communication + age10 + female, design = des, family = quasibinomial(), control = ctl)
  m <- svymean(~ portal_use + score, des)
  list(beta = unname(coef(fit)), vcov = unname(as.vector(vcov(fit))), se = unname(sqrt(diag(vcov(fit)))), df = degf(des),
       mean = unname(coef(m)), mean_se = unname(SE(m)), scale = des$scale)
}

z <- function(x) (x - mean(x)) / sd(x)
report <- function(des) {
  des <- update(des, trust_z = z(trust), communication_z = z(communication))
  fit <- svyglm(portal_use ~ trust_z + communication_z + age + female, design = des, family = quasibinomial(), control = ctl)
  s <- summary(fit)$coefficients
  ci <- confint(fit)
  means <- lapply(c("portal_use", "trust", "communication"), function(v) {
    m <- svymean(as.formula(paste("~", v)), des)
    ci <- confint(m, df = degf(des))
    list(variable = v, mean = unname(coef(m)), se = as.numeric(SE(m)), ci = unname(as.vector(ci)))
  })
  prop <- svyciprop(~ portal_use, des, method = "logit", df = degf(des))
  by <- svyby(~ portal_use, ~ stratum, des, svymean)
  list(terms = c("(Intercept)", "trust", "communication", "age", "female"),
       estimate = unname(s[, 1]), se = unname(s[, 2]), p = unname(s[, 4]),
       or = unname(exp(coef(fit))), ci_low = unname(exp(ci[, 1])), ci_high = unname(exp(ci[, 2])),
       df_residual = fit$df.residual, degf = degf(des), means = means,
       rate_ci = unname(as.vector(attr(prop, "ci"))),
       by_stratum = list(group = as.character(by$stratum), rate = unname(by$portal_use), se = unname(SE(by))),
       sum_weights = sum(d$weight), kish_n = sum(d$weight)^2 / sum(d$weight^2))
}

# Domain estimation: trust missing for the first 30 rows and every 7th row (svyglm's na.action and
# svymean(na.rm = TRUE) subset the design: those rows still count as PSUs of their strata).
dd <- d
dd$trust[c(1:30, seq(7, nrow(dd), by = 7))] <- NA
domain <- function(des) {
  fit <- svyglm(portal_use ~ trust + communication + age10 + female, design = des, family = quasibinomial(), control = ctl)
  m <- svymean(~ trust, des, na.rm = TRUE)
  list(beta = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))), df_residual = fit$df.residual,
       mean = unname(coef(m)), mean_se = as.numeric(SE(m)), degf = degf(subset(des, !is.na(trust))))
}

# Weighted general dominance (the report's dominance under --weights): McFadden R² of each model as
# 1 - deviance / null deviance of glm with the sampling weights (rescaled to mean 1, as svyglm),
# covariates age and female always in, traits trust and communication.
wdom <- function() {
  w <- d$weight / mean(d$weight)
  dev <- function(rhs) deviance(suppressWarnings(glm(as.formula(paste("portal_use ~", rhs)), data = d, weights = w, family = binomial(), control = ctl)))
  d0 <- dev("1")
  r2 <- function(traits) 1 - dev(paste(c("age", "female", traits), collapse = " + ")) / d0
  r0 <- r2(character()); rt <- r2("trust"); rc <- r2("communication"); rb <- r2(c("trust", "communication"))
  list(general = c(((rt - r0) + (rb - rc)) / 2, ((rc - r0) + (rb - rt)) / 2), r2_full = rb, r2_covariates = r0)
}

out <- list(
  weighted_dominance = wdom(),
  domain_strata = domain(svydesign(ids = ~ 1, strata = ~ stratum, weights = ~ weight, data = dd)),
  domain_cluster_strata = domain(svydesign(ids = ~ clinician, strata = ~ stratum, weights = ~ weight, data = dd)),
  rep = kernel(rep_design(FALSE)),
  rep_mse = kernel(rep_design(TRUE)),
  report_weights = report(svydesign(ids = ~ 1, weights = ~ weight, data = d)),
  report_strata = report(svydesign(ids = ~ 1, strata = ~ stratum, weights = ~ weight, data = d)),
  report_replicate = report(rep_design(FALSE)),
  report_cluster_strata = report(svydesign(ids = ~ clinician, strata = ~ stratum, weights = ~ weight, data = d)),
  replicates = length(repcols),
  survey = as.character(packageVersion("survey"))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/svy-design-golden.json")
