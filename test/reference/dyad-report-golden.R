# Golden values for `rapport report --dyad` (issue 15) on the committed fixture pair
# test/fixtures/dyads/{patients,clinicians}.csv: every number of dyads.csv, concordance.csv and
# surface.csv, computed here from the raw forms (scored in R: mean of the keyed items, reverse = 6 - x,
# 9 = missing, at least 2 answered items per scale), paired by visit_id (the first clinician row of a
# visit; patients without one are unpaired).
#   dyads.csv: cor.test, psych::ICC (ICC2, lmer = FALSE), Bland-Altman with 1.96;
#   concordance.csv: psych::cohen.kappa (kappa and its CI; weighted kappa with the CI from the Fleiss,
#     Cohen & Everitt 1969 variance, written out as in dyad-golden.R);
#   surface.csv: glm(portal_use ~ P + C + P^2 + PC + C^2 + age) centred at 3, a1..a4 as linear
#     combinations, SEs from sandwich::vcovCL(type = "HC1") by clinician_id (the report's default);
#   the ordinary model's agree/disagree indicators (glm with every patient trait, age and the four
#     indicators, default glm.control as the report's model): estimate and model SE (model.csv), and
#     the CR1 SE by clinician (summary.json).
# Run from the repository root:  Rscript test/reference/dyad-report-golden.R
suppressPackageStartupMessages({
  library(psych)
  library(sandwich)
  library(jsonlite)
})
dir <- file.path("test", "fixtures", "dyads")
pt <- read.csv(file.path(dir, "patients.csv"), stringsAsFactors = FALSE)
cl <- read.csv(file.path(dir, "clinicians.csv"), stringsAsFactors = FALSE)

score <- function(d, items, reverse) {
  m <- as.matrix(d[, items]); m[m == 9] <- NA
  r <- items %in% reverse; m[, r] <- 6 - m[, r]
  s <- rowMeans(m, na.rm = TRUE); s[rowSums(!is.na(m)) < 2] <- NA
  s
}
items <- list(trust = paste0("trust_", 1:4), respect = paste0("respect_", 1:3), liking = paste0("liking_", 1:3),
              listening = paste0("listening_", 1:4), agreement = paste0("agreement_", 1:4), communication = paste0("communication_", 1:4))
rev_p <- c("trust_3", "respect_3", "listening_4", "communication_4")
rev_c <- c("trust_3", "respect_3", "liking_3", "listening_4", "agreement_2")
traits <- c("trust", "respect", "liking", "listening", "agreement")
keys <- c("visit_reason", "visit_problem", "visit_plan", "visit_selfcare")
levels <- list(visit_reason = 1:6, visit_problem = 1:8, visit_plan = 1:5, visit_selfcare = 1:6)

m <- match(pt$visit_id, cl$visit_id)   # the first clinician row of each visit
d <- data.frame(y = ifelse(pt$portal_use == 9, NA, pt$portal_use), age = pt$age, clinician = cl$clinician_id[m])
for (t in names(items)) d[[paste0(t, "_p")]] <- score(pt, items[[t]], rev_p)
for (t in traits) d[[paste0(t, "_c")]] <- score(cl, items[[t]], rev_c)[m]
na9 <- function(x) ifelse(x == 9, NA, x)
for (k in keys) {
  d[[paste0(k, "_p")]] <- na9(pt[[k]]); d[[paste0(k, "_c")]] <- na9(cl[[k]])[m]
  d[[paste0("agree_", k)]] <- as.integer(d[[paste0(k, "_p")]] == d[[paste0(k, "_c")]])
}

dyad_row <- function(t) {
  x <- d[[paste0(t, "_p")]]; y <- d[[paste0(t, "_c")]]; ok <- complete.cases(x, y); x <- x[ok]; y <- y[ok]
  ct <- cor.test(x, y); ic <- ICC(data.frame(x, y), lmer = FALSE)$results["Single_random_raters", ]
  dd <- x - y
  list(trait = t, n_pairs = length(x), patient_mean = mean(x), patient_sd = sd(x), clinician_mean = mean(y), clinician_sd = sd(y),
       correlation = unname(ct$estimate), correlation_ci_low = ct$conf.int[1], correlation_ci_high = ct$conf.int[2],
       icc_a1 = ic$ICC, icc_ci_low = ic$`lower bound`, icc_ci_high = ic$`upper bound`,
       mean_difference = mean(dd), loa_low = mean(dd) - 1.96 * sd(dd), loa_high = mean(dd) + 1.96 * sd(dd))
}
fce <- function(x, w) {
  N <- sum(x); p <- x / N; r <- rowSums(p); cc <- colSums(p)
  po <- sum(w * p); pe <- sum(w * outer(r, cc)); wi <- as.vector(w %*% cc); wj <- as.vector(t(w) %*% r)
  (sum(p * (w * (1 - pe) - outer(wi, wj, "+") * (1 - po))^2) - (po * pe - 2 * pe + po)^2) / (N * (1 - pe)^4)
}
concordance_row <- function(k) {
  a <- d[[paste0(k, "_p")]]; b <- d[[paste0(k, "_c")]]; ok <- complete.cases(a, b)
  dd <- data.frame(a = a[ok], b = b[ok]); lv <- levels[[k]]
  kp <- cohen.kappa(dd, levels = lv)
  tab <- table(factor(dd$a, levels = lv), factor(dd$b, levels = lv))
  vw <- fce(tab, kp$weight); z <- qnorm(0.975)
  list(item = k, n_pairs = nrow(dd), percent_agreement = 100 * mean(dd$a == dd$b),
       kappa = kp$kappa, kappa_ci_low = max(-1, kp$confid[1, 1]), kappa_ci_high = min(1, kp$confid[1, 3]),
       weighted_kappa = kp$weighted.kappa, weighted_kappa_ci_low = max(-1, kp$weighted.kappa - z * sqrt(vw)), weighted_kappa_ci_high = min(1, kp$weighted.kappa + z * sqrt(vw)))
}
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
surface_rows <- function(t) {
  s <- data.frame(y = d$y, P = d[[paste0(t, "_p")]] - 3, C = d[[paste0(t, "_c")]] - 3, age = d$age, clinician = d$clinician)
  s <- na.omit(s)
  f <- glm(y ~ P + C + I(P^2) + I(P * C) + I(C^2) + age, family = binomial, data = s, control = ctl)
  V <- vcovCL(f, cluster = s$clinician, type = "HC1")
  L <- rbind(b1 = c(0, 1, 0, 0, 0, 0, 0), b2 = c(0, 0, 1, 0, 0, 0, 0), b3 = c(0, 0, 0, 1, 0, 0, 0), b4 = c(0, 0, 0, 0, 1, 0, 0), b5 = c(0, 0, 0, 0, 0, 1, 0),
             a1 = c(0, 1, 1, 0, 0, 0, 0), a2 = c(0, 0, 0, 1, 1, 1, 0), a3 = c(0, 1, -1, 0, 0, 0, 0), a4 = c(0, 0, 0, 1, -1, 1, 0))
  est <- as.numeric(L %*% coef(f)); se <- sqrt(diag(L %*% V %*% t(L)))
  lapply(seq_len(nrow(L)), function(i) list(trait = t, n = nobs(f), term = rownames(L)[i], estimate = est[i], std_error = se[i], z = est[i] / se[i], p_value = 2 * pnorm(-abs(est[i] / se[i]))))
}
ordinary <- function() {
  # glm's default control (epsilon 1e-8), as the report's adjusted model converges
  f <- glm(reformulate(c(paste0(names(items), "_p"), "age", paste0("agree_", keys)), "y"), family = binomial, data = d)
  used <- d[as.integer(rownames(model.frame(f))), ]
  VC <- vcovCL(f, cluster = used$clinician, type = "HC1")
  terms <- paste0("agree_", keys)
  lapply(terms, function(tm) list(term = tm, estimate = unname(coef(f)[tm]), std_error = sqrt(vcov(f)[tm, tm]), robust_std_error = sqrt(VC[tm, tm]), n = nobs(f)))
}
golden <- list(
  pairing = list(patients = nrow(pt), clinician_rows = nrow(cl), matched = sum(!is.na(m)), duplicate_keys = sum(duplicated(cl$visit_id)),
                 unused = sum(!(unique(cl$visit_id) %in% pt$visit_id)), clusters = length(unique(cl$clinician_id[m[!is.na(m)]]))),
  dyads = lapply(traits, dyad_row),
  concordance = lapply(keys, concordance_row),
  surface = do.call(c, lapply(traits, surface_rows)),
  ordinary = ordinary()
)
write_json(golden, file.path("test", "reference", "dyad-report-golden.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
