#!/usr/bin/env bash
# Benchmark 3: what dind-init costs while it sits there, and its size next to tini and catatonit.
#
# Part 1, in real containers (the image, dockerd ready, no traffic: the image's HEALTHCHECK is
# turned off with --no-healthcheck, since `dind-ctl health` every 10 s is traffic), three at once:
#   default   the default config (dockerd's health probe every 10 s)
#   nohealth  the same without dockerd's health probe: nothing is ever due
#   fastprobe the same with health_interval = 1s, only to get enough probes for a median quickly
# Over D seconds (60, --quick: 15), dind-init's counters are read from the host every 50 ms:
# /proc/PID/schedstat (CPU time in ns, and the number of times it was scheduled in, i.e. its
# wakeups) and, at both ends, /proc/PID/stat utime+stime (clock ticks). Wakeups/min is the median
# of 5 sub-windows of D/5. CPU per probe: each burst of CPU time (consecutive 50 ms samples with
# some) in the fastprobe container is one probe. Then 5 s of `strace -c -p` on fastprobe and on
# nohealth give the syscalls (per probe, and with nothing due). RSS: VmRSS of PID 1, default.
#
# Part 2, on the host, each as PID 1 of `unshare --pid --fork --mount-proc INIT -- sleep 1000`,
# interleaved, 5 rounds: VmRSS of dind-init (static; a config with no services and no control
# socket), tini and tini-static (Debian's tini), catatonit. Binary sizes, with stripped sizes.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

D=60
[ "$BENCH_QUICK" = 1 ] && D=15

cleanup_hook() {
	local ids
	ids=$("$DOCKER" ps -aq --filter "name=^bench-idle-$$-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
	[ -z "${UNSHARE_PID:-}" ] || kill -KILL "$UNSHARE_PID" 2>/dev/null || true
}

# ticks PID: utime + stime from /proc/PID/stat (fields 14, 15, after the ") ")
ticks() {
	local s
	s=$(<"/proc/$1/stat")
	s=${s##*) }
	awk '{ print $12 + $13 }' <<<"$s"
}

rss_kb() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

start_container() {
	local kind=$1 ini=$WORK/$1.ini
	case "$kind" in
	default) cp "$DIND_INIT_INI" "$ini" ;;
	nohealth) grep -v '^health' "$DIND_INIT_INI" >"$ini" ;;
	fastprobe) sed 's/^health_interval *=.*/health_interval = 1s/' "$DIND_INIT_INI" >"$ini" ;;
	esac
	chmod 644 "$ini"
	"$DOCKER" run -d --name "bench-idle-$$-$kind" --no-healthcheck "${FLAGS[@]}" \
		-v "$DIND_INIT:/usr/local/sbin/dind-init:ro" -v "$ini:/etc/dind-init.ini:ro" \
		"$E2E_IMAGE" >/dev/null || die "docker run ($kind) failed"
}

container_pid() {
	timeout 150 "$DOCKER" exec "bench-idle-$$-$1" dind-ctl wait --timeout 120s >/dev/null ||
		die "dockerd in the $1 container was not ready within 120 s"
	"$DOCKER" inspect -f '{{.State.Pid}}' "bench-idle-$$-$1"
}

# sample SECONDS PID...: "t_ns pid runtime_ns wakeups" lines every 50 ms
sample() {
	local end p rt wt n t
	end=$(($(now_ns) + $1 * 1000000000))
	shift
	while :; do
		t=$(now_ns)
		for p in "$@"; do
			read -r rt wt n <"/proc/$p/schedstat"
			echo "$t $p $rt $n"
		done
		[ "$t" -lt "$end" ] || break
		sleep 0.05
	done
	: "$wt"
}

# part 1
in_containers() {
	local k pid_default pid_nohealth pid_fast t_default t_nohealth
	for k in default nohealth fastprobe; do
		start_container "$k"
	done
	pid_default=$(container_pid default)
	pid_nohealth=$(container_pid nohealth)
	pid_fast=$(container_pid fastprobe)
	sleep 2 # the first health probe and dockerd's start-up chatter are over
	t_default=$(ticks "$pid_default")
	t_nohealth=$(ticks "$pid_nohealth")
	note "sampling dind-init in 3 idle containers for $D s"
	sample "$D" "$pid_default" "$pid_nohealth" "$pid_fast" >"$WORK/samples"
	echo $(($(ticks "$pid_default") - t_default)) >"$WORK/ticks-default"
	echo $(($(ticks "$pid_nohealth") - t_nohealth)) >"$WORK/ticks-nohealth"
	rss_kb "$pid_default" >"$WORK/rss-container"
	timeout -s INT 5 strace -c -p "$pid_fast" -o "$WORK/strace-fast" 2>/dev/null &
	timeout -s INT 5 strace -c -p "$pid_nohealth" -o "$WORK/strace-nohealth" 2>/dev/null &
	wait
	local pid k2
	for k2 in default nohealth; do
		pid=$pid_default
		[ "$k2" = nohealth ] && pid=$pid_nohealth
		# wakeups per minute in each of 5 sub-windows
		awk -v p="$pid" -v d="$D" '$2 == p {
			if (!n++) { t0 = $1; w0 = $4; last = -1 }
			i = int(5 * ($1 - t0) / (d * 1e9)); if (i > 4) i = 4
			w[i] = $4
		} END {
			prev = w0
			for (i = 0; i < 5; i++) { print (w[i] - prev) * 60 / (d / 5); prev = w[i] }
		}' "$WORK/samples" >"$WORK/wakeups-$k2"
		awk -v p="$pid" '$2 == p { if (!n++) r0 = $3; r = $3 } END { print r - r0 }' \
			"$WORK/samples" >"$WORK/cpu-$k2"
	done
	# CPU bursts of the fastprobe container: one per probe
	awk -v p="$pid_fast" '$2 == p {
		if (n++) { d = $3 - r; if (d > 0) { b += d; nb++ } else if (b > 0) { print b; b = 0 } }
		r = $3
	}' "$WORK/samples" >"$WORK/probe-cpu"
	[ -s "$WORK/probe-cpu" ] || echo nan >"$WORK/probe-cpu"

	local rows
	read -r rows _ _ < <(summary "$WORK/wakeups-nohealth")
	row_from "$WORK/wakeups-nohealth" "3 idle wakeups/min of dind-init, no probe due ($D s)" 1 1 "" \
		"" "0" "$(met "$rows" le 0)"
	row "3 idle wakeups/min, default config (probe every 10 s)" \
		"$(awk -v d="$D" '{ s += $1 } END { printf "%.1f", s / 5 }' "$WORK/wakeups-default")" "-" "-" \
		"over the whole $D s"
	local cpu_ms
	cpu_ms=$(scale "$(cat "$WORK/cpu-default")" 1e6 3)
	row "3 idle CPU of dind-init, default config, $D s" "$cpu_ms ms" "-" "-" \
		"$(cat "$WORK/ticks-default") ticks utime+stime"
	row "3 idle CPU of dind-init, no probe due, $D s" "$(scale "$(cat "$WORK/cpu-nohealth")" 1e6 3) ms" "-" "-" \
		"$(cat "$WORK/ticks-nohealth") ticks utime+stime"
	local med
	read -r med _ _ < <(summary "$WORK/probe-cpu")
	row_from "$WORK/probe-cpu" "3 CPU per health probe ($(wc -l <"$WORK/probe-cpu") probes)" 1e6 3 ms \
		"" "< 1 ms" "$(met "$med" lt 1e6)"
	local calls probes
	calls=$(awk '$NF == "total" { print $4 }' "$WORK/strace-fast")
	probes=$(awk '$NF == "connect" { print $4 }' "$WORK/strace-fast")
	row "3 syscalls (wakeups) per health probe (strace -c, 5 s)" "$(awk -v c="${calls:-0}" -v p="${probes:-0}" -v w="$(awk '$NF == "epoll_wait" { print $4 }' "$WORK/strace-fast")" 'BEGIN { if (p > 0) printf "%.0f (%.0f)", c / p, w / p; else print "nan" }')" "-" "-" \
		"$(awk '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "%s%s %s", sep, $NF, $4; sep = ", " }' "$WORK/strace-fast")"
	calls=$(awk '$NF == "total" { print $4 }' "$WORK/strace-nohealth")
	row "3 syscalls with no probe due (strace -c, 5 s)" "${calls:-0}" "-" "-" "" "0" "$([ "${calls:-0}" = 0 ] && echo yes || echo no)"
	row "3 RSS of dind-init in the container (default config)" "$(cat "$WORK/rss-container") KiB" "-" "-"
	cleanup_hook
}

# part 2
on_host() {
	local ini=$WORK/plain.ini name init
	printf '[init]\ncontrol_socket = none\n' >"$ini"
	declare -A CMD=(
		[dind-init]="$DIND_INIT -c $ini --"
		[tini]="/usr/bin/tini --"
		[tini-static]="/usr/bin/tini-static --"
		[catatonit]="/usr/bin/catatonit --"
	)
	for _ in $(seq "$BENCH_ROUNDS"); do
		for name in dind-init tini tini-static catatonit; do
			# shellcheck disable=SC2086
			unshare --pid --fork --mount-proc ${CMD[$name]} sleep 1000 >/dev/null 2>&1 &
			UNSHARE_PID=$!
			init=""
			for _ in $(seq 200); do
				init=$(pgrep -P "$UNSHARE_PID" | head -n 1 || true)
				[ -n "$init" ] && pgrep -P "$init" -x sleep >/dev/null && break
				sleep 0.01
			done
			[ -n "$init" ] || die "$name did not start"
			sleep 0.1
			rss_kb "$init" >>"$WORK/rss-$name"
			kill -KILL "$init"
			wait "$UNSHARE_PID" || true
			UNSHARE_PID=
		done
	done
	for name in tini tini-static catatonit; do
		ratios "$WORK/rss-dind-init" "$WORK/rss-$name" "$WORK/r-$name"
	done
	row_from "$WORK/rss-dind-init" "3 RSS as PID 1 around sleep: dind-init (static)" 1 0 KiB
	for name in tini tini-static catatonit; do
		ratio_text "$WORK/r-$name"
		if [ "$name" = tini ]; then
			row_from "$WORK/rss-$name" "3 RSS as PID 1 around sleep: $name" 1 0 KiB \
				"dind-init/$name $RATIO_TXT" "≤ 1" "$(met "$RATIO_MED" le 1)"
		else
			row_from "$WORK/rss-$name" "3 RSS as PID 1 around sleep: $name" 1 0 KiB "dind-init/$name $RATIO_TXT"
		fi
	done
	local f size stripped
	for f in "$DIND_INIT" /usr/bin/tini /usr/bin/tini-static /usr/bin/catatonit; do
		size=$(stat -c %s "$f")
		strip -o "$WORK/stripped" "$f"
		stripped=$(stat -c %s "$WORK/stripped")
		if [ "$f" = "$DIND_INIT" ]; then
			row "3 binary size: dind-init (static)" "$(scale "$size" 1024 0) KiB" "-" "-" \
				"stripped $(scale "$stripped" 1024 0) KiB" "≤ 1024 KiB" "$(met "$stripped" le 1048576)"
		else
			row "3 binary size: $(basename "$f")" "$(scale "$size" 1024 0) KiB" "-" "-" \
				"stripped $(scale "$stripped" 1024 0) KiB; $(file -b "$f" | grep -o 'statically linked\|dynamically linked')"
		fi
	done
}

main() {
	bench_tmp
	need_tools strace tini catatonit unshare
	docker_env
	build_dind_init
	in_containers
	on_host
}

main "$@"
