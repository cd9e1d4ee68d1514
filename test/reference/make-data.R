# Generates the deterministic test data sets for the statistics core (issue #4).
# Run from the repository root:  Rscript test/reference/make-data.R
# Writes test/reference/{survey,separation-complete,separation-quasi,rare}.csv
# The data are synthetic: no questionnaire wording, no real respondents.

out <- function(name) file.path("test", "reference", name)
wcsv <- function(df, name) write.csv(df, out(name), row.names = FALSE, na = "")

## ---------------------------------------------------------------------------
## 1. Survey-like data: six correlated relationship traits, four 1..5 items
##    each (one reverse-keyed item per trait, already re-keyed in the file),
##    missing answers, covariates age / sex / site (3 levels), outcome
##    portal_use (0/1) with a few missing values.
## ---------------------------------------------------------------------------
set.seed(20240611)
n <- 400
traits <- c("trust", "respect", "liking", "listening", "agreement", "communication")
S <- matrix(0.45, 6, 6)
S[1, 2] <- S[2, 1] <- 0.70   # trust ~ respect
S[1, 5] <- S[5, 1] <- 0.65   # trust ~ agreement
S[2, 5] <- S[5, 2] <- 0.60   # respect ~ agreement
diag(S) <- 1
Z <- matrix(rnorm(n * 6), n, 6) %*% chol(S)
colnames(Z) <- traits

cuts <- c(-1.6, -0.7, 0.1, 0.9)           # thresholds for 1..5
shift <- c(trust = 0.95, respect = 0.4, liking = 0.3, listening = 0.2,
           agreement = 0.0, communication = 0.1)   # patients rate high: ceiling effects
lam <- c(0.85, 0.78, 0.70, 0.62)
survey <- data.frame(id = sprintf("R%03d", 1:n))
for (t in traits) {
  for (k in 1:4) {
    ystar <- lam[k] * Z[, t] + sqrt(1 - lam[k]^2) * rnorm(n) + shift[[t]]
    x <- findInterval(ystar, cuts) + 1          # 1..5
    if (k == 3) {
      raw <- 6 - x                             # as answered on a reverse-keyed item
      x <- 6 - raw                             # already re-keyed in the export
    }
    x[runif(n) < 0.015] <- NA                  # 1.5% item non-response
    survey[[paste0(t, "_", k, if (k == 3) "r" else "")]] <- x
  }
}
# five respondents skipped the whole communication block
skip <- sample.int(n, 5)
for (k in 1:4) survey[skip, grep("^communication_", names(survey))[k]] <- NA

# an "engagement" scale whose third item was NOT re-keyed (a forgotten reverse key)
eng <- rnorm(n)
for (k in 1:3) {
  x <- findInterval(0.75 * eng + sqrt(1 - 0.75^2) * rnorm(n), cuts) + 1
  if (k == 3) x <- 6 - x
  x[runif(n) < 0.02] <- NA
  survey[[paste0("engagement_", k)]] <- x
}

survey$age <- round(runif(n, 18, 90))
survey$sex <- sample(c("female", "male"), n, replace = TRUE, prob = c(0.55, 0.45))
survey$site <- sample(c("north", "east", "west"), n, replace = TRUE)   # sorted: east, north, west
site_eff <- c(east = 0, north = 0.4, west = -0.5)
eta <- -0.3 + 0.9 * Z[, "trust"] + 0.5 * Z[, "communication"] + 0.25 * Z[, "liking"] -
  0.02 * (survey$age - 50) + 0.3 * (survey$sex == "female") + site_eff[survey$site]
survey$portal_use <- rbinom(n, 1, plogis(eta))
survey$portal_use[sample.int(n, 6)] <- NA

# scale scores: mean of the items when every item of the scale is answered
for (t in c(traits, "engagement")) {
  cols <- grep(paste0("^", t, "_"), names(survey))
  survey[[t]] <- ifelse(rowSums(is.na(survey[, cols])) == 0, rowMeans(survey[, cols]), NA)
}
wcsv(survey, "survey.csv")

## ---------------------------------------------------------------------------
## 2. Complete separation: y = 1 exactly when x1 > 0.2; x2 is noise.
## ---------------------------------------------------------------------------
set.seed(7)
m <- 60
x1 <- round(rnorm(m), 3)
x2 <- round(rnorm(m), 3)
x1[abs(x1 - 0.2) < 0.05] <- x1[abs(x1 - 0.2) < 0.05] + 0.1   # keep a visible gap
wcsv(data.frame(x1 = x1, x2 = x2, y = as.integer(x1 > 0.2)), "separation-complete.csv")

## ---------------------------------------------------------------------------
## 3. Quasi-complete separation: every respondent with g = 1 has y = 1;
##    among g = 0 the outcome depends on x1.
## ---------------------------------------------------------------------------
set.seed(11)
m <- 100
x1 <- round(rnorm(m), 3)
g <- rbinom(m, 1, 0.25)
y <- ifelse(g == 1, 1L, rbinom(m, 1, plogis(-0.3 + x1)))
wcsv(data.frame(x1 = x1, g = g, y = y), "separation-quasi.csv")

## ---------------------------------------------------------------------------
## 4. Rare outcome: about 5% events in 400 respondents.
## ---------------------------------------------------------------------------
set.seed(2024)
m <- 400
x1 <- round(rnorm(m), 4)
x2 <- round(rnorm(m, 3, 1), 4)
x3 <- rbinom(m, 1, 0.4)
y <- rbinom(m, 1, plogis(-3.3 + 0.7 * x1 + 0.2 * (x2 - 3) + 0.5 * x3))
wcsv(data.frame(x1 = x1, x2 = x2, x3 = x3, y = y), "rare.csv")
cat("events in rare.csv:", sum(y), "of", m, "\n")

## ---------------------------------------------------------------------------
## 5. A strong effect, for p-values far in the tail (Wald and LR p around 1e-20).
## ---------------------------------------------------------------------------
set.seed(99)
m <- 600
x1 <- round(rnorm(m), 4)
x2 <- round(rnorm(m), 4)
y <- rbinom(m, 1, plogis(0.2 + 2.2 * x1 + 0.3 * x2))
wcsv(data.frame(x1 = x1, x2 = x2, y = y), "strong.csv")
