# Goldens for the report's wiring of issue 17 (test/e2e/report-inference.test.ts): a small data set
# with a three-level factor that overlaps with a trait (for the GVIF warning, once per factor), and
# car::vif on the unweighted design (lm), which is the VIF the report states it uses. The Firth
# endometrial limits come from firth-golden.R, the ML confint() limits from profile-golden.R.
# Run from the repository root:  Rscript test/reference/report-inference-golden.R
suppressPackageStartupMessages({ library(car); library(jsonlite) })
out <- function(name) file.path("test", "reference", name)
set.seed(17)
n <- 240
clinic <- factor(sample(c("north", "south", "west"), n, replace = TRUE))
shift <- c(north = 0, south = 1.6, west = 3.2)[as.character(clinic)]
trust <- round(shift + rnorm(n, 0, 0.6), 4)
respect <- round(rnorm(n, 3, 1), 4)
y <- rbinom(n, 1, plogis(-0.5 + 0.4 * trust - 0.3 * respect))
d <- data.frame(id = sprintf("R%03d", 1:n), trust, respect, clinic, uses_portal = ifelse(y == 1, "yes", "no"))
write.csv(d, out("report-gvif.csv"), row.names = FALSE)
v <- car::vif(lm(y ~ trust + respect + clinic, data = d))
res <- list(gvif = list(terms = rownames(v), gvif = unname(v[, 1]), df = unname(v[, 2]), gvifAdjusted = unname(v[, 3])))
write_json(res, out("report-inference-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
print(v)
