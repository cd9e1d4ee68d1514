# What R's haven reads from the .sav fixtures (fixtures/sav/), for test/ingest/sav.test.ts: variable
# names, labels, value labels, user-missing values and every cell as text (system-missing as "").
# Run from the repository root: Rscript test/reference/sav-fixtures.R
library(haven)
library(jsonlite)
one <- function(file) {
  d <- read_sav(file, user_na = TRUE)
  vars <- lapply(names(d), function(n) {
    x <- d[[n]]
    lab <- attr(x, "labels")
    list(
      name = n,
      label = attr(x, "label", exact = TRUE),
      numeric = is.numeric(x),
      value_labels = if (is.null(lab)) list() else setNames(as.list(names(lab)), as.character(unname(lab))),
      na_values = I(if (is.null(attr(x, "na_values"))) character(0) else as.character(attr(x, "na_values"))),
      na_range = if (is.null(attr(x, "na_range"))) NULL else attr(x, "na_range"),
      cells = I(ifelse(is.na(unclass(x)), "", as.character(unclass(x))))
    )
  })
  list(file = file, cases = nrow(d), variables = vars)
}
files <- c("fixtures/sav/pspp.sav", "fixtures/sav/pspp-uncompressed.sav", "fixtures/sav/haven.sav",
           # real files from a public repository (fixtures/real/SOURCES.md): haven's own examples and tests
           "fixtures/real/files/haven-iris.sav", "fixtures/real/files/haven-labelled-num-na.sav",
           "fixtures/real/files/haven-labelled-str.sav", "fixtures/real/files/haven-umlauts.sav")
writeLines(toJSON(lapply(files, one), auto_unbox = TRUE, pretty = TRUE, null = "null"), "test/reference/sav-fixtures.json")
