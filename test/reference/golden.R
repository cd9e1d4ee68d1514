# Golden values for the statistics core (issue #4), computed with R, psych and brglm2.
# Run from the repository root after make-data.R:  Rscript test/reference/golden.R
# Writes test/reference/golden-*.json (full precision: digits = NA).
# Needs: psych (and GPArotation), brglm2, jsonlite; pROC is used only as a cross-check of
# the hand-written DeLong variance when it is installed.

suppressPackageStartupMessages({
  library(psych)
  library(brglm2)
  library(jsonlite)
})
out <- function(name) file.path("test", "reference", name)
wjson <- function(x, name) write_json(x, out(name), digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE)

traits <- c("trust", "respect", "liking", "listening", "agreement", "communication")
survey <- read.csv(out("survey.csv"), stringsAsFactors = FALSE)

## ---------------------------------------------------------------------------
## Distributions: CDFs / survival functions far into the tails, and quantiles
## ---------------------------------------------------------------------------
dist <- list()
add <- function(fn, args, lower, value) dist[[length(dist) + 1]] <<- list(fn = fn, args = args, lower = lower, value = value)
for (x in c(-40, -37.5, -20, -9.262340089798408, -5, -1.96, -0.5, 0, 0.3, 1.644853626951472, 3, 8.5, 12, 38)) {
  add("pnorm", list(x), TRUE, pnorm(x)); add("pnorm", list(x), FALSE, pnorm(x, lower.tail = FALSE))
}
for (a in list(c(2.1, 1), c(3, 5), c(-4, 10), c(12, 30), c(25, 200), c(0.4, 7), c(60, 3), c(1e4, 2.5), c(-1.3, 1e6), c(15, 1e7), c(40, 80))) {
  add("pt", list(a[1], a[2]), TRUE, pt(a[1], a[2])); add("pt", list(a[1], a[2]), FALSE, pt(a[1], a[2], lower.tail = FALSE))
}
for (a in list(c(0.001, 1), c(3.84, 1), c(20, 3), c(95, 2), c(300, 10), c(1500, 7), c(12, 25), c(0.5, 40), c(5000, 1000))) {
  add("pchisq", list(a[1], a[2]), TRUE, pchisq(a[1], a[2])); add("pchisq", list(a[1], a[2]), FALSE, pchisq(a[1], a[2], lower.tail = FALSE))
}
for (a in list(c(0.2, 3, 10), c(4.1, 2, 50), c(60, 5, 300), c(400, 3, 1000), c(1.05, 199, 597), c(0.01, 10, 4), c(25, 1, 20))) {
  add("pf", list(a[1], a[2], a[3]), TRUE, pf(a[1], a[2], a[3])); add("pf", list(a[1], a[2], a[3]), FALSE, pf(a[1], a[2], a[3], lower.tail = FALSE))
}
for (p in c(1e-300, 1e-20, 1e-8, 0.025, 0.3, 0.5, 0.975)) {
  add("qnorm", list(p), TRUE, qnorm(p)); add("qnorm", list(p), FALSE, qnorm(p, lower.tail = FALSE))
}
for (a in list(c(0.975, 5), c(0.975, 30), c(1e-12, 10), c(0.3, 2.5), c(0.999, 1000))) {
  add("qt", list(a[1], a[2]), TRUE, qt(a[1], a[2])); add("qt", list(a[1], a[2]), FALSE, qt(a[1], a[2], lower.tail = FALSE))
}
for (a in list(c(0.95, 1), c(0.05, 8), c(1e-15, 3), c(0.5, 100), c(1e-200, 4))) {
  add("qchisq", list(a[1], a[2]), TRUE, qchisq(a[1], a[2])); add("qchisq", list(a[1], a[2]), FALSE, qchisq(a[1], a[2], lower.tail = FALSE))
}
for (a in list(c(0.025, 199, 597), c(0.975, 199, 597), c(0.5, 3, 7), c(1e-10, 4, 40), c(0.99, 1, 12))) {
  add("qf", list(a[1], a[2], a[3]), TRUE, qf(a[1], a[2], a[3])); add("qf", list(a[1], a[2], a[3]), FALSE, qf(a[1], a[2], a[3], lower.tail = FALSE))
}
wjson(dist, "golden-distributions.json")

## ---------------------------------------------------------------------------
## Multiple testing
## ---------------------------------------------------------------------------
pv <- c(0.01, 0.04, 0.04, 0.2, 1e-18, NA, 0.5, 0.0031, 0.9, 0.04, 1, 2e-16)
wjson(list(p = pv, holm = p.adjust(pv, "holm"), BH = p.adjust(pv, "BH")), "golden-padjust.json")

## ---------------------------------------------------------------------------
## Descriptives and reliability per scale
## ---------------------------------------------------------------------------
scales <- list()
for (t in c(traits, "engagement")) {
  cols <- grep(paste0("^", t, "_"), names(survey), value = TRUE)
  items <- survey[, cols]
  s <- survey[[t]]
  ok <- s[!is.na(s)]
  q <- quantile(ok, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
  desc <- list(n = length(ok), nMissing = sum(is.na(s)), pctMissing = 100 * mean(is.na(s)),
               mean = mean(ok), sd = sd(ok), median = q[2], q1 = q[1], q3 = q[3],
               min = min(ok), max = max(ok),
               pctFloor = 100 * mean(ok == 1), pctCeiling = 100 * mean(ok == 5))
  cc <- items[complete.cases(items), ]
  a <- suppressWarnings(psych::alpha(cc, check.keys = FALSE, warnings = FALSE))
  om <- suppressWarnings(suppressMessages(psych::omega(cc, nfactors = 1, plot = FALSE)))
  f1 <- suppressWarnings(suppressMessages(psych::fa(cor(cc), 1, fm = "minres")))
  scales[[t]] <- list(
    items = cols, desc = desc,
    nComplete = nrow(cc),
    alpha = a$total$raw_alpha, stdAlpha = a$total$std.alpha, averageR = a$total$average_r,
    feldtLower = a$feldt$lower.ci[[1]], feldtUpper = a$feldt$upper.ci[[1]],
    omegaTotal = om$omega.tot, loadings = as.numeric(f1$loadings[, 1]),
    rDrop = a$item.stats$r.drop, alphaIfDeleted = a$alpha.drop$raw_alpha,
    itemMean = a$item.stats$mean, itemSd = a$item.stats$sd,
    itemPctMissing = as.numeric(100 * colMeans(is.na(items)))
  )
}
wjson(scales, "golden-scales.json")

## ---------------------------------------------------------------------------
## Group comparison per trait (portal users vs non-users)
## ---------------------------------------------------------------------------
groups <- list()
for (t in traits) {
  d <- survey[!is.na(survey[[t]]) & !is.na(survey$portal_use), ]
  x1 <- d[[t]][d$portal_use == 1]; x0 <- d[[t]][d$portal_use == 0]
  n1 <- length(x1); n0 <- length(x0)
  tt <- t.test(x1, x0, var.equal = FALSE)
  sp <- sqrt(((n1 - 1) * var(x1) + (n0 - 1) * var(x0)) / (n1 + n0 - 2))
  dd <- (mean(x1) - mean(x0)) / sp
  se <- sqrt((n1 + n0) / (n1 * n0) + dd^2 / (2 * (n1 + n0)))
  r <- rank(c(x1, x0))
  auc <- (sum(r[1:n1]) - n1 * (n1 + 1) / 2) / (n1 * n0)
  groups[[t]] <- list(n1 = n1, n0 = n0, mean1 = mean(x1), mean0 = mean(x0), sd1 = sd(x1), sd0 = sd(x0),
                      t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value,
                      d = dd, dLower = dd - qnorm(0.975) * se, dUpper = dd + qnorm(0.975) * se, auc = auc)
}
wjson(groups, "golden-groups.json")

## ---------------------------------------------------------------------------
## Helpers written by hand: DeLong, Hosmer-Lemeshow, VIF, McFadden / Nagelkerke
## ---------------------------------------------------------------------------
delong <- function(y, p) {
  pos <- p[y == 1]; neg <- p[y == 0]
  m <- length(pos); n <- length(neg)
  psi <- function(a, b) (a > b) + 0.5 * (a == b)
  V10 <- sapply(pos, function(a) mean(psi(a, neg)))
  V01 <- sapply(neg, function(b) mean(psi(pos, b)))
  auc <- mean(V10)
  v <- var(V10) / m + var(V01) / n
  ci <- auc + c(-1, 1) * qnorm(0.975) * sqrt(v)
  list(auc = auc, variance = v, lower = max(0, ci[1]), upper = min(1, ci[2]))
}
hoslem <- function(y, yhat, g = 10) {   # as ResourceSelection::hoslem.test
  cutyhat <- cut(yhat, breaks = quantile(yhat, probs = seq(0, 1, 1 / g)), include.lowest = TRUE)
  obs <- xtabs(cbind(1 - y, y) ~ cutyhat)
  expect <- xtabs(cbind(1 - yhat, yhat) ~ cutyhat)
  chisq <- sum((obs - expect)^2 / expect)
  list(statistic = chisq, df = g - 2, p = pchisq(chisq, g - 2, lower.tail = FALSE),
       observed = as.numeric(obs[, 2]), expected = as.numeric(expect[, 2]), size = as.numeric(rowSums(obs)))
}
vifs <- function(X) {   # X without intercept; VIF_j = 1 / (1 - R^2_j)
  sapply(seq_len(ncol(X)), function(j) 1 / (1 - summary(lm(X[, j] ~ X[, -j]))$r.squared))
}
gvif <- function(X, cols) {  # Fox & Monette generalised VIF of a block of columns
  R <- cor(X)
  det(R[cols, cols, drop = FALSE]) * det(R[-cols, -cols, drop = FALSE]) / det(R)
}
model_summary <- function(fit, X, y) {
  s <- summary(fit)$coefficients
  ci <- confint.default(fit)
  ll <- as.numeric(logLik(fit)); ll0 <- -fit$null.deviance / 2
  nn <- length(y)
  list(
    names = rownames(s), estimate = s[, 1], se = s[, 2], z = s[, 3], p = s[, 4],
    lower = ci[, 1], upper = ci[, 2],
    deviance = fit$deviance, nullDeviance = fit$null.deviance, dfResidual = fit$df.residual, dfNull = fit$df.null,
    logLik = ll, aic = AIC(fit), iterations = fit$iter, converged = fit$converged,
    lrStatistic = fit$null.deviance - fit$deviance, lrDf = fit$df.null - fit$df.residual,
    lrP = pchisq(fit$null.deviance - fit$deviance, fit$df.null - fit$df.residual, lower.tail = FALSE),
    mcfadden = 1 - ll / ll0,
    nagelkerke = (1 - exp((fit$deviance - fit$null.deviance) / nn)) / (1 - exp(-fit$null.deviance / nn)),
    fitted = as.numeric(fitted(fit))
  )
}

## ---------------------------------------------------------------------------
## Logistic regression on the survey: six traits + age + sex + site (3 levels)
## ---------------------------------------------------------------------------
vars <- c(traits, "age", "sex", "site", "portal_use")
d <- survey[complete.cases(survey[, vars]), vars]
d$sex <- factor(d$sex); d$site <- factor(d$site)
form <- portal_use ~ trust + respect + liking + listening + agreement + communication + age + sex + site
fit <- glm(form, family = binomial, data = d)
X <- model.matrix(fit)[, -1]
ms <- model_summary(fit, X, d$portal_use)
dr <- drop1(fit, test = "LRT")
ms$termTests <- list(terms = rownames(dr)[-1], df = dr$Df[-1], deviance = dr$Deviance[-1],
                     statistic = dr$LRT[-1], p = dr$`Pr(>Chi)`[-1])
ms$delong <- delong(d$portal_use, fitted(fit))
if (requireNamespace("pROC", quietly = TRUE)) {
  r <- pROC::roc(d$portal_use, fitted(fit), quiet = TRUE, direction = "<", levels = c(0, 1))
  ms$delong$pROCauc <- as.numeric(pROC::auc(r)); ms$delong$pROCvar <- pROC::var(r)
  ms$delong$pROCci <- as.numeric(pROC::ci.auc(r, method = "delong"))[c(1, 3)]
}
ms$hoslem <- hoslem(d$portal_use, fitted(fit))
ms$vif <- vifs(X); ms$vifNames <- colnames(X)
ms$gvifSite <- gvif(X, which(startsWith(colnames(X), "site")))
firth <- glm(form, family = binomial, data = d, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
sf <- summary(firth)$coefficients
ms$firth <- list(estimate = sf[, 1], se = sf[, 2], z = sf[, 3], p = sf[, 4], deviance = firth$deviance)
ms$n <- nrow(d)

## dominance analysis: general dominance of the six traits, covariates in every model
cov_terms <- c("age", "sex", "site")
ll0 <- as.numeric(logLik(glm(portal_use ~ 1, family = binomial, data = d)))
r2 <- function(tr) {
  f <- reformulate(c(tr, cov_terms), response = "portal_use")
  1 - as.numeric(logLik(glm(f, family = binomial, data = d))) / ll0
}
p <- length(traits)
subsets <- unlist(lapply(0:p, function(k) combn(p, k, simplify = FALSE)), recursive = FALSE)
key <- function(s) if (length(s) == 0) "none" else paste(sort(s), collapse = ",")
R2 <- list()
for (s in subsets) R2[[key(s)]] <- r2(traits[s])
cond <- matrix(0, p, p)  # cond[j, s+1]: mean increment of trait j over subsets of size s
for (j in 1:p) for (k in 0:(p - 1)) {
  others <- setdiff(1:p, j)
  ss <- if (k == 0) list(integer(0)) else combn(others, k, simplify = FALSE)
  if (k == 1) ss <- as.list(others)
  cond[j, k + 1] <- mean(sapply(ss, function(s) R2[[key(c(s, j))]] - R2[[key(s)]]))
}
gen <- rowMeans(cond)
ms$dominance <- list(traits = traits, general = gen, conditional = cond, rank = rank(-gen),
                     r2Full = R2[[key(1:p)]], r2Covariates = R2[[key(integer(0))]])
wjson(ms, "golden-survey-model.json")

## ---------------------------------------------------------------------------
## Rare outcome (5% events): ML and Firth
## ---------------------------------------------------------------------------
rare <- read.csv(out("rare.csv"))
fr <- glm(y ~ x1 + x2 + x3, family = binomial, data = rare)
rs <- model_summary(fr, model.matrix(fr)[, -1], rare$y)
rs$delong <- delong(rare$y, fitted(fr))
rs$hoslem <- hoslem(rare$y, fitted(fr))
dr <- drop1(fr, test = "LRT")
rs$termTests <- list(terms = rownames(dr)[-1], df = dr$Df[-1], deviance = dr$Deviance[-1],
                     statistic = dr$LRT[-1], p = dr$`Pr(>Chi)`[-1])
ff <- glm(y ~ x1 + x2 + x3, family = binomial, data = rare, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
sf <- summary(ff)$coefficients
rs$firth <- list(estimate = sf[, 1], se = sf[, 2], z = sf[, 3], p = sf[, 4], deviance = ff$deviance,
                 lower = sf[, 1] - qnorm(0.975) * sf[, 2], upper = sf[, 1] + qnorm(0.975) * sf[, 2])
rs$n <- nrow(rare); rs$events <- sum(rare$y)
wjson(rs, "golden-rare.json")

## ---------------------------------------------------------------------------
## Strong effect: p-values far in the tail
## ---------------------------------------------------------------------------
strong <- read.csv(out("strong.csv"))
fs <- glm(y ~ x1 + x2, family = binomial, data = strong)
ss <- model_summary(fs, model.matrix(fs)[, -1], strong$y)
dr <- drop1(fs, test = "LRT")
ss$termTests <- list(terms = rownames(dr)[-1], df = dr$Df[-1], deviance = dr$Deviance[-1],
                     statistic = dr$LRT[-1], p = dr$`Pr(>Chi)`[-1])
ss$fitted <- NULL
wjson(ss, "golden-strong.json")

## ---------------------------------------------------------------------------
## Separation: R's glm warnings, and Firth estimates (finite) from brglm2
## ---------------------------------------------------------------------------
sep <- list()
for (nm in c("separation-complete", "separation-quasi")) {
  dd <- read.csv(out(paste0(nm, ".csv")))
  f <- as.formula(paste("y ~", paste(setdiff(names(dd), "y"), collapse = " + ")))
  w <- character(0)
  ml <- withCallingHandlers(glm(f, family = binomial, data = dd),
                            warning = function(e) { w <<- c(w, conditionMessage(e)); invokeRestart("muffleWarning") })
  fb <- glm(f, family = binomial, data = dd, method = "brglmFit", type = "AS_mean", epsilon = 1e-12, maxit = 500)
  sf <- summary(fb)$coefficients
  sep[[nm]] <- list(warnings = w, mlEstimate = coef(ml), mlSe = summary(ml)$coefficients[, 2],
                    mlIterations = ml$iter, mlConverged = ml$converged,
                    firth = list(names = rownames(sf), estimate = sf[, 1], se = sf[, 2], z = sf[, 3], p = sf[, 4]))
}
wjson(sep, "golden-separation.json")
cat("golden values written\n")
