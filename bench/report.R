# The R pipeline that bench/report.mjs compares `rapport report` with (issue #5): read.csv,
# psych::alpha on each of the 4 scales, scale means (min_answered 50%), glm with 4 traits + age + sex.
# Usage: Rscript bench/report.R <file.csv>
suppressPackageStartupMessages(library(psych))
f <- commandArgs(TRUE)[1]
d <- read.csv(f)
scales <- c("trust", "respect", "listening", "communication")
for (s in scales) {
  cols <- paste0(s, "_", 1:4)
  for (c in cols) d[[c]][d[[c]] == 9] <- NA
  d[[paste0(s, "_3")]] <- 6 - d[[paste0(s, "_3")]]
  a <- psych::alpha(d[, cols], check.keys = FALSE, warnings = FALSE)
  cat(s, "alpha", a$total$raw_alpha, "\n")
  answered <- rowSums(!is.na(d[, cols]))
  d[[s]] <- ifelse(answered >= 2, rowMeans(d[, cols], na.rm = TRUE), NA)
}
fit <- glm(portal_use ~ trust + respect + listening + communication + age + sex, family = binomial, data = d)
print(round(coef(summary(fit)), 4))
