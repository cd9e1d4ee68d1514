# Golden values for the pilot (item-analysis) report on fixtures/report/pilot.csv
# (relationship-engagement@1.0.0; made by test/reference/make-pilot-data.mjs).
# Run from the repository root: Rscript test/reference/pilot-golden.R
suppressMessages({ library(psych); library(jsonlite) })
d <- read.csv("fixtures/report/pilot.csv", colClasses = "character")
scales <- list(
  trust = list(items = c("trust_1", "trust_2", "trust_3", "trust_4"), min = 2),
  respect = list(items = c("respect_1", "respect_2", "respect_3"), min = 2),
  liking = list(items = c("liking_1", "liking_2", "liking_3"), min = 2),
  listening = list(items = c("listening_1", "listening_2", "listening_3", "listening_4"), min = 2),
  agreement = list(items = c("agreement_1", "agreement_2", "agreement_3", "agreement_4"), min = 2),
  communication = list(items = c("communication_1", "communication_2", "communication_3", "communication_4"), min = 2)
)
reverse <- c("trust_3", "respect_3", "listening_4", "communication_4")
# An answer is 1..5; empty and 9 (prefer not to answer) are missing.
val <- function(x) { v <- suppressWarnings(as.numeric(x)); v[!(v %in% 1:5)] <- NA; v }
out <- list(scales = list(), items = list(), frequencies = list(), correlations = list())
scores <- list()
for (s in names(scales)) {
  its <- scales[[s]]$items
  x <- sapply(its, function(i) { v <- val(d[[i]]); if (i %in% reverse) 6 - v else v })
  answered <- rowSums(!is.na(x))
  scores[[s]] <- ifelse(answered >= scales[[s]]$min, rowMeans(x, na.rm = TRUE), NA)
  cc <- x[complete.cases(x), , drop = FALSE]
  a <- psych::alpha(cc, check.keys = FALSE, warnings = FALSE)
  om <- if (length(its) >= 3) suppressWarnings(suppressMessages(psych::omega(cc, nfactors = 1, plot = FALSE)))$omega.tot else NA
  sc <- scores[[s]][!is.na(scores[[s]])]
  out$scales[[s]] <- list(n_complete = nrow(cc), alpha = a$total$raw_alpha, omega_total = om,
    mean = mean(sc), sd = sd(sc), pct_floor = 100 * mean(sc == 1), pct_ceiling = 100 * mean(sc == 5))
  for (j in seq_along(its)) out$items[[its[j]]] <- list(r_drop = a$item.stats$r.drop[j], alpha_if_deleted = a$alpha.drop$raw_alpha[j])
}
other <- list(portal_use = 0:1, portal_frequency = 0:3, phr_use = 0:1, decision_aid_use = 0:1, preferred_channel = 1:5)
for (i in c(unlist(lapply(scales, `[[`, "items")), names(other))) {
  raw <- d[[i]]
  v <- suppressWarnings(as.numeric(raw))
  opts <- if (i %in% names(other)) other[[i]] else 1:5
  counts <- c(sapply(opts, function(o) sum(v == o, na.rm = TRUE)), sum(raw == ""), sum(v == 9, na.rm = TRUE))
  ans <- v[v %in% opts]
  out$frequencies[[i]] <- list(counts = counts, mean = mean(ans), sd = sd(ans))
}
ids <- names(scales)
for (a in seq_along(ids)) for (b in seq_along(ids)) if (a < b) {
  ok <- !is.na(scores[[a]]) & !is.na(scores[[b]])
  out$correlations[[paste(ids[a], ids[b], sep = "~")]] <- list(n = sum(ok), r = cor(scores[[a]][ok], scores[[b]][ok]))
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "test/reference/pilot-golden.json")
