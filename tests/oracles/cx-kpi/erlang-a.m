% tests/oracles/cx-kpi/erlang-a.m: reference Erlang A (M/M/N+M) values from a
% brute-force birth-death computation, independent of cx-kpi's closed forms:
%  - the stationary distribution solves pi Q = 0 for the truncated generator
%    (births lambda, deaths min(n,N) mu + max(n-N,0) theta) by a dense linear
%    solve, not by products of rates;
%  - the service level follows the arriving call as a Markov chain over "calls
%    ahead of it" with absorbing states served/abandoned, and takes
%    P(served by T) from the matrix exponential expm(G T), not from incomplete
%    beta functions.
% service_level = fraction of all calls answered within T; asa = mean wait of
% all calls (E[queue] / lambda); p_abandon = theta E[queue] / lambda;
% occupancy = lambda aht (1 - p_abandon) / N.  Run from the repository root:
%   octave-cli --no-gui tests/oracles/cx-kpi/erlang-a.m > testdata/cx-kpi/oracle-erlang-a.csv
% tests/cx-kpi.sh compares cx-kpi erlang --model a against it to 1e-9.
interval = 1800; T = 20;
% calls per interval, aht (s), patience (s), agents
cases = [ 100 180 60 10; 100 180 60 12; 100 180 60 14; 100 180 600 12;
          100 180 30 8; 100 180 180 1; 500 300 120 70; 500 300 120 90;
          50 240 180 3; 1000 200 300 115; 1000 200 300 125; 20 600 45 5;
          300 120 90 20; 300 120 900 22; 2000 180 240 200 ];
printf("interval,calls,aht,patience,agents,p_wait,service_level,asa,occupancy,p_abandon\n");
for i = 1:rows(cases)
  calls = cases(i,1); aht = cases(i,2); pat = cases(i,3); N = cases(i,4);
  lambda = calls / interval; mu = 1 / aht; theta = 1 / pat;
  jmode = max(0, (lambda - N * mu) / theta);
  K = N + ceil(jmode + 30 * sqrt(lambda / theta) + 100);
  n = (0:K)';
  death = min(n, N) * mu + max(n - N, 0) * theta;
  Q = diag(lambda * ones(K, 1), 1) + diag(death(2:end), -1);
  Q(K + 1, K + 1) = 0;
  Q = Q - diag(sum(Q, 2));
  M = Q'; M(end, :) = 1;
  rhs = zeros(K + 1, 1); rhs(end) = 1;
  p = M \ rhs;
  pw = sum(p(N + 1:end));
  EQ = sum(max(n - N, 0) .* p);
  pab = theta * EQ / lambda;
  % tagged call: states 1..J+1 are j = 0..J calls ahead, J+2 served, J+3 abandoned
  J = K - N;
  G = zeros(J + 3);
  for j = 0:J
    s = j + 1;
    if j > 0
      G(s, s - 1) = N * mu + j * theta;
    else
      G(s, J + 2) = N * mu;
    end
    G(s, J + 3) = theta;
    G(s, s) = -sum(G(s, :));
  end
  P = expm(G * T);
  sl = sum(p(1:N)) + sum(p(N + 1:end) .* P(1:J + 1, J + 2));
  occ = lambda * aht * (1 - pab) / N;
  printf("%d,%.17g,%.17g,%.17g,%d,%.17g,%.17g,%.17g,%.17g,%.17g\n", i, calls, aht, pat, N, ...
         pw, sl, EQ / lambda, occ, pab);
end
