# Generates the deterministic fixtures for `rapport report` (issue #5).
# Run from the repository root:  Rscript test/reference/report-make-data.R
# Writes fixtures/report/{survey,ehr-logins,scored,separation,one-class}.csv
# Synthetic data only: no questionnaire wording, no real respondents. The item columns follow the
# built-in instrument `relationship-engagement` (answers as given, reverse-keyed items NOT re-keyed).

dir.create(file.path("fixtures", "report"), showWarnings = FALSE, recursive = TRUE)
out <- function(name) file.path("fixtures", "report", name)
wcsv <- function(df, name) write.csv(df, out(name), row.names = FALSE, na = "")

set.seed(20250105)
n <- 900
traits <- c("trust", "respect", "liking", "listening", "agreement", "communication")
n_items <- c(trust = 4, respect = 3, liking = 3, listening = 4, agreement = 4, communication = 4)
reverse <- list(trust = 3, respect = 3, liking = integer(0), listening = 4, agreement = integer(0), communication = 4)

S <- matrix(0.45, 6, 6)
S[1, 2] <- S[2, 1] <- 0.70
S[1, 5] <- S[5, 1] <- 0.62
S[2, 5] <- S[5, 2] <- 0.58
S[4, 6] <- S[6, 4] <- 0.60
diag(S) <- 1
Z <- matrix(rnorm(n * 6), n, 6) %*% chol(S)
colnames(Z) <- traits

cuts <- c(-1.7, -0.8, 0.0, 0.85)
shift <- c(trust = 0.8, respect = 0.5, liking = 0.3, listening = 0.2, agreement = 0.1, communication = 0.3)
labels <- c("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")

survey <- data.frame(ResponseId = sprintf("R_%05d", sample(10000:99999, n)))
for (t in traits) {
  for (k in seq_len(n_items[[t]])) {
    lam <- c(0.85, 0.78, 0.72, 0.66)[k]
    ystar <- lam * Z[, t] + sqrt(1 - lam^2) * rnorm(n) + shift[[t]]
    x <- findInterval(ystar, cuts) + 1
    if (k %in% reverse[[t]]) x <- 6 - x          # as answered on a reverse-worded item
    cell <- as.character(x)
    cell[runif(n) < 0.02] <- ""                  # skipped
    cell[runif(n) < 0.006] <- "9"                # prefer not to answer
    lab <- runif(n) < 0.01 & cell %in% as.character(1:5)
    cell[lab] <- tolower(labels[as.integer(cell[lab])])  # a few answers exported as labels
    survey[[paste0(t, "_", k)]] <- cell
  }
}
# some respondents skipped whole blocks (no scale score by the min_answered rule)
for (t in c("listening", "agreement")) {
  skip <- sample.int(n, 6)
  for (k in seq_len(n_items[[t]])) survey[skip, paste0(t, "_", k)] <- ""
}

survey$age <- round(runif(n, 18, 89))
survey$age[sample.int(n, 12)] <- NA
survey$sex <- sample(c("female", "male", "nonbinary"), n, replace = TRUE, prob = c(0.54, 0.42, 0.04))
clinics <- c("Hilltop", "Lakeside", "Northside", "Old Town", "Riverside")
survey$clinic <- sample(clinics, n, replace = TRUE, prob = c(0.25, 0.2, 0.25, 0.1, 0.2))
survey$clinic[sample.int(n, 7)] <- "Mobile unit"   # a group below the small-cell limit
eta <- -0.2 + 0.85 * Z[, "trust"] + 0.45 * Z[, "communication"] + 0.2 * Z[, "listening"] -
  0.018 * (ifelse(is.na(survey$age), 50, survey$age) - 50) + 0.25 * (survey$sex == "female")
portal <- rbinom(n, 1, plogis(eta))
pu <- as.character(portal)
pu[sample.int(n, 15)] <- ""
pu[sample.int(n, 5)] <- "9"
yes <- runif(n) < 0.02 & pu %in% c("0", "1")
pu[yes] <- ifelse(pu[yes] == "1", "Yes", "No")
survey$portal_use <- pu
notes <- c("PRIVATE-NOTE my doctor is kind", "PRIVATE-NOTE portal password is hard", "PRIVATE-NOTE call me back")
survey$comments <- ifelse(runif(n) < 0.2, sample(notes, n, replace = TRUE), "")
wcsv(survey, "survey.csv")

## EHR extract: portal log-ins for most surveyed patients plus some who were not surveyed
ehr_ids <- c(sample(survey$ResponseId, n - 40), sprintf("R_%05d", 1:25))
m <- match(ehr_ids, survey$ResponseId)
eta2 <- ifelse(is.na(m), 0, eta[m]) + 0.3
logins <- rpois(length(ehr_ids), ifelse(runif(length(ehr_ids)) < plogis(eta2), 1 + rpois(length(ehr_ids), 4), 0))
ehr <- data.frame(ResponseId = ehr_ids, portal_login = ifelse(logins > 0, "yes", "no"), logins_12m = logins)
ehr <- ehr[order(ehr$ResponseId), ]
wcsv(ehr, "ehr-logins.csv")

## An already scored file (as `rapport score` writes): scale columns, outcome as text
set.seed(77)
k <- 300
Zs <- matrix(rnorm(k * 3), k, 3) %*% chol(matrix(c(1, .6, .5, .6, 1, .5, .5, .5, 1), 3))
sc <- function(z) round(pmin(5, pmax(1, 3.6 + 0.8 * z)), 4)
scored <- data.frame(id = sprintf("P%04d", 1:k), trust = sc(Zs[, 1]), respect = sc(Zs[, 2]), communication = sc(Zs[, 3]))
scored$trust[sample.int(k, 4)] <- NA
scored$sex <- sample(c("female", "male"), k, replace = TRUE)
yy <- rbinom(k, 1, plogis(0.3 + 0.9 * Zs[, 1] + 0.4 * Zs[, 3]))
scored$uses_portal <- ifelse(yy == 1, "Yes", "No")
scored$uses_portal[sample.int(k, 3)] <- ""
wcsv(scored, "scored.csv")

## Complete separation: everyone with trust above 3.5 uses the portal
set.seed(5)
k <- 80
sep <- data.frame(id = sprintf("S%03d", 1:k), trust = round(runif(k, 1, 5), 2), respect = round(runif(k, 1, 5), 2))
sep$trust[abs(sep$trust - 3.5) < 0.1] <- sep$trust[abs(sep$trust - 3.5) < 0.1] + 0.25
sep$portal <- as.integer(sep$trust > 3.5)
wcsv(sep, "separation.csv")

## One outcome class: nobody uses the portal (the model cannot be fitted)
one <- sep
one$portal <- 0L
wcsv(one, "one-class.csv")
cat("fixtures written\n")
