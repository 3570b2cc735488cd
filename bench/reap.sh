#!/usr/bin/env bash
# Benchmark 4: reaping throughput. Each init runs as PID 1 of
# `unshare --pid --fork --mount-proc INIT -- reapbench N 10000 COUNTFILE` on the host:
# bench/helpers/reapbench.c hands it orphaned zombies in batches of 10,000 (the host's pid_max
# is 32768 here, so not all 100,000 at once) and times each batch from the moment they are the
# init's until all are reaped. N = 100,000 (--quick: 10,000); the figure is the sum over the
# batches, and throughput is N over it. dind-init (static, a config with no services and no
# control socket) vs `tini -s` vs catatonit, interleaved, BENCH_ROUNDS rounds.
# COUNTFILE is pids.current of a pids cgroup made for the run (v1 or v2); without one, reapbench
# counts the entries of /proc, which is slower and blurs the figure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

N=100000
[ "$BENCH_QUICK" = 1 ] && N=10000
BATCH=10000

cleanup_hook() {
	[ -z "${CG:-}" ] || rmdir "$CG" 2>/dev/null || true
}

make_cgroup() {
	CG=
	if [ -d /sys/fs/cgroup/pids ] && [ -w /sys/fs/cgroup/pids ]; then
		CG=/sys/fs/cgroup/pids/dind-init-bench-$$
	elif grep -qw pids /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
		CG=/sys/fs/cgroup/dind-init-bench-$$
	fi
	if [ -n "$CG" ] && mkdir "$CG" 2>/dev/null; then
		COUNT=$CG/pids.current
	else
		note "no pids cgroup: counting /proc entries instead (coarser)"
		CG=
		COUNT=-
	fi
}

# run_one NAME: total reap time in ns of N orphans under that init, appended to $WORK/t-NAME
run_one() {
	local name=$1 out=$WORK/out-$1
	(
		[ -z "$CG" ] || echo "$BASHPID" >"$CG/cgroup.procs"
		# shellcheck disable=SC2086
		exec unshare --pid --fork --mount-proc ${CMD[$name]} "$REAPBENCH" "$N" "$BATCH" "$COUNT"
	) >"$out" 2>"$WORK/err-$name" || {
		cat "$WORK/err-$name" >&2
		die "$name: reapbench failed"
	}
	awk '{ t += $1; n += $2 } END { if (n != '"$N"') exit 1; print t }' "$out" >>"$WORK/t-$name" ||
		die "$name: reapbench printed $(cat "$out")"
	awk '{ c += $3 } END { print c }' "$out" >>"$WORK/cpu-$name"
}

main() {
	bench_tmp
	need_tools tini catatonit unshare
	[ "$(id -u)" = 0 ] || die "run it as root (PID namespaces, cgroups)"
	build_dind_init
	REAPBENCH=$(helper reapbench)
	local ini=$WORK/plain.ini r name
	printf '[init]\ncontrol_socket = none\n' >"$ini"
	declare -gA CMD=(
		[dind-init]="$DIND_INIT -c $ini --"
		[tini]="/usr/bin/tini -s --"
		[catatonit]="/usr/bin/catatonit --"
	)
	make_cgroup
	for r in $(seq "$BENCH_ROUNDS"); do
		for name in dind-init tini catatonit; do
			run_one "$name"
		done
		note "round $r: dind-init $(scale "$(tail -n 1 "$WORK/t-dind-init")" 1e6 1) ms, tini $(scale "$(tail -n 1 "$WORK/t-tini")" 1e6 1) ms, catatonit $(scale "$(tail -n 1 "$WORK/t-catatonit")" 1e6 1) ms for $N"
	done
	# throughput ratio dind-init/X = time X / time dind-init
	ratios "$WORK/t-tini" "$WORK/t-dind-init" "$WORK/r-tini"
	ratios "$WORK/t-catatonit" "$WORK/t-dind-init" "$WORK/r-catatonit"
	for name in dind-init tini catatonit; do
		awk -v n="$N" '{ print n / ($1 / 1e9) }' "$WORK/t-$name" >"$WORK/rate-$name"
	done
	row_from "$WORK/t-dind-init" "4 reap $N orphans: dind-init" 1e6 1 ms
	ratio_text "$WORK/r-tini"
	row_from "$WORK/t-tini" "4 reap $N orphans: tini -s" 1e6 1 ms \
		"throughput dind-init/tini $RATIO_TXT" "≥ 1" "$(met "$RATIO_MED" ge 1)"
	ratio_text "$WORK/r-catatonit"
	row_from "$WORK/t-catatonit" "4 reap $N orphans: catatonit" 1e6 1 ms \
		"throughput dind-init/catatonit $RATIO_TXT"
	row_from "$WORK/rate-dind-init" "4 reaping throughput: dind-init" 1000 0 k/s
	# CPU time of the init per reaped orphan (its /proc/1/schedstat during the reap windows)
	for name in dind-init tini catatonit; do
		awk -v n="$N" '{ print $1 / n }' "$WORK/cpu-$name" >"$WORK/cpo-$name"
	done
	ratios "$WORK/cpo-dind-init" "$WORK/cpo-tini" "$WORK/rc-tini"
	ratios "$WORK/cpo-dind-init" "$WORK/cpo-catatonit" "$WORK/rc-catatonit"
	row_from "$WORK/cpo-dind-init" "4 init CPU per reaped orphan: dind-init" 1000 2 µs
	ratio_text "$WORK/rc-tini"
	row_from "$WORK/cpo-tini" "4 init CPU per reaped orphan: tini -s" 1000 2 µs "dind-init/tini $RATIO_TXT"
	ratio_text "$WORK/rc-catatonit"
	row_from "$WORK/cpo-catatonit" "4 init CPU per reaped orphan: catatonit" 1000 2 µs "dind-init/catatonit $RATIO_TXT"
}

main "$@"
