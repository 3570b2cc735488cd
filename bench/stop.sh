#!/usr/bin/env bash
# Benchmark 2: time to stop. A dind-init container (the default config, debug log) running one
# nested container; `docker stop` (its default 10 s grace) timed from the host until it returns,
# i.e. until the container has exited. Per run also: whether anything was SIGKILLed (dind-init
# logs "sending SIGKILL" whenever it had to, and an exit code of 137 means Docker itself killed
# dind-init at the end of the grace period), and the in-container span from "shutting down" to
# "shutdown complete" in dind-init's debug timestamps.
# The nested container is a well-behaved one: `sh -c 'trap "exit 0" TERM; sleep 1000 & wait'`
# (a PID 1 that ignores SIGTERM would make dockerd wait its own 10 s before killing it).
#
# The same runs give the READY=1-to-ready figure of benchmark 1: dind-init's debug lines
#   [dind-init 17:37:19.798] debug: service dockerd: READY=1 from pid 15
#   [dind-init 17:37:19.798] service dockerd is ready
# (millisecond timestamps, CLOCK_REALTIME). Both are taken after the datagram was read, so this
# is dind-init's own processing time; the end-to-end lag (dockerd serving -> the job's /_ping)
# is bench/ready.sh's "lag" row. BENCH_KEEP_LOGS=DIR keeps the containers' logs there.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

cleanup_hook() {
	local ids
	ids=$("$DOCKER" ps -aq --filter "name=^bench-stop-$$-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
}

# ms LINE: the [dind-init HH:MM:SS.ffffff] timestamp of LINE in ms since midnight (the debug
# log has microseconds; older builds had milliseconds: both are read)
ms() {
	sed -n 's/^\[dind-init \([0-9][0-9]\):\([0-9][0-9]\):\([0-9][0-9]\)\.\([0-9]*\)\].*/\1 \2 \3 \4/p' <<<"$1" |
		awk '{ printf "%.3f\n", ((($1 * 60 + $2) * 60 + $3) + ("0." $4)) * 1000 }'
}

# span LOG FROM TO: ms between the first line matching FROM and the first matching TO after it
span() {
	local from to
	from=$(grep -m 1 -- "^\[dind-init [^]]*\] .*$2" "$1") || return 1
	to=$(grep -m 1 -- "^\[dind-init [^]]*\] .*$3" "$1") || return 1
	awk -v a="$(ms "$from")" -v b="$(ms "$to")" 'BEGIN { printf "%.3f\n", b - a }'
}

run_one() {
	local r=$1 name=bench-stop-$$-$1 log=$WORK/log-$1 t0 t1 code kills
	"$DOCKER" run -d --name "$name" "${FLAGS[@]}" \
		-v "$DIND_INIT:/usr/local/sbin/dind-init:ro" -v "$DIND_INIT_INI:/etc/dind-init.ini:ro" \
		"$E2E_IMAGE" -v >/dev/null || die "docker run failed"
	timeout 150 "$DOCKER" exec "$name" dind-ctl wait --timeout 120s >/dev/null || {
		"$DOCKER" logs "$name" 2>&1 | tail -n 30 >&2
		die "dockerd in $name was not ready within 120 s (its last lines above)"
	}
	timeout 120 "$DOCKER" exec -i "$name" docker load <"$TINY_TAR" >/dev/null || die "docker load failed"
	timeout 120 "$DOCKER" exec "$name" docker run -d --name nested "$TINY_IMAGE" \
		sh -c 'trap "exit 0" TERM; sleep 1000 & wait' >/dev/null || die "nested docker run failed"
	t0=$(now_ns)
	timeout 120 "$DOCKER" stop "$name" >/dev/null || die "docker stop $name failed"
	t1=$(now_ns)
	code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")
	"$DOCKER" logs "$name" >"$log" 2>&1
	"$DOCKER" rm -f -v "$name" >/dev/null
	kills=$(grep -c 'sending SIGKILL' "$log" || true)
	[ "$code" != 137 ] || kills=$((kills + 1))
	echo $((t1 - t0)) >>"$WORK/stop"
	echo "$kills" >>"$WORK/kills"
	echo "$code" >>"$WORK/codes"
	span "$log" 'shutting down' 'shutdown complete' >>"$WORK/inside" || true
	span "$log" 'service dockerd: READY=1 from' 'service dockerd is ready' >>"$WORK/ready-dockerd" ||
		note "round $r: no READY=1/ready lines for dockerd in the debug log"
	span "$log" 'service containerd: READY=1 from' 'service containerd is ready' >>"$WORK/ready-containerd" || true
	note "round $r: docker stop took $(scale $((t1 - t0)) 1e9 3) s, exit code $code, SIGKILLs $kills"
}

main() {
	bench_tmp
	docker_env
	build_dind_init
	TINY_TAR=$("$REPO/tests/e2e/docker-env.sh" --tiny-image) || die "no tiny image"
	TINY_IMAGE=dind-init-e2e/tiny:latest
	local r kills codes
	for r in $(seq "$BENCH_ROUNDS"); do
		run_one "$r"
	done
	kills=$(awk '{ s += $1 } END { print s + 0 }' "$WORK/kills")
	codes=$(sort -u "$WORK/codes" | paste -sd, -)
	row_from "$WORK/stop" "2 stop: docker stop, 1 nested container" 1e9 3 s \
		"SIGKILLs: $kills, exit codes: $codes" "no SIGKILL" "$([ "$kills" = 0 ] && echo yes || echo no)"
	[ ! -s "$WORK/inside" ] || row_from "$WORK/inside" "2 stop: in dind-init, shutting down to complete" 1 0 ms
	# judged on the median, like every other row; the max shows the outliers
	row_from "$WORK/ready-dockerd" "1 READY=1 to ready in dind-init's debug log: dockerd" 1 3 ms "" "< 5 ms" \
		"$(met "$(summary "$WORK/ready-dockerd" | cut -d' ' -f1)" lt 5)"
	[ ! -s "$WORK/ready-containerd" ] ||
		row_from "$WORK/ready-containerd" "1 READY=1 to ready in dind-init's debug log: containerd" 1 3 ms "" "< 5 ms" \
			"$(met "$(summary "$WORK/ready-containerd" | cut -d' ' -f1)" lt 5)"
	if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
		mkdir -p "$BENCH_KEEP_LOGS"
		cp "$WORK"/log-* "$BENCH_KEEP_LOGS/"
	fi
}

main "$@"
