# Reference values for src/stats/glmm.ts (random-intercept logistic model), from lme4::glmer at tight
# settings (r-reference-notes.md: the defaults stop the inner PIRLS loop early).
# Run from the repository root:  Rscript test/reference/glmm-golden.R
# Data: test/reference/cluster.csv and cluster-flat.csv (make-cluster-data.mjs), and a subset of
# lme4's InstEval written to test/reference/insteval-subset.csv: the first 60 lecturers (d, in
# factor-level order) with 30 to 200 ratings, outcome good = (y >= 4), predictors service (0/1),
# studage and lectage as numbers (their ordered-factor codes 2..8 and 1..6).
suppressPackageStartupMessages({ library(lme4); library(jsonlite) })
ctrl <- glmerControl(optimizer = "bobyqa", tolPwrss = 1e-13, optCtrl = list(rhoend = 1e-12))

summ <- function(fit) {
  cv <- condVar <- attr(ranef(fit, condVar = TRUE)[[1]], "postVar")
  list(
    beta = unname(fixef(fit)), se = unname(sqrt(diag(as.matrix(vcov(fit))))), vcov = unname(as.vector(as.matrix(vcov(fit)))),
    se_conditional = unname(sqrt(diag(as.matrix(vcov(fit, use.hessian = FALSE))))),
    sd = unname(getME(fit, "theta")), deviance = -2 * as.numeric(logLik(fit)),
    modes = unname(ranef(fit)[[1]][, 1]), mode_sd = unname(sqrt(as.vector(cv))),
    singular = isSingular(fit), lme4 = as.character(packageVersion("lme4"))
  )
}

d <- read.csv("test/reference/cluster.csv")
d$age10 <- (d$age - 52) / 10
f <- portal_use ~ trust + communication + age10 + female + (1 | clinician)
lap <- glmer(f, data = d, family = binomial, nAGQ = 1, control = ctrl)
agq <- glmer(f, data = d, family = binomial, nAGQ = 7, control = ctrl)
flat <- read.csv("test/reference/cluster-flat.csv")
flat$age10 <- (flat$age - 52) / 10
fl <- glmer(f, data = flat, family = binomial, nAGQ = 1, control = ctrl)

ie <- InstEval
cnt <- table(ie$d)
keep <- names(cnt)[cnt >= 30 & cnt <= 200][1:60]
sub <- ie[ie$d %in% keep, ]
sub <- data.frame(lecturer = as.integer(as.character(sub$d)), good = as.integer(sub$y >= 4),
                  service = as.integer(as.character(sub$service)), studage = as.numeric(as.character(sub$studage)),
                  lectage = as.numeric(as.character(sub$lectage)), y = sub$y)
write.csv(sub, "test/reference/insteval-subset.csv", row.names = FALSE)
sub$lecturer <- factor(sub$lecturer)
ief <- glmer(good ~ service + studage + lectage + (1 | lecturer), data = sub, family = binomial, control = ctrl)
ief5 <- glmer(good ~ service + studage + lectage + (1 | lecturer), data = sub, family = binomial, nAGQ = 5, control = ctrl)

# Our own maximisation of the same approximate likelihood (r-reference-notes.md): glmer's
# covariance comes from a finite-difference Hessian of deviance values (lme4's deriv12, step 1e-4),
# whose rounding error is about 1e-3 relative on larger data; here the deviance (Laplace, or AGQ
# with lme4's GHrule) is written out, minimised by Newton steps with numDeriv's Richardson gradient
# and Hessian from glmer's optimum, and the covariance is 2 H^-1 (beta block) at the optimum.
source("test/reference/glmm-agqdev.R")
ownFit <- function(fit, nAGQ) {
  X <- getME(fit, "X"); y <- getME(fit, "y"); groups <- split(seq_along(y), getME(fit, "flist")[[1]])
  f <- function(p) agqdev(p, X, y, groups, nAGQ)
  par <- c(getME(fit, "theta"), fixef(fit))
  for (it in 1:6) {
    g <- numDeriv::grad(f, par); H <- numDeriv::hessian(f, par)
    step <- solve(H, g); par <- par - step
    if (max(abs(step)) < 1e-10) break
  }
  H <- numDeriv::hessian(f, par); V <- 2 * solve(H)
  list(sd = par[1], beta = unname(par[-1]), se = unname(sqrt(diag(V)[-1])), vcov = unname(as.vector(V[-1, -1])),
       sd_se = sqrt(V[1, 1]), deviance = f(par), gradient = numDeriv::grad(f, par))
}
own <- list(cluster_laplace = ownFit(lap, 1), cluster_agq7 = ownFit(agq, 7), insteval_laplace = ownFit(ief, 1), insteval_agq5 = ownFit(ief5, 5))

out <- list(cluster_laplace = summ(lap), cluster_agq7 = summ(agq), flat_laplace = summ(fl),
            insteval_laplace = summ(ief), insteval_agq5 = summ(ief5),
            own = own, clinician_levels = sort(unique(d$clinician)),
            insteval_rows = nrow(sub), insteval_levels = levels(sub$lecturer))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "test/reference/glmm-golden.json")
