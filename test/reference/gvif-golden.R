# Generalised VIF (src/stats/vif.ts): car::vif on a glm (correlations of the coefficient estimates,
# i.e. the IRLS-weighted ones) and the design (unweighted) GVIF for comparison.
# Run from the repository root:  Rscript test/reference/gvif-golden.R -> gvif-golden.json
suppressPackageStartupMessages({ library(car); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
sv <- read.csv(out("survey.csv"))
f <- portal_use ~ trust + respect + liking + age + sex + site
fit <- glm(f, binomial, sv, control = glm.control(epsilon = 1e-14, maxit = 100))
v <- car::vif(fit)
# design GVIF: the same formula on the correlation matrix of the (unweighted) predictor columns
Xd <- model.matrix(f, model.frame(f, sv))[, -1]
R <- cor(Xd)
assign <- attr(model.matrix(f, model.frame(f, sv)), "assign")[-1]
terms <- labels(terms(f))
dgvif <- sapply(seq_along(terms), function(t) {
  i <- which(assign == t)
  det(R[i, i, drop = FALSE]) * det(R[-i, -i, drop = FALSE]) / det(R)
})
res <- list(terms = terms, n = nrow(model.frame(f, sv)), gvif = unname(v[, 1]), df = unname(v[, 2]), gvifAdjusted = unname(v[, 3]),
            designGvif = dgvif, designVif = unname(diag(solve(R))), columns = colnames(Xd))
write_json(res, out("gvif-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
print(v); print(dgvif)
