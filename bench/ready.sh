#!/usr/bin/env bash
# Benchmark 1: time to a ready Docker. From `docker run -d` of the image to the first successful
# GET /_ping made by the job (the command the init starts once it says Docker is ready), for
#   (a) dind-init with the default config,
#   (b) bench/handtuned.sh: containerd, its socket polled every 10 ms, dockerd, /_ping every 10 ms,
#   (c) bench/classic.sh: nohup containerd & nohup dockerd &, until docker info; do sleep 1; done,
# run interleaved a b c a b c ..., each in a fresh container with a fresh /var/lib/docker volume.
#
# How it is timed: the host takes CLOCK_REALTIME ($EPOCHREALTIME) just before `docker run -d`.
# The container's entrypoint is bench/helpers/dockping ("launch"), which writes its own start time,
# forks a poller that records the first 200 from /_ping (every 2 ms: when dockerd really serves)
# and execs the variant, which stays PID 1. The job is `dockping stamp`: it records the time of its
# own first 200. Containers share CLOCK_REALTIME with the host, so no `docker exec` (50-100 ms
# of its own, and variable) is on the measured path; the host only reads the files afterwards.
# The three figures per run: total (host start -> job's 200), in-container (dockping's start ->
# job's 200), and lag (dockerd serving -> job's 200: how late the init noticed).
# The dind-init under test is the static build of this tree (or $BENCH_REF), mounted over the
# image's, with this tree's config/dind-init.ini.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

VARIANTS=(a b c)
declare -A LABEL=([a]="(a) dind-init" [b]="(b) hand-tuned script" [c]="(c) classic recipe")

cleanup_hook() {
	local ids
	ids=$("$DOCKER" ps -aq --filter "name=^bench-ready-$$-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
}

# run_one VARIANT ROUND: one container; appends to $WORK/{total,inside,lag}-VARIANT
run_one() {
	local v=$1 r=$2 name=bench-ready-$$-$1-$2 out=$WORK/out-$1-$2 t0 start job serving
	local sock=/var/run/docker.sock cmd i
	mkdir -p "$out"
	case "$v" in
	a) cmd=(dind-init --) ;;
	b) cmd=(/bin/sh /bench/handtuned.sh) ;;
	c) cmd=(/bin/sh /bench/classic.sh) ;;
	esac
	t0=$(now_ns)
	"$DOCKER" run -d --name "$name" "${FLAGS[@]}" \
		-v "$BIN:/bench:ro" -v "$out:/bench-out" \
		-v "$DIND_INIT:/usr/local/sbin/dind-init:ro" -v "$DIND_INIT_INI:/etc/dind-init.ini:ro" \
		--entrypoint /bench/dockping "$E2E_IMAGE" launch /bench-out "$sock" -- \
		"${cmd[@]}" /bench/dockping stamp /bench-out/job "$sock" >/dev/null ||
		die "docker run of variant $v failed"
	for i in $(seq 1200); do
		[ -s "$out/job" ] && [ -s "$out/serving" ] && break
		# a container that died (a config error, say) fails at once, not after 120 s
		if [ $((i % 10)) = 0 ] && [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" != true ]; then
			break
		fi
		sleep 0.1
	done
	if ! [ -s "$out/job" ] || ! [ -s "$out/serving" ]; then
		"$DOCKER" logs "$name" 2>&1 | tail -n 30 >&2
		die "variant $v: no ready Docker (it exited, or not within 120 s; its last lines above)"
	fi
	start=$(<"$out/start")
	job=$(<"$out/job")
	serving=$(<"$out/serving")
	"$DOCKER" rm -f -v "$name" >/dev/null
	echo $((job - t0)) >>"$WORK/total-$v"
	echo $((job - start)) >>"$WORK/inside-$v"
	echo $((job - serving)) >>"$WORK/lag-$v"
	note "round $r ${LABEL[$v]}: total $(scale $((job - t0)) 1e9 3) s, in container $(scale $((job - start)) 1e9 3) s, lag $(scale $((job - serving)) 1e6 1) ms"
}

main() {
	bench_tmp
	docker_env
	build_dind_init
	BIN=$WORK/bin
	mkdir -p "$BIN"
	cp "$(helper dockping)" "$BIN/dockping"
	cp "$BENCH_DIR/handtuned.sh" "$BENCH_DIR/classic.sh" "$BIN/"
	local r v
	for r in $(seq "$BENCH_ROUNDS"); do
		for v in "${VARIANTS[@]}"; do
			run_one "$v" "$r"
		done
	done
	ratios "$WORK/total-a" "$WORK/total-b" "$WORK/r-ab"
	ratios "$WORK/total-a" "$WORK/total-c" "$WORK/r-ac"
	row_from "$WORK/total-a" "1 ready: ${LABEL[a]}, docker run -d to /_ping" 1e9 3 s
	ratio_text "$WORK/r-ab"
	row_from "$WORK/total-b" "1 ready: ${LABEL[b]}" 1e9 3 s "(a)/(b) $RATIO_TXT" "(a)/(b) ≤ 1.05" "$(met "$RATIO_MED" le 1.05)"
	ratio_text "$WORK/r-ac"
	row_from "$WORK/total-c" "1 ready: ${LABEL[c]}" 1e9 3 s "(a)/(c) $RATIO_TXT" "(a)/(c) ≤ 0.75" "$(met "$RATIO_MED" le 0.75)"
	ratios "$WORK/inside-a" "$WORK/inside-b" "$WORK/ri-ab"
	ratios "$WORK/inside-a" "$WORK/inside-c" "$WORK/ri-ac"
	row_from "$WORK/inside-a" "1 ready in container (PID 1 start to /_ping): (a)" 1e9 3 s
	ratio_text "$WORK/ri-ab"
	row_from "$WORK/inside-b" "1 ready in container: (b)" 1e9 3 s "(a)/(b) $RATIO_TXT"
	ratio_text "$WORK/ri-ac"
	row_from "$WORK/inside-c" "1 ready in container: (c)" 1e9 3 s "(a)/(c) $RATIO_TXT"
	for v in "${VARIANTS[@]}"; do
		row_from "$WORK/lag-$v" "1 lag, dockerd serving to the job's /_ping: ${LABEL[$v]}" 1e6 1 ms
	done
}

main "$@"
