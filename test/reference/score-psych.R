# Golden values for test/scoring/r-golden.test.ts: psych::scoreItems(impute = "none") on a data set with
# missing answers, refusals (code 9, treated as missing) and reverse-keyed items.
# Run from the repository root:  Rscript test/reference/score-psych.R
# Writes test/reference/score-psych.csv (the export rapport scores) and score-psych.json (R's scores).
suppressPackageStartupMessages({ library(psych); library(jsonlite) })
set.seed(20240611)
n <- 80
items <- c("x1", "x2", "x3", "x4", "x5", "y1", "y2", "y3")
latent <- rnorm(n)
d <- sapply(items, function(it) pmin(5, pmax(1, round(3 + 1.1 * latent + rnorm(n)))))
rev_items <- c("x2", "x4", "y3")
d[, rev_items] <- 6 - d[, rev_items]
# Missing answers (empty cells) and refusals (9) at random, heavier for some respondents.
for (i in seq_len(n)) {
  p <- if (i %% 7 == 0) 0.6 else 0.12
  miss <- runif(length(items)) < p
  d[i, miss] <- NA
}
refuse <- matrix(runif(n * length(items)) < 0.04, n) & !is.na(d)
export <- d
export[refuse] <- 9
ids <- sprintf("P%03d", seq_len(n))
out <- data.frame(id = ids, export, check.names = FALSE)
write.csv(out, "test/reference/score-psych.csv", row.names = FALSE, na = "", quote = FALSE)

x <- d
x[refuse] <- NA
keys <- make.keys(items, list(X = c("x1", "-x2", "x3", "-x4", "x5"), Y = c("y1", "y2", "-y3")))
s <- scoreItems(keys, x, impute = "none", min = 1, max = 5)
answered <- function(cols) rowSums(!is.na(x[, cols, drop = FALSE]))
res <- list(
  psych_version = as.character(packageVersion("psych")),
  call = "scoreItems(keys, items, impute = 'none', min = 1, max = 5)",
  ids = ids,
  X = unname(s$scores[, "X"]),
  Y = unname(s$scores[, "Y"]),
  answered_X = unname(answered(c("x1", "x2", "x3", "x4", "x5"))),
  answered_Y = unname(answered(c("y1", "y2", "y3")))
)
write(toJSON(res, digits = NA, auto_unbox = TRUE, na = "null"), "test/reference/score-psych.json")
cat("wrote test/reference/score-psych.csv and score-psych.json\n")
