#!/usr/bin/env bash
# Benchmark 5: spawn overhead. Wall time of `dind-init -- /bin/true` (static; a config with no
# services and no control socket, --no-setup), `tini -- /bin/true` (Debian's, dynamic) and bare
# `/bin/true`, each posix_spawn()ed and waited for by bench/helpers/spawnbench.c, interleaved,
# 100 runs each (--quick too: it takes seconds). Not PID 1 here: dind-init makes itself a child
# subreaper and tini prints its warning (to /dev/null, like all output). The overhead is the
# difference of the medians with bare /bin/true.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

N=100

main() {
	bench_tmp
	need_tools tini
	build_dind_init
	local ini=$WORK/plain.ini name i med_true med
	printf '[init]\ncontrol_socket = none\n' >"$ini"
	"$(helper spawnbench)" "$N" "$DIND_INIT" -c "$ini" --no-setup -- /bin/true \
		:: /usr/bin/tini -- /bin/true :: /bin/true >"$WORK/samples" || die "spawnbench failed"
	i=0
	for name in dind-init tini true; do
		awk -v i="$i" '$1 == i { print $2 }' "$WORK/samples" >"$WORK/t-$name"
		i=$((i + 1))
	done
	ratios "$WORK/t-dind-init" "$WORK/t-tini" "$WORK/r-tini"
	ratios "$WORK/t-dind-init" "$WORK/t-true" "$WORK/r-true"
	read -r med_true _ _ < <(summary "$WORK/t-true")
	read -r med _ _ < <(summary "$WORK/t-dind-init")
	row_from "$WORK/t-dind-init" "5 spawn: dind-init -- /bin/true ($N runs)" 1e6 2 ms \
		"overhead $(scale "$(awk -v a="$med" -v b="$med_true" 'BEGIN { print a - b }')" 1e6 2) ms"
	ratio_text "$WORK/r-tini"
	read -r med _ _ < <(summary "$WORK/t-tini")
	row_from "$WORK/t-tini" "5 spawn: tini -- /bin/true" 1e6 2 ms \
		"dind-init/tini $RATIO_TXT; overhead $(scale "$(awk -v a="$med" -v b="$med_true" 'BEGIN { print a - b }')" 1e6 2) ms"
	ratio_text "$WORK/r-true"
	row_from "$WORK/t-true" "5 spawn: /bin/true" 1e6 2 ms "dind-init/bare $RATIO_TXT"
}

main "$@"
