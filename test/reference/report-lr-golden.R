# Golden drop-one likelihood-ratio p-values for the report's model.csv `lr_p` column: R's
# drop1(fit, test = "LRT") on the report models of configurations A, B and C of report-golden.R
# (same scoring, same respondents, traits standardised), one value per model.csv row (the intercept
# NA; a categorical variable's p on each of its level rows).
# Run from the repository root:  Rscript test/reference/report-lr-golden.R
# (sources report-golden.R, which rewrites report-golden.json with the same values).
# Writes test/reference/report-lr-golden.json.
source(file.path("test", "reference", "report-golden.R"))
lr_rows <- function(d, traits, covs) {
  keep <- complete.cases(d[, c(traits, covs, "y")])
  m <- d[keep, c(traits, covs, "y")]
  for (cv in covs) if (is.character(m[[cv]])) m[[cv]] <- factor(m[[cv]])
  for (t in traits) m[[t]] <- zs(m[[t]])
  fit <- glm(reformulate(c(traits, covs), response = "y"), family = binomial, data = m)
  dr <- drop1(fit, test = "LRT")
  p <- setNames(dr[["Pr(>Chi)"]], rownames(dr))
  asg <- attr(model.matrix(fit), "assign")
  labs <- attr(terms(fit), "term.labels")
  unname(sapply(asg, function(a) if (a == 0) NA else p[[labs[a]]]))
}
lr <- list(A = lr_rows(dA, traits6, c("age", "sex")), B = lr_rows(dB, traits6, c("age")), C = lr_rows(sc, t3, c("sex")))
write_json(lr, file.path("test", "reference", "report-lr-golden.json"), digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE)
cat("report LR golden values written\n")
