# Independent reference values for tests/cx-clv.sh, written from the papers'
# formulas in base R only (no BTYD/CLVTools code).  Independence from cx-clv:
#  - Pareto/NBD likelihood and P(alive) use the integral form
#      L = G(r+x) a^r b^s / G(r) [ (a+T)^-(r+x) (b+T)^-s
#            + s * integral_{t_x}^{T} (a+u)^-(r+x) (b+u)^-(s+1) du ]
#    with integrate(), not the 2F1 expressions cx-clv uses;
#  - 2F1 in the BG/NBD and MBG/NBD expectations is Euler's integral
#      2F1(a,b;c;z) = G(c)/(G(b)G(c-b)) int_0^1 t^(b-1) (1-t)^(c-b-1) (1-zt)^-a dt
#    with integrate(), not a series;
#  - fits use optim(method = "BFGS") on log parameters with tight tolerances.
# Run from the repository root:  Rscript tests/oracles/cx-clv/oracle.R [DATA_DIR]  (default ../shared/data/clv;
#   testdata/cx-clv/data holds the same files)
# Writes testdata/cx-clv/r-*.csv (checked in; tests never run R).
args <- commandArgs(TRUE)
data <- if (length(args)) args[1] else "../shared/data/clv"
out <- "testdata/cx-clv"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
f17 <- function(v) sprintf("%.12g", v)
w <- function(df, name) {
  for (n in names(df)) if (is.numeric(df[[n]])) df[[n]] <- f17(df[[n]])
  write.csv(df, file.path(out, name), row.names = FALSE, quote = FALSE)
}

cd <- read.csv(file.path(data, "cdnow_customers_summary_with_transactions.csv"))
x <- cd$x; tx <- cd$t_x; TT <- cd$T

# ---- BG/NBD (Fader, Hardie and Lee 2005, eq. 6) -------------------------------
bg.ll <- function(p, x, tx, TT, m = 0) {
  r <- p[1]; al <- p[2]; a <- p[3]; b <- p[4]
  A1 <- lgamma(r + x) - lgamma(r) + r * log(al)
  A2 <- lbeta(a, b + x + m) - lbeta(a, b)
  A3 <- -(r + x) * log(al + TT)
  A4 <- ifelse(x > 0 | m == 1, log(a) - log(b + x - 1 + m) - (r + x) * log(al + tx), -Inf)
  sum(A1 + A2 + log(exp(A3) + exp(A4)))
}
# standard errors by the delta method from R's own Hessian (optimHess) of -LL in
# log parameters: se(theta) = theta * sqrt(diag(solve(H)))
fit_se <- function(ll, par, ...) {
  H <- optimHess(log(par), function(u) -ll(exp(u), ...))
  par * sqrt(diag(solve(H)))
}
fit <- function(ll, start, ...) {
  o <- optim(log(start), function(u) -ll(exp(u), ...), method = "Nelder-Mead",
             control = list(reltol = 1e-10, maxit = 5000))
  o <- optim(o$par, function(u) -ll(exp(u), ...), method = "BFGS",
             control = list(reltol = 1e-15, maxit = 5000))
  o <- optim(o$par, function(u) -ll(exp(u), ...), method = "BFGS",
             control = list(reltol = 1e-15, maxit = 5000))
  list(par = exp(o$par), ll = -o$value)
}
h2f1 <- function(a, b, c, z) {
  # Euler's integral; needs c > b > 0 (true for every call below).  The
  # substitution s = (1-t)^(c-b) removes the endpoint singularity at t = 1:
  # int_0^1 t^(b-1) (1-t)^(c-b-1) (1-zt)^-a dt = 1/(c-b) int_0^1 t(s)^(b-1) (1-z t(s))^-a ds
  g <- function(s) { t <- 1 - s^(1 / (c - b)); exp((b - 1) * log(t) - a * log1p(-z * t)) }
  integrate(g, 0, 1, rel.tol = 1e-13, abs.tol = 0, subdivisions = 1000L)$value / (c - b) *
    exp(lgamma(c) - lgamma(b) - lgamma(c - b))
}
bg.palive <- function(p, x, tx, TT, m = 0) {
  r <- p[1]; al <- p[2]; a <- p[3]; b <- p[4]
  if (x == 0 && m == 0) return(1)
  1 / (1 + a / (b + x - 1 + m) * ((al + TT) / (al + tx))^(r + x))
}
bg.cet <- function(p, t, x, tx, TT, m = 0) {
  r <- p[1]; al <- p[2]; a <- p[3]; b <- p[4]
  # Euler's transformation keeps the integrand bounded: 2F1(r+x, b+x+m; c; z) =
  # (1-z)^(c-r-x-b-x-m) 2F1(c-r-x, c-b-x-m; c; z)
  cc <- a + b + x - 1 + m; z <- t / (al + TT + t)
  F <- h2f1(a - 1, cc - r - x, cc, z)   # symmetric in its first two arguments
  (cc / (a - 1)) * (1 - (1 - z)^(a - 1) * F) * bg.palive(p, x, tx, TT, m)
}

# ---- Pareto/NBD by quadrature -------------------------------------------------
pn.parts <- function(p, x, tx, TT) {
  r <- p[1]; al <- p[2]; s <- p[3]; be <- p[4]
  l0 <- -(r + x) * log(al + TT) - s * log(be + TT)
  if (TT > tx) {
    # scale the integrand by exp(-l0) so integrate() sees values near 1
    g <- function(u) exp(-(r + x) * log(al + u) - (s + 1) * log(be + u) - l0)
    I <- integrate(g, tx, TT, rel.tol = 1e-12, abs.tol = 0)$value
  } else I <- 0
  c(l0 = l0, rat = s * I)     # bracket = exp(l0) * (1 + rat)
}
pn.ll <- function(p, x, tx, TT) {
  r <- p[1]; al <- p[2]; s <- p[3]; be <- p[4]
  tot <- 0
  for (i in seq_along(x)) {
    q <- pn.parts(p, x[i], tx[i], TT[i])
    tot <- tot + lgamma(r + x[i]) - lgamma(r) + r * log(al) + s * log(be) +
      q[["l0"]] + log1p(q[["rat"]])
  }
  tot
}
pn.palive <- function(p, x, tx, TT) 1 / (1 + pn.parts(p, x, tx, TT)[["rat"]])
pn.cet <- function(p, t, x, tx, TT) {
  r <- p[1]; al <- p[2]; s <- p[3]; be <- p[4]
  (r + x) * (be + TT) / ((al + TT) * (s - 1)) * (1 - ((be + TT) / (be + TT + t))^(s - 1)) *
    pn.palive(p, x, tx, TT)
}

# ---- Gamma-Gamma (Fader and Hardie 2013, eq. 5) -------------------------------
gg.ll <- function(p, x, z) {
  pp <- p[1]; q <- p[2]; g <- p[3]
  sum(lgamma(pp * x + q) - lgamma(pp * x) - lgamma(q) + q * log(g) +
      (pp * x - 1) * log(z) + pp * x * log(x) - (pp * x + q) * log(g + x * z))
}

# ---- BG/BB (Fader, Hardie and Shang 2010, eq. 5, 11, 13) ----------------------
bb.one <- function(p, x, tx, n) {
  al <- p[1]; be <- p[2]; ga <- p[3]; de <- p[4]
  L <- exp(lbeta(al + x, be + n - x) - lbeta(al, be) + lbeta(ga, de + n) - lbeta(ga, de))
  if (n - tx - 1 >= 0) for (i in 0:(n - tx - 1))
    L <- L + exp(lbeta(al + x, be + tx - x + i) - lbeta(al, be) +
                 lbeta(ga + 1, de + tx + i) - lbeta(ga, de))
  L
}
bb.ll <- function(p, x, tx, n, w) sum(w * log(mapply(function(a, b, c) bb.one(p, a, b, c), x, tx, n)))
bb.palive <- function(p, x, tx, n) {
  al <- p[1]; be <- p[2]; ga <- p[3]; de <- p[4]
  exp(lbeta(al + x, be + n - x) - lbeta(al, be) + lbeta(ga, de + n + 1) - lbeta(ga, de)) /
    bb.one(p, x, tx, n)
}
bb.cet <- function(p, t, x, tx, n) {
  al <- p[1]; be <- p[2]; ga <- p[3]; de <- p[4]
  exp(lbeta(al + x + 1, be + n - x) - lbeta(al, be)) * de / (ga - 1) *
    exp(lgamma(ga + de) - lgamma(1 + de)) *
    (exp(lgamma(1 + de + n) - lgamma(ga + de + n)) -
     exp(lgamma(1 + de + n + t) - lgamma(ga + de + n + t))) / bb.one(p, x, tx, n)
}

# ---- fits ---------------------------------------------------------------------
fits <- list()
f <- fit(bg.ll, c(1, 1, 1, 1), x = x, tx = tx, TT = TT)
fits$bgnbd <- data.frame(model = "bgnbd", term = c("r", "alpha", "a", "b"), estimate = f$par, log_lik = f$ll)
ses <- list(data.frame(model = "bgnbd", term = c("r", "alpha", "a", "b"),
                       std_error = fit_se(bg.ll, f$par, x = x, tx = tx, TT = TT)))
f <- fit(bg.ll, c(1, 1, 1, 1), x = x, tx = tx, TT = TT, m = 1)
fits$mbgnbd <- data.frame(model = "mbgnbd", term = c("r", "alpha", "a", "b"), estimate = f$par, log_lik = f$ll)
# Pareto/NBD on the 1016 unique patterns (quadrature per customer is slow)
key <- paste(x, tx, TT)
u <- !duplicated(key); cnt <- as.vector(table(key)[key[u]])
pn.llw <- function(p, x, tx, TT, w) {
  r <- p[1]; al <- p[2]; s <- p[3]; be <- p[4]; tot <- 0
  for (i in seq_along(x)) {
    q <- pn.parts(p, x[i], tx[i], TT[i])
    tot <- tot + w[i] * (lgamma(r + x[i]) - lgamma(r) + r * log(al) + s * log(be) +
      q[["l0"]] + log1p(q[["rat"]]))
  }
  tot
}
f <- fit(pn.llw, c(0.55, 10.6, 0.6, 11.7), x = x[u], tx = tx[u], TT = TT[u], w = cnt)
fits$pnbd <- data.frame(model = "pnbd", term = c("r", "alpha", "s", "beta"), estimate = f$par, log_lik = f$ll)
pos <- x > 0 & cd$zbar > 0
f <- fit(gg.ll, c(5, 3, 10), x = x[pos], z = cd$zbar[pos])
fits$gg <- data.frame(model = "gamma-gamma-published-zbar", term = c("p", "q", "gamma"), estimate = f$par, log_lik = f$ll)
dn <- read.csv(file.path(data, "donations.csv"))
f <- fit(bb.ll, c(1, 1, 1, 1), x = dn$frequency, tx = dn$recency, n = dn$periods, w = dn$weights)
fits$bgbb <- data.frame(model = "bgbb", term = c("alpha", "beta", "gamma", "delta"), estimate = f$par, log_lik = f$ll)
ses[[2]] <- data.frame(model = "bgbb", term = c("alpha", "beta", "gamma", "delta"),
                       std_error = fit_se(bb.ll, f$par, x = dn$frequency, tx = dn$recency,
                                          n = dn$periods, w = dn$weights))
w(do.call(rbind, fits), "r-fits.csv")
w(do.call(rbind, ses), "r-se.csv")

# ---- individual predictions at fixed (published) parameters ------------------
# customers: the first 40 of the CDNOW summary plus extremes and synthetic cases
pick <- c(1:40, which.max(x), which.max(tx), which.min(TT))
cases <- data.frame(customer_id = cd$ID[pick], x = x[pick], t_x = tx[pick], T = TT[pick])
extra <- data.frame(customer_id = c("big-x", "big-T", "late", "xt"),
                    x = c(60, 3, 10, 25), t_x = c(38, 100, 5, 300), T = c(39, 500, 120, 310))
cases <- rbind(cases, extra)
pb <- c(0.243, 4.414, 0.793, 2.426)
pm <- c(0.525, 6.183, 0.891, 1.614)
pp <- c(0.553, 10.578, 0.606, 11.669)
pr <- lapply(seq_len(nrow(cases)), function(i) {
  a <- cases$x[i]; b <- cases$t_x[i]; c <- cases$T[i]
  data.frame(bg_palive = bg.palive(pb, a, b, c), bg_cet39 = bg.cet(pb, 39, a, b, c),
             bg_cet104 = bg.cet(pb, 104, a, b, c),
             mbg_palive = bg.palive(pm, a, b, c, 1), mbg_cet39 = bg.cet(pm, 39, a, b, c, 1),
             pn_palive = pn.palive(pp, a, b, c), pn_cet39 = pn.cet(pp, 39, a, b, c))
})
w(cbind(cases, do.call(rbind, pr)), "r-predictions.csv")
w(cases, "cases.csv")
# unconditional E[X(t)] (x = t_x = T = 0, P(alive) 1 for BG/NBD)
et <- c(1, 13, 39, 78, 520)
w(data.frame(t = et, bg = sapply(et, function(t) bg.cet(pb, t, 0, 0, 0)),
             mbg = sapply(et, function(t) bg.cet(pm, t, 0, 0, 0, 1)),
             pnbd = sapply(et, function(t) pn.cet(pp, t, 0, 0, 0))), "r-expected.csv")
pbb <- c(1.204, 0.750, 0.657, 2.783)
bbp <- lapply(seq_len(nrow(dn)), function(i) with(dn[i, ], data.frame(
  x = frequency, t_x = recency, n = periods,
  palive = bb.palive(pbb, frequency, recency, periods),
  cet5 = bb.cet(pbb, 5, frequency, recency, periods))))
w(do.call(rbind, bbp), "r-bgbb.csv")
pg <- c(6.25, 3.74, 15.44)
w(data.frame(x = c(1, 2, 10), zbar = c(11.77, 22.35, 40),
             spend = (pg[1] * (pg[3] + c(1, 2, 10) * c(11.77, 22.35, 40))) /
                     (pg[1] * c(1, 2, 10) + pg[2] - 1)), "r-spend.csv")

# ---- Pareto/NBD P(at least one purchase in t), by direct 2-D expectation -----
# Given alive at T: lambda ~ Gamma(r+x, alpha+T), mu ~ Gamma(s, beta+T); no purchase
# with probability mu/(lambda+mu) + lambda/(lambda+mu) exp(-(lambda+mu) t).  The
# expectation is taken over the two quantile functions (no closed form used).
pn.ppurchase <- function(p, t, x, tx, TT) {
  r <- p[1]; al <- p[2]; s <- p[3]; be <- p[4]
  inner <- function(lam) sapply(lam, function(l) integrate(function(v) {
    mu <- qgamma(v, s, be + TT)
    mu / (l + mu) + l / (l + mu) * exp(-(l + mu) * t) }, 0, 1, rel.tol = 1e-11)$value)
  none <- integrate(function(u) inner(qgamma(u, r + x, al + TT)), 0, 1, rel.tol = 1e-10)$value
  pn.palive(p, x, tx, TT) * (1 - none)
}
k <- c(1:6, nrow(cases) - 3)   # six CDNOW customers and "big-x"
w(data.frame(customer_id = cases$customer_id[k],
             p_purchase = mapply(function(a, b, c) pn.ppurchase(pp, 39, a, b, c),
                                 cases$x[k], cases$t_x[k], cases$T[k])), "r-pnbd-ppurchase.csv")
