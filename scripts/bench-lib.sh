# bench-lib.sh: timing helpers sourced by scripts/bench and scripts/bench.d/*.sh.

# bench_time N CMD...: best wall time in seconds of N runs, output discarded.
bench_time() {
	n=$1; shift
	best=
	i=0
	while [ "$i" -lt "$n" ]; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
		e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
		i=$((i + 1))
	done
	printf '%.3f\n' "$best"
}

# bench_mb FILE: size in MB (10^6 bytes).
bench_mb() {
	printf '%.1f\n' "$(echo "$(wc -c <"$1") / 1000000" | bc -l)"
}

# bench_line LABEL SECONDS MB: one aligned result line with throughput.
bench_line() {
	printf '  %-44s %8.3f s  %8.1f MB/s\n' "$1" "$2" "$(echo "$3 / $2" | bc -l)"
}

# bench_ratio LABEL BASE_SECONDS TOOL_SECONDS: base/tool (> 1 means the tool is faster).
bench_ratio() {
	printf '  %-56s %6.2f\n' "$1" "$(echo "$2 / $3" | bc -l)"
}

# bench_rss CMD...: peak resident set in kB (GNU time).
bench_rss() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
}
