# Golden values for the power module (test/simulate/power.test.ts; the Wilson interval is checked in
# test/stats/proportion.test.ts, on stats-units-golden.R): Wilson intervals as R's prop.test
# without continuity correction, and Hsieh's closed-form power / sample size written out in R
# independently of the TypeScript code.
# Run from the repository root:  Rscript test/reference/power-golden.R
library(jsonlite)

wilson <- lapply(list(c(338, 400), c(0, 50), c(50, 50), c(1, 7), c(250, 500)), function(v) {
  ci <- prop.test(v[1], v[2], correct = FALSE)$conf.int
  list(x = v[1], n = v[2], low = ci[1], high = ci[2])
})

# Hsieh (1989) eq. (2), two-sided alpha, with the VIF adjustment n = n1 / (1 - rho2)
hsieh89_power <- function(n, b, p1, rho2, alpha) {
  delta <- (1 + (1 + b^2) * exp(5 * b^2 / 4)) / (1 + exp(-b^2 / 4))
  a <- sqrt(n * (1 - rho2) * p1 * b^2 / (1 + 2 * p1 * delta))
  pnorm((a - qnorm(1 - alpha / 2)) / exp(-b^2 / 4))
}
hsieh89_n <- function(power, b, p1, rho2, alpha) {
  delta <- (1 + (1 + b^2) * exp(5 * b^2 / 4)) / (1 + exp(-b^2 / 4))
  (qnorm(1 - alpha / 2) + qnorm(power) * exp(-b^2 / 4))^2 * (1 + 2 * p1 * delta) / (p1 * b^2 * (1 - rho2))
}
# Hsieh, Bloch & Larsen (1998) eq. (1) with the VIF adjustment
hsieh98_power <- function(n, b, p, rho2, alpha) pnorm(abs(b) * sqrt(n * (1 - rho2) * p * (1 - p)) - qnorm(1 - alpha / 2))

cases <- expand.grid(n = c(50, 200, 1000), or = c(1.3, 1.5, 2.5), p1 = c(0.1, 0.3), rho2 = c(0, 0.25), alpha = c(0.05, 0.01))
hsieh <- lapply(seq_len(nrow(cases)), function(i) {
  r <- cases[i, ]
  b <- log(r$or)
  list(n = r$n, or = r$or, p1 = r$p1, rho2 = r$rho2, alpha = r$alpha,
       power89 = hsieh89_power(r$n, b, r$p1, r$rho2, r$alpha),
       n89_for_80 = hsieh89_n(0.8, b, r$p1, r$rho2, r$alpha),
       power98 = hsieh98_power(r$n, b, r$p1, r$rho2, r$alpha))
})

# Published check of eq. (1): Hsieh et al. (1998) balanced design, P = 0.5, beta* = 0.405,
# alpha = 0.05 two-sided, power 0.95: n = 317 (the example of powerMediation::SSizeLogisticCon).
n98 <- (qnorm(0.975) + qnorm(0.95))^2 / (0.5 * 0.5 * 0.405^2)

write_json(list(wilson = wilson, hsieh = hsieh, hsieh1998_example = list(n = n98, published = 317)),
           "test/reference/power-golden.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
