# Reference values for the report's clinician level (rapport report --cluster; test/e2e/report-cluster.test.ts)
# on test/reference/cluster-report.csv (make-cluster-report-data.mjs): simulated patients nested in
# clinicians, scored by rapport. Run from the repository root: Rscript test/reference/cluster-report-golden.R
# - model.csv (glmm): glmer(portal_use ~ traits (standardised on the model respondents) + age + sex
#   + (1 | clinician_id), binomial, nAGQ = 1 and 5) at tight settings; robust_se: sandwich::vcovCL(glm,
#   cluster = ~ clinician_id, type = "HC1");
# - cluster_reliability.csv: lmer(score ~ 1 + (1 | clinician_id), REML) per scale;
# - clusters.csv: the CAHPS case-mix formula of src/stats/case-mix.ts written in R (as case-mix-golden.R),
#   adjusters age and sex (M vs F), per trait and for the outcome.
suppressPackageStartupMessages({ library(lme4); library(sandwich); library(jsonlite) })
d <- read.csv("test/reference/cluster-report.csv", na.strings = "")
traits <- c("trust", "respect", "liking", "listening", "agreement", "communication")
m <- d[complete.cases(d[, c("portal_use", traits, "age", "sex", "clinician_id")]), ]
for (t in traits) m[[t]] <- (m[[t]] - mean(m[[t]])) / sd(m[[t]])
m$sex <- factor(m$sex, levels = c("F", "M"))
f <- reformulate(c(traits, "age", "sex", "(1 | clinician_id)"), response = "portal_use")
ctrl <- glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12))
fitOf <- function(nAGQ) {
  fit <- glmer(f, data = m, family = binomial, nAGQ = nAGQ, control = ctrl)
  list(beta = unname(fixef(fit)), se = unname(sqrt(diag(as.matrix(vcov(fit))))), sd = unname(getME(fit, "theta")),
       names = names(fixef(fit)))
}
# --within-between: every trait split into its clinician mean (over the model respondents) and the deviation
wb <- m
for (t in traits) { wb[[paste0(t, "_b")]] <- ave(m[[t]], m$clinician_id); wb[[paste0(t, "_w")]] <- m[[t]] - wb[[paste0(t, "_b")]] }
fwb <- glmer(reformulate(c(as.vector(rbind(paste0(traits, "_w"), paste0(traits, "_b"))), "age", "sex", "(1 | clinician_id)"), response = "portal_use"),
             data = wb, family = binomial, control = ctrl)
V <- as.matrix(vcov(fwb))
within_between <- lapply(setNames(traits, traits), function(t) {
  w <- paste0(t, "_w"); b <- paste0(t, "_b")
  list(within = unname(fixef(fwb)[w]), between = unname(fixef(fwb)[b]), contextual = unname(fixef(fwb)[b] - fixef(fwb)[w]),
       contextual_se = sqrt(V[b, b] + V[w, w] - 2 * V[b, w]))
})
g <- glm(reformulate(c(traits, "age", "sex"), response = "portal_use"), data = m, family = binomial)
robust <- unname(sqrt(diag(vcovCL(g, cluster = ~ clinician_id, type = "HC1"))))

lctrl <- lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-12, xtol_rel = 1e-12, maxeval = 1e5))
reliability <- lapply(setNames(traits, traits), function(t) {
  s <- d[!is.na(d[[t]]) & !is.na(d$clinician_id), ]
  s$score <- s[[t]]
  vc <- as.data.frame(VarCorr(lmer(score ~ 1 + (1 | clinician_id), data = s, REML = TRUE, control = lctrl)))$vcov
  list(tau2 = vc[1], sigma2 = vc[2], icc = vc[1] / (vc[1] + vc[2]))
})

casemix <- function(y, X, g, alpha = 0.05, minCell = 11, minRel = 0.7) {
  g <- factor(g)
  fit <- lm(y ~ X + g)
  K <- ncol(X)
  b <- coef(fit)[2:(K + 1)]
  Vb <- vcov(fit)[2:(K + 1), 2:(K + 1), drop = FALSE]
  xall <- colMeans(X)
  n <- as.vector(table(g)); G <- nlevels(g)
  ybar <- as.vector(tapply(y, g, mean))
  xbar <- apply(X, 2, function(col) tapply(col, g, mean))
  dmat <- sweep(-xbar, 2, xall, "+")
  adj <- ybar + drop(dmat %*% b)
  e <- y - drop(X %*% b)
  s2 <- sum(residuals(fit)^2) / fit$df.residual
  s2p <- as.vector(tapply(e, g, function(v) if (length(v) > 1) var(v) else NA))
  s2p[is.na(s2p)] <- s2
  v <- s2p / n + rowSums((dmat %*% Vb) * dmat)
  a <- rep(1 / G, G)
  ref <- sum(a * adj)
  delta <- adj - ref
  p <- 2 * pnorm(-abs(delta / sqrt((1 - a)^2 * v + (sum(a^2 * v) - a^2 * v))))
  vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | g), REML = TRUE, control = lctrl)))$vcov
  rel <- vc[1] / (vc[1] + vc[2] / n)
  rating <- ifelse(n < minCell | rel < minRel, "too few to rate", ifelse(p < alpha, ifelse(delta > 0, "better", "worse"), "about the same"))
  z <- qnorm(0.975)
  list(cluster = levels(g), n = n, mean = ybar, adjusted = unname(adj), ci_low = unname(adj - z * sqrt(v)),
       ci_high = unname(adj + z * sqrt(v)), reliability = rel, rating = rating)
}
cm <- lapply(setNames(c(traits, "portal_use"), c(traits, "outcome")), function(t) {
  s <- d[!is.na(d[[t]]) & !is.na(d$age) & !is.na(d$sex) & d$sex != "", ]
  casemix(s[[t]], cbind(age = s$age, sexM = as.numeric(s$sex == "M")), s$clinician_id)
})
out <- list(glmm = fitOf(1), glmm_agq5 = fitOf(5), glm_beta = unname(coef(g)), within_between = within_between, robust_se = robust, reliability = reliability, case_mix = cm,
            n_model = nrow(m), cluster_size = { tt <- as.vector(table(m$clinician_id)); list(min = min(tt), median = median(tt), max = max(tt)) }, lme4 = as.character(packageVersion("lme4")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/cluster-report-golden.json")
