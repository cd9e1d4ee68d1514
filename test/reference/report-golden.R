# Golden values for `rapport report` (issue #5): the whole report pipeline redone in R
# (scoring by the instrument's rules, psych::alpha / psych::omega, Welch t, Cohen's d, glm,
# brglm2 for Firth, general dominance by McFadden R2, p.adjust, Wilson CIs).
# Run from the repository root after report-make-data.R:  Rscript test/reference/report-golden.R
# Writes test/reference/report-golden.json (full precision).

suppressPackageStartupMessages({
  library(psych)
  library(brglm2)
  library(jsonlite)
  library(car)
})
fx <- function(name) file.path("fixtures", "report", name)
traits6 <- c("trust", "respect", "liking", "listening", "agreement", "communication")

## ---------------------------------------------------------------------------
## Scoring survey.csv exactly as the built-in instrument says
## ---------------------------------------------------------------------------
raw <- read.csv(fx("survey.csv"), colClasses = "character", na.strings = character(0))
labels <- c("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree")
decode <- function(cell) {
  cell <- trimws(cell)
  v <- suppressWarnings(as.numeric(cell))
  lab <- match(tolower(cell), labels)
  v[!is.na(lab)] <- lab[!is.na(lab)]
  v[cell == "" | v == 9] <- NA
  v
}
items <- list(trust = paste0("trust_", 1:4), respect = paste0("respect_", 1:3), liking = paste0("liking_", 1:3),
              listening = paste0("listening_", 1:4), agreement = paste0("agreement_", 1:4),
              communication = paste0("communication_", 1:4))
reverse <- c("trust_3", "respect_3", "listening_4", "communication_4")
min_answered <- c(trust = 2, respect = 2, liking = 2, listening = 2, agreement = 2, communication = 2)
keyed <- list()
survey <- data.frame(ResponseId = raw$ResponseId)
for (t in traits6) {
  m <- sapply(items[[t]], function(c) { v <- decode(raw[[c]]); if (c %in% reverse) 6 - v else v })
  keyed[[t]] <- m
  answered <- rowSums(!is.na(m))
  survey[[t]] <- ifelse(answered >= min_answered[[t]], rowMeans(m, na.rm = TRUE), NA)
}
po <- tolower(trimws(raw$portal_use))
survey$portal_use <- ifelse(po %in% c("1", "yes"), 1, ifelse(po %in% c("0", "no"), 0, NA))
survey$age <- suppressWarnings(as.numeric(raw$age))
survey$sex <- raw$sex
survey$clinic <- raw$clinic

## ---------------------------------------------------------------------------
## Helpers
## ---------------------------------------------------------------------------
delong <- function(y, p) {
  pos <- p[y == 1]; neg <- p[y == 0]
  m <- length(pos); n <- length(neg)
  V10 <- sapply(pos, function(a) mean((a > neg) + 0.5 * (a == neg)))
  V01 <- sapply(neg, function(b) mean((pos > b) + 0.5 * (pos == b)))
  auc <- mean(V10)
  se <- sqrt(var(V10) / m + var(V01) / n)
  list(auc = auc, low = max(0, auc - qnorm(0.975) * se), high = min(1, auc + qnorm(0.975) * se))
}
hoslem <- function(y, yhat, g = 10) {
  cutyhat <- cut(yhat, breaks = quantile(yhat, probs = seq(0, 1, 1 / g)), include.lowest = TRUE)
  obs <- xtabs(cbind(1 - y, y) ~ cutyhat)
  expect <- xtabs(cbind(1 - yhat, yhat) ~ cutyhat)
  chisq <- sum((obs - expect)^2 / expect)
  list(statistic = chisq, df = g - 2, p = pchisq(chisq, g - 2, lower.tail = FALSE))
}
zs <- function(x) (x - mean(x)) / sd(x)
mwauc <- function(x, y) { r <- rank(x); n1 <- sum(y == 1); n0 <- sum(y == 0); (sum(r[y == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0) }
coefs <- function(fit) {
  s <- summary(fit)$coefficients
  z <- qnorm(0.975)
  nm <- rownames(s)
  nm <- sub("^(sex|clinic)(.*)$", "\\1=\\2", nm)
  list(term = nm, estimate = unname(s[, 1]), std_error = unname(s[, 2]), z = unname(s[, 3]), p_value = unname(s[, 4]),
       odds_ratio = unname(exp(s[, 1])), ci_low = unname(exp(s[, 1] - z * s[, 2])), ci_high = unname(exp(s[, 1] + z * s[, 2])))
}

dominance <- function(d, traits, covs, firth = FALSE) {
  fitll <- function(vars) {
    f <- if (length(vars) == 0) y ~ 1 else reformulate(vars, response = "y")
    as.numeric(logLik(glm(f, family = binomial, data = d)))
  }
  ll0 <- fitll(character(0))
  p <- length(traits)
  key <- function(s) if (length(s) == 0) "none" else paste(sort(s), collapse = ",")
  R2 <- list()
  for (k in 0:p) for (s in if (k == 0) list(integer(0)) else combn(p, k, simplify = FALSE)) R2[[key(s)]] <- 1 - fitll(c(traits[s], covs)) / ll0
  gen <- sapply(1:p, function(j) {
    others <- setdiff(1:p, j)
    mean(sapply(0:(p - 1), function(k) {
      ss <- if (k == 0) list(integer(0)) else if (length(others) == 1) list(others) else combn(others, k, simplify = FALSE)
      if (k == 1) ss <- as.list(others)
      mean(sapply(ss, function(s) R2[[key(c(s, j))]] - R2[[key(s)]]))
    }))
  })
  gen
}

## One report configuration: d has columns traits, covs, y (0/1 or NA); raw_units keeps scale units.
report <- function(d, traits, covs, firth = FALSE, raw_units = FALSE) {
  keep <- complete.cases(d[, c(traits, covs, "y")])
  m <- d[keep, c(traits, covs, "y")]
  for (cv in covs) if (is.character(m[[cv]])) m[[cv]] <- factor(m[[cv]])
  if (!raw_units) for (t in traits) m[[t]] <- zs(m[[t]])
  f <- reformulate(c(traits, covs), response = "y")
  fit <- if (firth) glm(f, family = binomial, data = m, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
         else glm(f, family = binomial, data = m)
  co <- coefs(fit)
  n <- nrow(m)
  nag <- (1 - exp((fit$deviance - fit$null.deviance) / n)) / (1 - exp(-fit$null.deviance / n))
  X <- model.matrix(fit)[, -1, drop = FALSE]
  vif <- if (ncol(X) > 1) sapply(seq_len(ncol(X)), function(j) 1 / (1 - summary(lm(X[, j] ~ X[, -j]))$r.squared)) else 1
  # the report's vif column (issue 17): the GVIF of the column's variable, car::vif on the unweighted design
  gv <- if (ncol(X) > 1) car::vif(lm(f, data = m)) else NULL
  assign <- attr(model.matrix(fit), "assign")[-1]
  gvif <- if (is.null(gv)) 1 else if (is.matrix(gv)) gv[assign, 1] else gv[assign]
  unadj <- lapply(traits, function(t) {
    u <- d[!is.na(d[[t]]) & !is.na(d$y), c(t, "y")]
    x <- if (raw_units) u[[t]] else zs(u[[t]])
    g <- if (firth) glm(u$y ~ x, family = binomial, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
         else glm(u$y ~ x, family = binomial)
    s <- summary(g)$coefficients
    list(n = nrow(u), or = exp(s[2, 1]), low = exp(s[2, 1] - qnorm(0.975) * s[2, 2]), high = exp(s[2, 1] + qnorm(0.975) * s[2, 2]),
         p = s[2, 4], auc = mwauc(u[[t]], u$y))
  })
  ip <- match(traits, co$term)
  holm <- p.adjust(co$p_value[ip], "holm")
  dom <- if (firth) rep(NA, length(traits)) else dominance(transform(m), traits, covs)
  list(n = n, events = sum(m$y), dropped = sum(!keep), model = co,
       predictors = list(predictor = traits, rank = if (firth) NA else rank(-dom),
                         unadjusted_or = sapply(unadj, `[[`, "or"), unadjusted_ci_low = sapply(unadj, `[[`, "low"),
                         unadjusted_ci_high = sapply(unadj, `[[`, "high"), unadjusted_p = sapply(unadj, `[[`, "p"),
                         adjusted_or = co$odds_ratio[ip], adjusted_ci_low = co$ci_low[ip], adjusted_ci_high = co$ci_high[ip],
                         adjusted_p = co$p_value[ip], adjusted_p_holm = holm, dominance = dom,
                         auc = sapply(unadj, `[[`, "auc"), unadjusted_n = sapply(unadj, `[[`, "n")),
       fit = list(deviance = fit$deviance, null_deviance = fit$null.deviance,
                  mcfadden = 1 - fit$deviance / fit$null.deviance, nagelkerke = nag,
                  auc = delong(m$y, fitted(fit)), hoslem = hoslem(m$y, fitted(fit)),
                  vif = vif, gvif = unname(gvif), vif_terms = co$term[-1],
                  lr = fit$null.deviance - fit$deviance))
}

reliability <- function(keyed) {
  out <- list()
  for (t in names(keyed)) {
    it <- keyed[[t]]
    cc <- it[complete.cases(it), ]
    a <- suppressWarnings(psych::alpha(cc, check.keys = FALSE, warnings = FALSE))
    om <- suppressWarnings(suppressMessages(psych::omega(cc, nfactors = 1, plot = FALSE)))
    out[[t]] <- list(n_items = ncol(it), n = nrow(cc), alpha = a$total$raw_alpha,
                     alpha_ci_low = a$feldt$lower.ci[[1]], alpha_ci_high = a$feldt$upper.ci[[1]],
                     std_alpha = a$total$std.alpha, omega_total = om$omega.tot, average_r = a$total$average_r,
                     items = colnames(it), r_drop = unname(a$item.stats$r.drop), alpha_if_deleted = unname(a$alpha.drop$raw_alpha),
                     mean = unname(a$item.stats$mean), sd = unname(a$item.stats$sd),
                     missing_pct = unname(100 * colMeans(is.na(it))))
  }
  out
}

descriptives <- function(d, traits, lo = 1, hi = 5) {
  out <- list()
  for (t in traits) {
    s <- d[[t]]; ok <- s[!is.na(s)]
    q <- quantile(ok, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
    g <- d[!is.na(s) & !is.na(d$y), ]
    x1 <- g[[t]][g$y == 1]; x0 <- g[[t]][g$y == 0]
    n1 <- length(x1); n0 <- length(x0)
    tt <- t.test(x1, x0, var.equal = FALSE)
    sp <- sqrt(((n1 - 1) * var(x1) + (n0 - 1) * var(x0)) / (n1 + n0 - 2))
    dd <- (mean(x1) - mean(x0)) / sp
    se <- sqrt((n1 + n0) / (n1 * n0) + dd^2 / (2 * (n1 + n0)))
    out[[t]] <- list(n = length(ok), mean = mean(ok), sd = sd(ok), median = q[2], q1 = q[1], q3 = q[3],
                     min = min(ok), max = max(ok), pct_floor = if (is.na(lo)) NA else 100 * mean(ok == lo),
                     pct_ceiling = if (is.na(hi)) NA else 100 * mean(ok == hi), pct_missing = 100 * mean(is.na(s)),
                     n_positive = n1, mean_positive = mean(x1), sd_positive = sd(x1),
                     n_negative = n0, mean_negative = mean(x0), sd_negative = sd(x0),
                     cohens_d = dd, cohens_d_ci_low = dd - qnorm(0.975) * se, cohens_d_ci_high = dd + qnorm(0.975) * se,
                     welch_t = unname(tt$statistic), welch_df = unname(tt$parameter), welch_p = tt$p.value,
                     auc = mwauc(g[[t]], g$y))
  }
  out
}

groups <- function(d, by, traits, min_cell = 11) {
  levs <- sort(unique(d[[by]]))
  lapply(setNames(levs, levs), function(l) {
    g <- d[d[[by]] == l, ]
    yy <- g$y[!is.na(g$y)]
    w <- prop.test(sum(yy), length(yy), correct = FALSE)$conf.int
    tr <- lapply(setNames(traits, traits), function(t) {
      x <- g[[t]][!is.na(g[[t]])]
      ci <- t.test(x)$conf.int
      list(mean = mean(x), low = ci[1], high = ci[2])
    })
    list(n = nrow(g), suppressed = nrow(g) < min_cell, n_outcome = length(yy), rate = mean(yy), rate_low = w[1], rate_high = w[2], traits = tr)
  })
}

golden <- list()

## A: survey.csv --instrument relationship-engagement --outcome portal_use --covariates age,sex --group-by clinic
dA <- survey; dA$y <- dA$portal_use
golden$A <- list(report = report(dA, traits6, c("age", "sex")),
                 reliability = reliability(keyed), descriptives = descriptives(dA, traits6),
                 groups = groups(dA, "clinic", traits6), n_read = nrow(dA), outcome_missing = sum(is.na(dA$y)),
                 positive = sum(dA$y == 1, na.rm = TRUE))

## B: --join ehr-logins.csv --on ResponseId --outcome portal_login --positive yes --covariates age
ehr <- read.csv(fx("ehr-logins.csv"), colClasses = "character")
dB <- survey
mm <- match(dB$ResponseId, ehr$ResponseId)
dB$y <- ifelse(is.na(mm), NA, as.numeric(ehr$portal_login[mm] == "yes"))
golden$B <- list(report = report(dB, traits6, c("age")), unmatched = sum(is.na(mm)),
                 join_rows = nrow(ehr), join_unused = sum(!(ehr$ResponseId %in% dB$ResponseId)))

## C: scored.csv --predictors trust,respect,communication --outcome uses_portal --covariates sex
sc <- read.csv(fx("scored.csv"), colClasses = c(id = "character", sex = "character", uses_portal = "character"))
sc$y <- ifelse(sc$uses_portal == "Yes", 1, ifelse(sc$uses_portal == "No", 0, NA))
t3 <- c("trust", "respect", "communication")
golden$C <- list(report = report(sc, t3, c("sex")), descriptives = descriptives(sc, t3, NA, NA))
## F: the same with --raw-units
golden$F <- list(report = report(sc, t3, c("sex"), raw_units = TRUE))

## D: separation.csv --predictors trust,respect --outcome portal (auto -> Firth)
sp <- read.csv(fx("separation.csv"), colClasses = c(id = "character"))
sp$y <- sp$portal
golden$D <- list(report = report(sp, c("trust", "respect"), character(0), firth = TRUE))

write_json(golden, file.path("test", "reference", "report-golden.json"), digits = NA, auto_unbox = TRUE,
           na = "null", pretty = TRUE)
cat("report golden values written\n")
