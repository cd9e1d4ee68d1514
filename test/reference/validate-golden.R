# Harrell's bootstrap validation (src/stats/validate.ts) replaying rapport's resamples
# (validate-indices.json, from validate-indices.mjs): optimism-corrected AUC and calibration
# intercept and slope of glm(y ~ x1 + x2 + x3) on rare.csv, as rms::validate(method = "boot") computes
# them; plus the Hosmer-Lemeshow group choice (most groups <= 10 with every expected count >= 5).
# Run from the repository root:  Rscript test/reference/validate-golden.R -> validate-golden.json
suppressPackageStartupMessages(library(jsonlite))
out <- function(name) file.path("test", "reference", name)
ix <- fromJSON(out("validate-indices.json"))
d <- read.csv(out("rare.csv"))
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
f <- y ~ x1 + x2 + x3
aucf <- function(s, y) { r <- rank(s); n1 <- sum(y == 1); n0 <- sum(y == 0); (sum(r[y == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0) }
X <- model.matrix(f, d)
full <- glm(f, binomial, d, control = ctl)
app <- aucf(drop(X %*% coef(full)), d$y)
o <- t(sapply(seq_len(nrow(ix$rows)), function(b) {
  idx <- ix$rows[b, ]
  fb <- glm(f, binomial, d[idx, ], control = ctl)
  lp <- drop(X %*% coef(fb))
  cal <- coef(glm(d$y ~ lp, binomial, control = ctl))
  c(auc = aucf(lp[idx], d$y[idx]) - aucf(lp, d$y), intercept = 0 - cal[[1]], slope = 1 - cal[[2]])
}))
opt <- colMeans(o)
# Hosmer-Lemeshow group choice, groups as ResourceSelection::hoslem.test (type-7 quantile breaks)
hlchoice <- function(p, y) {
  for (g in 10:3) {
    br <- unique(quantile(p, seq(0, 1, 1 / g)))
    grp <- cut(p, br, include.lowest = TRUE)
    e1 <- tapply(p, grp, sum); n <- tapply(p, grp, length); o1 <- tapply(y, grp, sum)
    if (length(br) - 1 >= 3 && all(e1 >= 5) && all(n - e1 >= 5)) {
      hl <- sum((o1 - e1)^2 / e1 + ((n - o1) - (n - e1))^2 / (n - e1))
      return(list(groups = g, statistic = hl, p = pchisq(hl, length(br) - 3, lower.tail = FALSE)))
    }
  }
  list(groups = NA, statistic = NA, p = NA)
}
hlRare <- hlchoice(fitted(full), d$y)
st <- read.csv(out("strong.csv"))
hlStrong <- hlchoice(fitted(glm(y ~ x1 + x2, binomial, st, control = ctl)), st$y)
res <- list(aucApparent = app, aucOptimism = opt[["auc"]], aucCorrected = app - opt[["auc"]],
            interceptOptimism = opt[["intercept"]], slopeOptimism = opt[["slope"]],
            interceptCorrected = 0 - opt[["intercept"]], slopeCorrected = 1 - opt[["slope"]],
            hlRare = hlRare, hlStrong = hlStrong)
print(unlist(res))
write_json(res, out("validate-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
