# Pairwise alpha (src/stats/reliability.ts pairwiseAlpha) against psych::alpha's default
# use = "pairwise": raw_alpha from cov(x, use = "pairwise"), std.alpha and average_r from
# cov2cor of that matrix. Per scale of survey.csv (items with some missing answers).
# Run from the repository root:  Rscript test/reference/pairwise-alpha-golden.R -> pairwise-alpha-golden.json
suppressPackageStartupMessages({ library(psych); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
sv <- read.csv(out("survey.csv"))
res <- list()
for (t in c("trust", "respect", "liking", "listening", "agreement", "communication", "engagement")) {
  x <- sv[, grep(paste0("^", t, "_"), names(sv))]
  a <- suppressWarnings(psych::alpha(x, warnings = FALSE, check.keys = FALSE))
  C <- cov(x, use = "pairwise"); k <- ncol(x); R <- cov2cor(C)
  stopifnot(abs(a$total$raw_alpha - (1 - sum(diag(C)) / sum(C)) * k / (k - 1)) < 1e-12,
            abs(a$total$average_r - (sum(R) - k) / (k * (k - 1))) < 1e-12)
  res[[t]] <- list(items = names(x), alpha = a$total$raw_alpha, stdAlpha = a$total$std.alpha, averageR = a$total$average_r,
                   listwiseAlpha = psych::alpha(x[complete.cases(x), ], warnings = FALSE)$total$raw_alpha)
}
write_json(res, out("pairwise-alpha-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
