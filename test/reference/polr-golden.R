# Proportional-odds regression (src/stats/polr.ts): MASS::polr estimates, ordinal::clm (analytic
# Hessian) SEs, and ordinal::nominal_test LR tests of proportional odds per term.
# Outcome: engagement_1 (1..5) on trust + communication + age + sex in survey.csv.
# Run from the repository root:  Rscript test/reference/polr-golden.R -> polr-golden.json
suppressPackageStartupMessages({ library(MASS); library(ordinal); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
sv <- read.csv(out("survey.csv"), stringsAsFactors = FALSE)
d <- sv[complete.cases(sv[, c("engagement_1", "trust", "communication", "age", "sex")]), ]
d$yo <- factor(d$engagement_1, ordered = TRUE)
d$sex <- factor(d$sex)
f <- yo ~ trust + communication + age + sex
pf <- polr(f, d, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
ctl <- clm.control(gradTol = 1e-12, relTol = 1e-14, maxIter = 200)
cf <- clm(f, data = d, control = ctl)
# LR tests against the partial proportional-odds model (the term's effects vary by threshold), with
# tight convergence; ordinal::nominal_test (default tolerances) gives the same to ~1e-6
terms <- c("trust", "communication", "age", "sex")
lrt <- sapply(terms, function(t) {
  m <- clm(reformulate(setdiff(terms, t), "yo"), nominal = reformulate(t), data = d, control = ctl)
  2 * (as.numeric(logLik(m)) - as.numeric(logLik(cf)))
})
nt <- nominal_test(clm(f, data = d))
stopifnot(max(abs(nt$LRT[-1] - lrt)) < 1e-5)
K <- nlevels(d$yo)
res <- list(
  n = nrow(d), levels = levels(d$yo),
  polrZeta = unname(pf$zeta), polrBeta = unname(coef(pf)), polrLogLik = as.numeric(logLik(pf)),
  zeta = unname(cf$alpha), beta = unname(cf$beta), logLik = as.numeric(logLik(cf)),
  zetaSe = unname(sqrt(diag(vcov(cf)))[1:(K - 1)]), betaSe = unname(sqrt(diag(vcov(cf)))[-(1:(K - 1))]),
  names = names(cf$beta),
  poTerms = terms, poLRT = unname(lrt), poDf = unname(nt$Df[-1]), poP = pchisq(unname(lrt), unname(nt$Df[-1]), lower.tail = FALSE)
)
write_json(res, out("polr-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
