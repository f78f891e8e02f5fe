% tests/oracles/cx-kpi/erlang-bc.m: reference Erlang B and C values from GNU
% Octave's queueing package (Debian octave-queueing: erlangb.m iterates
% 1/B(k) = 1 + k/A * 1/B(k-1); erlangc.m is B / (1 - rho (1 - B))), an
% independent computation of what cx-kpi does with the forward recursion.
% Run from the repository root:
%   octave-cli --no-gui tests/oracles/cx-kpi/erlang-bc.m > testdata/cx-kpi/oracle-erlang-bc.csv
% tests/cx-kpi.sh compares cx-kpi erlang against the committed output to 1e-12.
pkg load queueing
% (traffic A in Erlangs, agents N): textbook table points, the Call Centre
% Helper example, and loads up to 10,000 agents (where factorials overflow).
cases = [ 2 5; 5 10; 10 14; 10 11; 10 20; 0.5 1; 0.5 2; 1 2; 3.7 6; 7.25 9;
          20 25; 47.5 55; 99.9 100; 100 101; 100 120; 170 180; 171 200; 250 260;
          500 520; 999.5 1000; 1000 1050; 2500 2600; 5000 5005; 5000 5100;
          7777.7 7800; 9000 9100; 9990 10000; 9500 10000; 100 10000; 1 10000 ];
printf("traffic,agents,erlang_b,erlang_c\n");
for i = 1:rows(cases)
  A = cases(i, 1); N = cases(i, 2);
  printf("%.17g,%d,%.17g,%.17g\n", A, N, erlangb(A, N), erlangc(A, N));
end
