# The BG/NBD fit an R user would write (vectorised log-likelihood of Fader,
# Hardie and Lee 2005 eq. 6 over all customers, optim on log parameters with a
# numerical gradient), as BTYD's bgnbd.EstimateParameters does it: L-BFGS-B
# with bounds (1e-4, 1e4) from c(1, 3, 1, 3)), timed by scripts/bench.d/clv.sh against cx-clv fit.
#   Rscript tests/oracles/cx-clv/bench-fit.R SUMMARY.csv
# Prints "r alpha a b log_lik seconds".
args <- commandArgs(TRUE)
d <- read.csv(args[1])
x <- d$x; tx <- d$t_x; TT <- d$T
ll <- function(u) {
  r <- exp(u[1]); al <- exp(u[2]); a <- exp(u[3]); b <- exp(u[4])
  A1 <- lgamma(r + x) - lgamma(r) + r * log(al)
  A2 <- lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x)
  A3 <- -(r + x) * log(al + TT)
  A4 <- ifelse(x > 0, log(a) - log(b + pmax(x, 1) - 1) - (r + x) * log(al + tx), -Inf)
  -sum(A1 + A2 + pmax(A3, A4) + log1p(exp(-abs(A3 - A4))))
}
t0 <- proc.time()[["elapsed"]]
o <- optim(log(c(1, 3, 1, 3)), ll, method = "L-BFGS-B", lower = log(1e-4), upper = log(1e4),
           control = list(maxit = 1000))
t1 <- proc.time()[["elapsed"]]
cat(sprintf("%.6f %.6f %.6f %.6f %.4f %.3f\n", exp(o$par[1]), exp(o$par[2]), exp(o$par[3]),
            exp(o$par[4]), -o$value, t1 - t0))
