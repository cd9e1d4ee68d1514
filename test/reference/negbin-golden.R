# Negative binomial regression (src/stats/negbin.ts) against MASS::glm.nb.
# Data: test/reference/negbin.csv, written here from a seeded simulation (counts of portal log-ins
# with overdispersion, two numeric predictors and a three-level factor).
# glm.nb stops theta.ml at eps = .Machine$double.eps^0.25; the reference alternates glm (epsilon 1e-15) and theta.ml
# (eps 1e-13) to the joint optimum, and checks glm.nb is within 1e-6 of it.
# Run from the repository root:  Rscript test/reference/negbin-golden.R -> negbin-golden.json
suppressPackageStartupMessages({ library(MASS); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
set.seed(20261203)
n <- 300
d <- data.frame(trust = round(runif(n, 1, 5), 2), age = sample(18:90, n, TRUE),
                site = sample(c("east", "north", "west"), n, TRUE))
mu <- exp(0.3 + 0.35 * (d$trust - 3) - 0.01 * (d$age - 50) + ifelse(d$site == "west", 0.4, 0))
d$logins <- rnbinom(n, size = 1.7, mu = mu)
write.csv(d, out("negbin.csv"), row.names = FALSE)
f <- logins ~ trust + age + site
nb <- glm.nb(f, d, control = glm.control(epsilon = 1e-14, maxit = 100))
th <- nb$theta
for (i in 1:200) {
  g <- glm(f, negative.binomial(th), d, control = glm.control(epsilon = 1e-15, maxit = 100))
  th2 <- theta.ml(d$logins, fitted(g), limit = 100, eps = 1e-13)
  if (abs(th2 - th) < 1e-13 * th) break
  th <- as.numeric(th2)
}
g <- glm(f, negative.binomial(th), d, control = glm.control(epsilon = 1e-15, maxit = 100))
stopifnot(max(abs(coef(g) - coef(nb))) < 1e-6, abs(th - nb$theta) / th < 1e-6)
s <- summary(g, dispersion = 1)$coefficients
X <- model.matrix(f, d)
sdx <- apply(X, 2, sd)
ll <- sum(dnbinom(d$logins, size = th, mu = fitted(g), log = TRUE))
res <- list(n = n, names = colnames(X), estimate = unname(coef(g)), se = unname(s[, 2]), z = unname(s[, 3]), p = unname(s[, 4]),
            theta = th, thetaSe = unname(attr(theta.ml(d$logins, fitted(g), eps = 1e-13), "SE")),
            logLik = ll, deviance = deviance(g), aic = -2 * ll + 2 * (ncol(X) + 1),
            rateRatioPerSd = unname(exp(coef(g) * sdx))[-1],
            glmnbSe = unname(summary(nb)$coefficients[, 2]), glmnbTwoLogLik = nb$twologlik)
write_json(res, out("negbin-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
print(summary(nb))
