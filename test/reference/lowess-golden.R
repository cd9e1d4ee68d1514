# Goldens for src/stats/lowess.ts: R's lowess() on a calibration-like data set (0/1 outcome against
# predicted probabilities, iter = 0 as rms::val.prob), with ties, and on a continuous one with the
# default robustness iterations. Run from the repository root: Rscript test/reference/lowess-golden.R
suppressPackageStartupMessages(library(jsonlite))
set.seed(11)
p <- round(plogis(rnorm(300, -0.4, 1.1)), 3)
y <- rbinom(300, 1, p)
a <- lowess(p, y, iter = 0)
x2 <- c(1:40, 20, 20, 33) / 4
y2 <- sin(x2) + rnorm(length(x2), 0, 0.3) + c(rep(0, 40), 3, -2, 4)
b <- lowess(x2, y2)
c3 <- lowess(x2, y2, f = 0.3, iter = 1, delta = 0)
res <- list(calib = list(x = p, y = y, fx = a$x, fy = a$y), robust = list(x = x2, y = y2, fx = b$x, fy = b$y),
            narrow = list(fx = c3$x, fy = c3$y))
write_json(res, file.path("test", "reference", "lowess-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
