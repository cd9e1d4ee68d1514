# Golden values for the small statistics modules that had no test file of their own:
# proportion.ts (Wilson), mean-interval.ts (t interval), quantile.ts (type 7, box summaries),
# standardise.ts (scale()), linalg.ts (chol, solve, determinant, eigen).
# Run from the repository root:  Rscript test/reference/stats-units-golden.R
library(jsonlite)

# Wilson score interval = prop.test without continuity correction; R refuses n = 0.
wilson <- lapply(list(c(3, 7, 0.95), c(0, 12, 0.95), c(40, 40, 0.95), c(338, 400, 0.95), c(0, 50, 0.95),
                      c(50, 50, 0.95), c(1, 7, 0.95), c(250, 500, 0.95), c(17, 60, 0.9), c(5, 11, 0.99)), function(v) {
  ci <- prop.test(v[1], v[2], conf.level = v[3], correct = FALSE)$conf.int
  list(x = v[1], n = v[2], level = v[3], low = ci[1], high = ci[2])
})
wilson_n0_refused <- inherits(try(prop.test(0, 0, correct = FALSE), silent = TRUE), "try-error")

# t interval of a mean (NA skipped)
mean_ci <- lapply(list(c(1, 2, NA, 4, 8), c(3.25, 3.5, 4, 4.75, 5, 2.5), c(10, 12), c(-3, 0.5, 7, 2, 2, 9, 1.25)), function(x) {
  y <- x[!is.na(x)]
  ci <- t.test(y)$conf.int
  list(x = ifelse(is.na(x), "NA", format(x, digits = 17)), n = length(y), mean = mean(y), low = ci[1], high = ci[2])
})
mean_ci90 <- { y <- c(-3, 0.5, 7, 2, 2, 9, 1.25); ci <- t.test(y, conf.level = 0.9)$conf.int; list(low = ci[1], high = ci[2]) }

# Type-7 quantiles and box summaries (by group; survey-like scores with ties, and continuous values)
set.seed(12)
xs <- round(runif(301, 1, 5) * 4) / 4
xs[c(5, 77, 150)] <- NA
g <- rep(c(0, 1, 1), length.out = 301)
probs <- c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1)
xc <- rnorm(257, 50, 10)
box <- function(v) { v <- v[!is.na(v)]; q <- quantile(v, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  list(min = min(v), q1 = q[1], median = q[2], q3 = q[3], max = max(v), mean = mean(v)) }
quant <- list(
  ties = list(x = xs, group = g, probs = probs, q = quantile(xs, probs, type = 7, na.rm = TRUE, names = FALSE),
              box1 = box(xs[g == 1]), box0 = box(xs[g == 0])),
  continuous = list(x = xc, probs = probs, q = quantile(xc, probs, type = 7, names = FALSE), box = box(xc))
)

# Standardisation = scale() on the used rows
z_x <- c(2.5, 3, NA, 4.75, 1, 5, 3.5, 2, 4)
use <- c(1, 1, 0, 1, 1, 0, 1, 1, 1)
sc <- scale(z_x[use == 1])
standardise <- list(x = ifelse(is.na(z_x), "NA", z_x), use = use, z = as.numeric(sc),
                    mean = attr(sc, "scaled:center"), sd = attr(sc, "scaled:scale"))

# Linear algebra
A <- matrix(c(4, 1.2, 0.6, -0.3,  1.2, 3, 0.5, 0.2,  0.6, 0.5, 2, 0.7,  -0.3, 0.2, 0.7, 1.5), 4, byrow = TRUE)
B <- matrix(c(0, 2, 1,  1, -1, 3,  4, 0.5, -2), 3, byrow = TRUE)   # general, needs pivoting
S <- matrix(c(1, 2, 2, 4), 2)                                       # singular
e <- eigen(A, symmetric = TRUE)
linalg <- list(A = as.numeric(t(A)), chol = as.numeric(t(t(chol(A)))), inverseA = as.numeric(t(solve(A))),
               logdetA = as.numeric(determinant(A, logarithm = TRUE)$modulus),
               eigenvalues = e$values, eigenvectors = as.numeric(t(e$vectors)),
               solveA_b = as.numeric(solve(A, c(1, -2, 0.5, 3))),
               B = as.numeric(t(B)), inverseB = as.numeric(t(solve(B))),
               S = as.numeric(t(S)), S_singular = inherits(try(chol(S), silent = TRUE), "try-error"))

write_json(list(wilson = wilson, wilson_n0_refused = wilson_n0_refused, mean_ci = mean_ci, mean_ci90 = mean_ci90,
                quantile = quant, standardise = standardise, linalg = linalg),
           "test/reference/stats-units-golden.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
