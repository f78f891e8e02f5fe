# Reference outputs for tests/cx-churn.sh, from R's survival package and stats::glm.
# Run from the repository root:  Rscript tests/oracles/cx-churn/oracle.R
# Writes testdata/cx-churn/{lung,veteran}.csv and testdata/cx-churn/r-*.csv.
suppressMessages(library(survival))
out <- "testdata/cx-churn"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE,
                                  na = "", quote = FALSE)
options(digits = 17)
fmt <- function(df) { for (n in names(df)) if (is.numeric(df[[n]]))
  df[[n]] <- sprintf("%.17g", df[[n]]); df[df == "NA"] <- ""; df }

lung2 <- lung; lung2$status <- lung2$status - 1          # 0/1 event
lung2$sexf <- ifelse(lung2$sex == 1, "male", "female")
w(lung2, "lung.csv")
vet <- veteran; vet$id <- seq_len(nrow(vet))
w(vet, "veteran.csv")

km <- function(fit, by) {
  n <- length(fit$time)
  g <- if (is.null(fit$strata)) rep("", n) else
    rep(sub(".*=", "", names(fit$strata)), fit$strata)
  data.frame(group = g, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
             n_censor = fit$n.censor, survival = fit$surv,
             std_err = fit$std.err * fit$surv, conf_low = fit$lower,
             conf_high = fit$upper, cumhaz = fit$cumhaz)
}
for (ct in c("log", "log-log", "plain")) {
  f <- survfit(Surv(time, status) ~ 1, data = lung2, conf.type = ct)
  w(fmt(km(f)), paste0("r-km-lung-", ct, ".csv"))
}
f <- survfit(Surv(time, status) ~ sex, data = lung2)
w(fmt(km(f)), "r-km-lung-sex.csv")
f <- survfit(Surv(time, status) ~ 1, data = lung2, conf.int = 0.9)
w(fmt(km(f)), "r-km-lung-conf90.csv")
f <- survfit(Surv(time, status) ~ celltype, data = vet)
w(fmt(km(f)), "r-km-vet-celltype.csv")
# weighted
f <- survfit(Surv(time, status) ~ 1, data = lung2, weights = ph.karno / 10)
w(fmt(km(f)), "r-km-lung-weighted.csv")

# at-risk table at ticks
f <- survfit(Surv(time, status) ~ sex, data = lung2)
s <- summary(f, times = c(0, 100, 200, 365, 500, 730, 1000), extend = TRUE)
w(fmt(data.frame(group = sub(".*=", "", as.character(s$strata)), time = s$time,
  n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor,
  survival = s$surv, std_err = s$std.err, conf_low = s$lower,
  conf_high = s$upper, cumhaz = s$cumhaz)), "r-km-at.csv")

# quantiles and restricted mean
q1 <- function(f, probs, tau, label) {
  q <- quantile(f, probs)
  t <- summary(f, rmean = tau)$table
  if (is.null(dim(t))) t <- matrix(t, nrow = 1, dimnames = list(NULL, names(t)))
  qq <- if (is.matrix(q$quantile)) q else lapply(q, function(x) matrix(x, nrow = 1))
  rows <- list()
  for (i in seq_len(nrow(t))) for (j in seq_along(probs))
    rows[[length(rows) + 1]] <- data.frame(group = if (is.null(f$strata)) "" else
      sub(".*=", "", names(f$strata)[i]), prob = probs[j],
      time = qq$quantile[i, j], conf_low = qq$lower[i, j], conf_high = qq$upper[i, j],
      rmst = t[i, "rmean"], rmst_se = t[i, "se(rmean)"])
  w(fmt(do.call(rbind, rows)), label)
}
q1(survfit(Surv(time, status) ~ 1, data = lung2), c(0.25, 0.5, 0.75), 365, "r-q-lung.csv")
q1(survfit(Surv(time, status) ~ sex, data = lung2), c(0.1, 0.5, 0.9), 500, "r-q-lung-sex.csv")
q1(survfit(Surv(time, status) ~ celltype, data = vet), c(0.25, 0.5, 0.75), 200, "r-q-vet.csv")

# log-rank and Peto-Peto
lr <- function(fml, dd, rho, label) {
  d <- survdiff(fml, data = dd, rho = rho)
  df <- sum(d$exp > 0) - 1
  p <- pchisq(d$chisq, df, lower.tail = FALSE)
  w(fmt(data.frame(rho = rho, chisq = d$chisq, df = df, p_value = p,
    log10_p = pchisq(d$chisq, df, lower.tail = FALSE, log.p = TRUE) / log(10))),
    paste0("r-", label, ".csv"))
  w(fmt(data.frame(group = sub(".*=", "", names(d$n)), n = as.numeric(d$n),
    observed = d$obs, expected = d$exp)), paste0("r-", label, "-groups.csv"))
}
lr(Surv(time, status) ~ sex, lung2, 0, "lr-lung-sex")
lr(Surv(time, status) ~ sex, lung2, 1, "lr-lung-sex-rho1")
lr(Surv(time, status) ~ celltype, vet, 0, "lr-vet-celltype")
lr(Surv(time, status) ~ celltype, vet, 1, "lr-vet-celltype-rho1")
lr(Surv(time, status) ~ ph.ecog, lung2[!is.na(lung2$ph.ecog), ], 0, "lr-lung-ecog")

# Cox
cx <- function(fml, dd, ties, label) {
  environment(fml) <- environment()
  f <- coxph(fml, data = dd, ties = ties, model = TRUE)
  s <- summary(f)
  ci <- exp(confint(f))
  w(fmt(data.frame(term = sub("^celltype", "celltype=", names(coef(f))), estimate = coef(f), hazard_ratio = exp(coef(f)),
    std_error = sqrt(diag(vcov(f))), statistic = s$coefficients[, "z"],
    p_value = s$coefficients[, "Pr(>|z|)"], conf_low = ci[, 1], conf_high = ci[, 2])),
    paste0("r-", label, ".csv"))
  cc <- f$concordance
  w(fmt(data.frame(n = f$n, events = f$nevent, log_lik_null = f$loglik[1],
    log_lik = f$loglik[2], lr_chisq = 2 * diff(f$loglik), wald_chisq = f$wald.test,
    score_chisq = f$score, concordance = cc["concordance"], concordance_se = cc["std"],
    iterations = f$iter)), paste0("r-", label, "-summary.csv"))
  bh <- basehaz(f, centered = TRUE)
  w(fmt(data.frame(time = bh$time, cumhaz = bh$hazard)), paste0("r-", label, "-basehaz.csv"))
  z <- cox.zph(f, transform = "km")
  w(fmt(data.frame(term = rownames(z$table), chisq = z$table[, "chisq"],
    df = z$table[, "df"], p_value = z$table[, "p"])), paste0("r-", label, "-zph.csv"))
  invisible(f)
}
cx(Surv(time, status) ~ age + sex, lung2, "efron", "cox-lung-efron")
cx(Surv(time, status) ~ age + sex, lung2, "breslow", "cox-lung-breslow")
cx(Surv(time, status) ~ age + sex + ph.ecog, lung2, "efron", "cox-lung3-efron")
vet$celltype <- relevel(vet$celltype, ref = "squamous")
cx(Surv(time, status) ~ trt + karno + celltype, vet, "efron", "cox-vet-efron")
cx(Surv(time, status) ~ trt + karno + celltype, vet, "breslow", "cox-vet-breslow")

# logistic regression: glm binomial (IRLS; SEs from the final iteration's weights)
lg <- function(fml, dd, label) {
  f <- glm(fml, data = dd, family = binomial)
  s <- summary(f)$coefficients
  ci <- confint.default(f)
  w(fmt(data.frame(term = sub("^celltype", "celltype=", rownames(s)), estimate = s[, 1], odds_ratio = exp(s[, 1]),
    std_error = s[, 2], statistic = s[, 3], p_value = s[, 4],
    conf_low = ci[, 1], conf_high = ci[, 2])), paste0("r-", label, ".csv"))
  w(fmt(data.frame(n = nobs(f), deviance = f$deviance, null_deviance = f$null.deviance,
    log_lik = as.numeric(logLik(f)), aic = f$aic, iterations = f$iter)),
    paste0("r-", label, "-summary.csv"))
}
lg(status ~ age + sex + ph.ecog, lung2, "logit-lung")
vet$dead90 <- as.integer(vet$time <= 90 & vet$status == 1)
w(vet, "veteran.csv")
lg(dead90 ~ karno + age + celltype, vet, "logit-vet")

# score: linear predictor (centred at fit$means: numeric means, factors at the
# reference) and survival at horizons from survfit.coxph
f <- coxph(Surv(time, status) ~ trt + karno + celltype, data = vet)
nd <- vet[c(1, 2, 30, 60, 100, 137), ]
sf <- summary(survfit(f, newdata = nd), times = c(30, 90, 365))
w(fmt(data.frame(id = nd$id, linear_predictor = predict(f, newdata = nd, type = "lp"),
  relative_risk = predict(f, newdata = nd, type = "risk"),
  survival_30 = sf$surv[1, ], survival_90 = sf$surv[2, ], survival_365 = sf$surv[3, ])),
  "r-score-vet.csv")

# eval: scores = logit fitted values on lung; AUC by the Mann-Whitney rank
# formula, Brier, and Hosmer-Lemeshow computed as ResourceSelection::hoslem.test
# does (quantile breaks, cut(include.lowest = TRUE), sum (O - E)^2 / E over both classes)
f <- glm(status ~ age + sex + ph.ecog, data = lung2, family = binomial)
sc <- data.frame(status = f$y, p = fitted(f))
w(fmt(sc), "lung-scored.csv")
y <- sc$status; p <- sc$p
r <- rank(p); n1 <- sum(y == 1); n0 <- sum(y == 0)
auc <- (sum(r[y == 1]) - n1 * (n1 + 1) / 2) / (n1 * n0)
g <- 10
br <- quantile(p, probs = seq(0, 1, 1 / g))
cutyhat <- cut(p, breaks = unique(br), include.lowest = TRUE)
obs <- xtabs(cbind(1 - y, y) ~ cutyhat); ex <- xtabs(cbind(1 - p, p) ~ cutyhat)
hl <- sum((obs - ex)^2 / ex)
w(fmt(data.frame(n = length(y), events = n1, auc = auc, brier = mean((p - y)^2),
  hl_chisq = hl, hl_df = nrow(obs) - 2, hl_p_value = pchisq(hl, nrow(obs) - 2, lower.tail = FALSE))),
  "r-eval-lung.csv")

# edge cases: ties of events and censorings, censoring at time 0, a group whose
# survival never reaches 0.5, a group without events (S = 1 throughout)
edge <- data.frame(
  time   = c(0, 0, 2, 2, 2, 3, 3, 5, 5, 8,   1, 4, 4, 6, 9, 9, 12,   3, 5, 7, 7),
  status = c(0, 1, 1, 1, 0, 1, 0, 1, 0, 1,   0, 1, 0, 0, 1, 0, 0,    0, 0, 0, 0),
  grp    = c(rep("ties", 10), rep("high", 7), rep("none", 4)))
w(edge, "edge.csv")
f <- survfit(Surv(time, status) ~ grp, data = edge)
w(fmt(km(f)), "r-km-edge.csv")
q1(f, c(0.25, 0.5, 0.75), 6, "r-q-edge.csv")
lr(Surv(time, status) ~ grp, edge, 0, "lr-edge")

# case weights (integers ph.karno / 10; rows without ph.karno left out)
lw <- lung2[!is.na(lung2$ph.karno), ]; lw$w <- lw$ph.karno / 10
for (ties in c("efron", "breslow")) {
  f <- coxph(Surv(time, status) ~ age + sex, data = lw, weights = w, ties = ties)
  w(fmt(data.frame(term = names(coef(f)), estimate = coef(f),
    std_error = sqrt(diag(vcov(f))))), paste0("r-cox-lung-weighted-", ties, ".csv"))
  w(fmt(data.frame(n = f$n, log_lik_null = f$loglik[1], log_lik = f$loglik[2],
    score_chisq = f$score, concordance = f$concordance["concordance"])),
    paste0("r-cox-lung-weighted-", ties, "-summary.csv"))
}
f <- glm(status ~ age + sex, data = lw, weights = w, family = binomial)
s <- summary(f)$coefficients
w(fmt(data.frame(term = rownames(s), estimate = s[, 1], std_error = s[, 2])), "r-logit-lung-weighted.csv")
w(fmt(data.frame(n = nobs(f), deviance = f$deviance, null_deviance = f$null.deviance, aic = f$aic)),
  "r-logit-lung-weighted-summary.csv")
