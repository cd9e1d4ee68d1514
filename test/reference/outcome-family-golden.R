# Ordinal and count outcomes in `rapport report` (issue 17): the e2e fixture and its R goldens.
# Writes test/reference/outcome-family.csv (a scored file: three traits, a covariate, an ordinal
# portal-frequency outcome that satisfies proportional odds, one built to violate it for trust, and a
# count of portal log-ins) and outcome-family-golden.json with, for each model the report fits:
#  - MASS::polr estimates and ordinal::clm estimates and analytic-Hessian SEs (traits standardised on
#    the model respondents, as the report does), the LR tests of proportional odds per term
#    (clm with the term as nominal, as ordinal::nominal_test), drop-one LR tests;
#  - MASS::glm.nb estimates, SEs (summary, conditional on theta), theta and its SE;
#  - the one-trait models and the dominance analysis (McFadden R² = 1 - LL/LL0 from logLik, all 2^p
#    subsets; general dominance = mean over subset sizes of the mean gain).
# Run from the repository root:  Rscript test/reference/outcome-family-golden.R
suppressPackageStartupMessages({ library(MASS); library(ordinal); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
set.seed(20261217)
n <- 360
z <- matrix(rnorm(n * 3), n) %*% chol(matrix(c(1, .4, .4, .4, 1, .4, .4, .4, 1), 3))
sc <- function(v) pmin(5, pmax(1, round((3.6 + 0.8 * v) * 4) / 4))
d <- data.frame(id = sprintf("R%03d", 1:n), trust = sc(z[, 1]), agreement = sc(z[, 2]), communication = sc(z[, 3]),
                age = sample(20:85, n, TRUE))
lat <- 0.7 * (d$trust - 3.6) + 0.5 * (d$agreement - 3.6) + rlogis(n)
d$portal_frequency <- as.integer(cut(lat, c(-Inf, -0.3, 0.6, 1.6, Inf))) - 1L
# violates proportional odds: trust raises any use (first cut) strongly but lowers heavy use
p1 <- plogis(0.3 + 1.6 * (d$trust - 3.6) + 0.4 * (d$agreement - 3.6))
p2 <- plogis(0.0 - 1.2 * (d$trust - 3.6))
p3 <- plogis(-0.3 - 1.0 * (d$trust - 3.6))
u1 <- runif(n) < p1; u2 <- runif(n) < p2; u3 <- runif(n) < p3
d$frequency_nonpo <- ifelse(!u1, 0L, ifelse(!u2, 1L, ifelse(!u3, 2L, 3L)))
mu <- exp(0.6 + 0.45 * (d$trust - 3.6) + 0.25 * (d$communication - 3.6))
d$portal_logins <- rnbinom(n, size = 0.8, mu = mu)
write.csv(d, out("outcome-family.csv"), row.names = FALSE, quote = FALSE)

traits <- c("trust", "agreement", "communication")
std <- d
for (t in traits) std[[t]] <- as.numeric(scale(d[[t]]))
ctl <- clm.control(gradTol = 1e-12, relTol = 1e-14, maxIter = 200)

ordinal <- function(yname, covs) {
  terms <- c(traits, covs)
  dd <- std; dd$yo <- factor(dd[[yname]], ordered = TRUE)
  f <- reformulate(terms, "yo")
  pf <- polr(f, dd, Hess = TRUE, control = list(reltol = 1e-14, maxit = 1000))
  cf <- clm(f, data = dd, control = ctl)
  K <- nlevels(dd$yo)
  po <- sapply(terms, function(t) {
    m <- clm(reformulate(setdiff(terms, t), "yo"), nominal = reformulate(t), data = dd, control = ctl)
    2 * (as.numeric(logLik(m)) - as.numeric(logLik(cf)))
  })
  drop <- sapply(terms, function(t) 2 * (as.numeric(logLik(cf)) - as.numeric(logLik(clm(reformulate(setdiff(terms, t), "yo"), data = dd, control = ctl)))))
  ll <- function(ts) as.numeric(logLik(clm(if (length(ts)) reformulate(ts, "yo") else yo ~ 1, data = dd, control = ctl)))
  un <- t(sapply(traits, function(t) { m <- clm(reformulate(t, "yo"), data = dd, control = ctl); c(coef(m)[t], sqrt(diag(vcov(m)))[t]) }))
  list(polrZeta = unname(pf$zeta), polrBeta = unname(coef(pf)), zeta = unname(cf$alpha), beta = unname(cf$beta),
       zetaSe = unname(sqrt(diag(vcov(cf)))[1:(K - 1)]), betaSe = unname(sqrt(diag(vcov(cf)))[-(1:(K - 1))]),
       logLik = as.numeric(logLik(cf)), poLRT = unname(po), poDf = rep(K - 2, length(terms)), poP = unname(pchisq(po, K - 2, lower.tail = FALSE)),
       dropLRT = unname(drop), dropP = unname(pchisq(drop, 1, lower.tail = FALSE)),
       unadjusted = unname(un[, 1]), unadjustedSe = unname(un[, 2]), dominance = dominance(ll, covs))
}

# general dominance over the traits, covariates in every model, from a log-likelihood function
dominance <- function(ll, covs) {
  p <- length(traits); ll0 <- ll(character(0))
  r2 <- sapply(0:(2^p - 1), function(m) 1 - ll(c(traits[bitwAnd(m, 2^(0:(p - 1))) > 0], covs)) / ll0)
  gen <- sapply(1:p, function(j) {
    bit <- 2^(j - 1); others <- (0:(2^p - 1))[bitwAnd(0:(2^p - 1), bit) == 0]
    size <- sapply(others, function(m) sum(bitwAnd(m, 2^(0:(p - 1))) > 0))
    mean(sapply(0:(p - 1), function(s) mean(r2[others[size == s] + bit + 1] - r2[others[size == s] + 1])))
  })
  list(general = gen, r2Full = r2[2^p], r2Covariates = r2[1])
}

count <- function(yname) {
  f <- reformulate(traits, yname)
  nb <- glm.nb(f, std, control = glm.control(epsilon = 1e-14, maxit = 100))
  th <- nb$theta
  for (i in 1:200) {
    g <- glm(f, negative.binomial(th), std, control = glm.control(epsilon = 1e-15, maxit = 100))
    th2 <- theta.ml(std[[yname]], fitted(g), limit = 100, eps = 1e-13)
    if (abs(th2 - th) < 1e-13 * th) break
    th <- as.numeric(th2)
  }
  g <- glm(f, negative.binomial(th), std, control = glm.control(epsilon = 1e-15, maxit = 100))
  stopifnot(max(abs(coef(g) - coef(nb))) < 1e-6)
  s <- summary(g, dispersion = 1)$coefficients
  ll <- function(ts) as.numeric(logLik(glm.nb(if (length(ts)) reformulate(ts, yname) else reformulate("1", yname), std, control = glm.control(epsilon = 1e-14, maxit = 100))))
  list(beta = unname(s[, 1]), se = unname(s[, 2]), p = unname(s[, 4]), theta = th,
       thetaSe = attr(theta.ml(std[[yname]], fitted(g), limit = 100, eps = 1e-13), "SE"),
       logLik = sum(dnbinom(std[[yname]], size = th, mu = fitted(g), log = TRUE)),
       dominance = dominance(ll, character(0)))
}

# under-dispersed counts (frequency_nonpo read as a count): glm.nb's theta runs off to infinity and
# the fit is the Poisson model's
pois <- glm(reformulate(traits, "frequency_nonpo"), poisson, std, control = glm.control(epsilon = 1e-15))
poisDrop <- drop1(pois, test = "LRT")
res <- list(n = n, traits = traits,
            poisson = list(beta = unname(coef(pois)), logLik = as.numeric(logLik(pois)), dropP = unname(poisDrop[-1, "Pr(>Chi)"])),
            ordinal = ordinal("portal_frequency", "age"),
            nonpo = ordinal("frequency_nonpo", character(0)),
            count = count("portal_logins"))
write_json(res, out("outcome-family-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
