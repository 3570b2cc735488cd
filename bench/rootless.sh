#!/usr/bin/env bash
# Benchmark 8: time to a ready Docker, rootless image against the rootful one. From `docker run -d`
# to the first 200 from /_ping made by the job (the main command dind-init starts once it says
# dockerd is ready), for
#   (a) images/debian (dind-init:e2e): dockerd as root, containerd as its own service,
#   (r) images/rootless (dind-init:e2e-rootless): dockerd as uid 1000 inside RootlessKit (user,
#       mount and network namespaces, slirp4netns), containerd started by dockerd-rootless just
#       before dockerd and handed over with --containerd,
#   (u) the same image with dockerd-rootless's last part as docker:dind-rootless has it (`exec
#       dockerd`: dockerd starts its own managed containerd), made from the image's script at
#       run time and mounted over it,
# run interleaved a r u a r u ..., each in a fresh container with a fresh data volume, the same run
# flags, each image as built from this tree with its own default config (TLS on: both make their
# certificates). Timed as in benchmark 1 (bench/ready.sh): bench/helpers/dockping is the
# entrypoint, records its start and when dockerd first serves (/_ping every 2 ms, as root), then
# execs dind-init; the job `dockping stamp` records its own first 200 (as root in (a), as the user
# rootless in (r), through the socket each image's DOCKER_HOST names).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

: "${E2E_ROOTLESS_IMAGE:=dind-init:e2e-rootless}"
VARIANTS=(a r u)
declare -A LABEL=([a]="(a) rootful image" [r]="(r) rootless image"
	[u]="(u) rootless, dockerd's managed containerd")
declare -A IMAGE=([a]="$E2E_IMAGE" [r]="$E2E_ROOTLESS_IMAGE" [u]="$E2E_ROOTLESS_IMAGE")
declare -A SOCK=([a]=/var/run/docker.sock [r]=/run/user/1000/docker.sock
	[u]=/run/user/1000/docker.sock)
declare -A DATA=([a]=/var/lib/docker [r]=/home/rootless/.local/share/docker
	[u]=/home/rootless/.local/share/docker)
WRAPPER=/usr/local/libexec/dind-init/dockerd-rootless

cleanup_hook() {
	local ids
	ids=$("$DOCKER" ps -aq --filter "name=^bench-rootless-$$-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
}

# run_one VARIANT ROUND: one container; appends to $WORK/{total,inside}-VARIANT
run_one() {
	local v=$1 r=$2 name=bench-rootless-$$-$1-$2 out=$WORK/out-$1-$2 t0 start job i extra=()
	mkdir -p "$out"
	[ "$v" != u ] || extra=(-v "$WORK/managed:$WRAPPER:ro")
	# the job writes here as rootless in (r)
	chmod 1777 "$out"
	t0=$(now_ns)
	"$DOCKER" run -d --name "$name" "${FLAGS[@]}" "${extra[@]}" \
		-v "$BIN:/bench:ro" -v "$out:/bench-out" --mount "type=volume,dst=${DATA[$v]}" \
		--entrypoint /bench/dockping "${IMAGE[$v]}" launch /bench-out "${SOCK[$v]}" -- \
		dind-init -- /bench/dockping stamp /bench-out/job "${SOCK[$v]}" >/dev/null ||
		die "docker run of variant $v failed"
	for i in $(seq 1200); do
		[ -s "$out/job" ] && break
		if [ $((i % 10)) = 0 ] && [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" != true ]; then
			break
		fi
		sleep 0.1
	done
	if ! [ -s "$out/job" ]; then
		"$DOCKER" logs "$name" 2>&1 | tail -n 30 >&2
		die "variant $v: no ready Docker (it exited, or not within 120 s; its last lines above)"
	fi
	start=$(<"$out/start")
	job=$(<"$out/job")
	"$DOCKER" rm -f -v "$name" >/dev/null
	echo $((job - t0)) >>"$WORK/total-$v"
	echo $((job - start)) >>"$WORK/inside-$v"
	note "round $r ${LABEL[$v]}: total $(scale $((job - t0)) 1e9 3) s, in container $(scale $((job - start)) 1e9 3) s"
}

main() {
	bench_tmp
	docker_env
	"$DOCKER" image inspect "$E2E_ROOTLESS_IMAGE" >/dev/null 2>&1 ||
		die "image $E2E_ROOTLESS_IMAGE is missing: run tests/e2e/build-images.sh rootless first"
	BIN=$WORK/bin
	mkdir -p "$BIN"
	cp "$(helper dockping)" "$BIN/dockping"
	# (u): the image's script up to its cleanup in the namespaces, then exec dockerd
	"$DOCKER" run --rm --entrypoint cat "$E2E_ROOTLESS_IMAGE" "$WRAPPER" |
		awk '{ print } /^rm -f \/run\/docker \/run\/containerd \/run\/xtables.lock$/ { print "exec dockerd \"$@\""; exit }' \
			>"$WORK/managed"
	chmod 755 "$WORK/managed"
	grep -q '^exec dockerd "\$@"$' "$WORK/managed" || die "cannot make (u)'s script from $WRAPPER"
	local r v
	for r in $(seq "$BENCH_ROUNDS"); do
		for v in "${VARIANTS[@]}"; do
			run_one "$v" "$r"
		done
	done
	ratios "$WORK/total-r" "$WORK/total-a" "$WORK/r-ra"
	row_from "$WORK/total-a" "8 ready: ${LABEL[a]}, docker run -d to /_ping" 1e9 3 s
	ratio_text "$WORK/r-ra"
	row_from "$WORK/total-r" "8 ready: ${LABEL[r]}" 1e9 3 s "(r)/(a) $RATIO_TXT"
	ratios "$WORK/total-r" "$WORK/total-u" "$WORK/r-ru"
	ratio_text "$WORK/r-ru"
	row_from "$WORK/total-u" "8 ready: ${LABEL[u]}" 1e9 3 s "(r)/(u) $RATIO_TXT"
	ratios "$WORK/inside-r" "$WORK/inside-a" "$WORK/ri-ra"
	row_from "$WORK/inside-a" "8 ready in container (PID 1 start to /_ping): (a)" 1e9 3 s
	ratio_text "$WORK/ri-ra"
	row_from "$WORK/inside-r" "8 ready in container: (r)" 1e9 3 s "(r)/(a) $RATIO_TXT"
	ratios "$WORK/inside-r" "$WORK/inside-u" "$WORK/ri-ru"
	ratio_text "$WORK/ri-ru"
	row_from "$WORK/inside-u" "8 ready in container: (u)" 1e9 3 s "(r)/(u) $RATIO_TXT"
}

main "$@"
