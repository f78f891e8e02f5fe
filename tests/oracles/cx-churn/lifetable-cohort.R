# Reference life tables and cohort retention triangles for tests/cx-churn.sh.
# Run from the repository root, after oracle.R (it reads the lung.csv, edge.csv
# and cohort.csv that oracle.R and the tests commit):
#   Rscript tests/oracles/cx-churn/lifetable-cohort.R
# Writes testdata/cx-churn/lung-cohort.csv and testdata/cx-churn/r-lt-*.csv,
# r-cohort-*.csv.
#
# Plain base R written from the definitions in cx-churn(1), not from the C code:
#  life table, periods [k W, (k+1) W) of width W, k = 0 .. the last period
#  holding an observation of the group:
#    n_risk = sum of weights with time >= k W        (at risk at the start)
#    n_event, n_censor = weights of events / censorings with k W <= time < (k+1) W
#    churn_rate = d / n, churn_rate_actuarial = d / (n - c / 2),
#    survival = prod over periods j <= k of (1 - d_j / (n_j - c_j / 2))
#  cohort triangle (calendar periods: months, or ISO weeks starting Monday):
#    cohort = first day of the signup period, size = sum of weights,
#    m<k> = share (by weight) of the cohort whose churn period is not before
#    the cohort period + k (churned during period k or later, or still active),
#    i.e. not yet churned when period k began; empty when cohort period + k is
#    after the --asof period.  Columns m00 .. up to the --asof period of the
#    earliest cohort over all groups.
out <- "testdata/cx-churn"
rd <- function(name) read.csv(file.path(out, name), stringsAsFactors = FALSE,
                              colClasses = "character")
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE,
                                  na = "", quote = FALSE)
fmt <- function(df) { for (n in names(df)) if (is.numeric(df[[n]]))
  df[[n]] <- ifelse(is.na(df[[n]]), NA, sprintf("%.17g", df[[n]])); df }

lifetable <- function(time, status, wt, W) {
  K <- max(floor(time / W))
  rows <- list(); S <- 1
  for (k in 0:K) {
    lo <- k * W; hi <- (k + 1) * W
    inp <- time >= lo & time < hi
    n <- sum(wt[time >= lo]); d <- sum(wt[inp & status == 1]); c <- sum(wt[inp & status == 0])
    act <- d / (n - c / 2); S <- S * (1 - act)
    rows[[k + 1]] <- data.frame(period = k, start = lo, end = hi, n_risk = n,
      n_event = d, n_censor = c, churn_rate = d / n, churn_rate_actuarial = act,
      survival = S)
  }
  do.call(rbind, rows)
}
lt <- function(dd, W, by = NULL, wt = NULL) {
  time <- as.numeric(dd$time); status <- as.numeric(dd$status)
  wv <- if (is.null(wt)) rep(1, nrow(dd)) else wt
  if (is.null(by)) return(lifetable(time, status, wv, W))
  do.call(rbind, lapply(sort(unique(dd[[by]])), function(g) {
    i <- dd[[by]] == g
    r <- lifetable(time[i], status[i], wv[i], W)
    r <- cbind(g, r); names(r)[1] <- by; r }))
}

lung <- rd("lung.csv"); edge <- rd("edge.csv")
month <- 365.25 / 12                      # = 30.4375 days, exact in binary
w(fmt(lt(lung, 100)), "r-lt-lung-100.csv")
w(fmt(lt(edge, 3, by = "grp")), "r-lt-edge-grp.csv")
w(fmt(lt(lung, month)), "r-lt-lung-month.csv")
w(fmt(lt(lung, month, by = "sex")), "r-lt-lung-month-sex.csv")
# case weights ph.karno / 10, rows without ph.karno left out (as the tests' lung-w.csv)
lw <- lung[lung$ph.karno != "", ]
w(fmt(lt(lw, month, wt = as.numeric(lw$ph.karno) / 10)), "r-lt-lung-month-weighted.csv")

# cohort triangles
pidx <- function(d, week) if (week) (as.integer(d) - 4) %/% 7 else   # 1970-01-05 is a Monday
  as.integer(format(d, "%Y")) * 12 + as.integer(format(d, "%m")) - 1
plabel <- function(i, week) if (week) format(as.Date(i * 7 + 4, origin = "1970-01-01")) else
  sprintf("%04d-%02d-01", i %/% 12, i %% 12 + 1)
cohort <- function(dd, asof, week = FALSE, by = NULL, wt = NULL) {
  s <- pidx(as.Date(dd$signup), week)
  e <- ifelse(dd$churn == "", NA, pidx(as.Date(ifelse(dd$churn == "", NA, dd$churn)), week))
  a <- pidx(as.Date(asof), week)
  wv <- if (is.null(wt)) rep(1, nrow(dd)) else wt
  K <- a - min(s)
  g <- if (is.null(by)) rep("", nrow(dd)) else dd[[by]]
  rows <- list()
  for (gg in sort(unique(g))) for (c in sort(unique(s[g == gg]))) {
    i <- g == gg & s == c
    size <- sum(wv[i])
    cells <- sapply(0:K, function(k) if (c + k > a) NA else
      sum(wv[i & (is.na(e) | e >= c + k)]) / size)
    r <- data.frame(cohort = plabel(c, week), size = size)
    if (!is.null(by)) { r <- cbind(gg, r); names(r)[1] <- by }
    for (k in 0:K) r[[sprintf("%s%02d", if (week) "w" else "m", k)]] <- cells[k + 1]
    rows[[length(rows) + 1]] <- r
  }
  do.call(rbind, rows)
}
co <- rd("cohort.csv")
w(fmt(cohort(co, "2026-04-15")), "r-cohort.csv")
w(fmt(cohort(co, "2026-04-15", week = TRUE, by = "plan")), "r-cohort-week-plan.csv")
w(fmt(cohort(co, "2026-04-15", by = "plan", wt = as.numeric(co$id))), "r-cohort-weighted.csv")

# lung as a signup/churn table: lung has no calendar dates, so patients are
# enrolled one every 3 days from 2019-01-07 (in file order); churn date =
# signup + time for deaths, empty for censored patients and for deaths after
# the snapshot date 2021-06-30 (still active then); patients who signed up
# after the snapshot are left out.
asof <- as.Date("2021-06-30")
sg <- as.Date("2019-01-07") + 3 * (seq_len(nrow(lung)) - 1)
ch <- sg + as.numeric(lung$time)
ch <- ifelse(lung$status == "1" & ch <= asof, format(ch), "")
lc <- data.frame(id = seq_len(nrow(lung)), signup = format(sg), churn = ch, sex = lung$sex,
                 stringsAsFactors = FALSE)[sg <= asof, ]
w(lc, "lung-cohort.csv")
w(fmt(cohort(lc, format(asof))), "r-cohort-lung.csv")
w(fmt(cohort(lc, format(asof), by = "sex")), "r-cohort-lung-sex.csv")
w(fmt(cohort(lc, format(asof), week = TRUE)), "r-cohort-lung-week.csv")
