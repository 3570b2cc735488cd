#!/usr/bin/env bash
# Benchmark 7 (issue 13): dind-init against the supervisors people pick instead, and how close
# its time to ready is to the limit. Four variants in one image (bench/supervisors/Dockerfile:
# $E2E_IMAGE plus Debian's supervisor and s6, built by this script), the same flags, a fresh
# container (and /var/lib/docker volume) each:
#   (a) dind-init, the default config (TLS on: the certs oneshot, dockerd's TLS listener), -v;
#   (p) the same with the recipes' daemon command lines (-e DOCKER_TLS_CERTDIR= skips the certs,
#       DOCKERD_ARGS=--host=unix:///var/run/docker.sock replaces the TCP listener): ready only;
#   (s) supervisord as PID 1 after the setup script (supervisors/supervisord-dind.conf: containerd
#       and dockerd in priority order, autorestart=true, default startsecs), the job waiting with
#       `until docker info; do sleep 1; done`;
#   (6) s6-svscan as PID 1 after the same setup script (supervisors/s6/: containerd and dockerd
#       with s6-notifyoncheck polling a check every 10 ms, dockerd's run script waiting with
#       s6-svwait -U for containerd), the job a run-once service after `s6-svwait -U` on dockerd.
# The setup script is bench/handtuned.sh's and classic.sh's (cgroups read-write, / rshared), the
# daemons' command lines dind-init's default ones without its TLS listener.
#
# Part 1, interleaved (a p s 6 a p s 6 ...), BENCH_ROUNDS rounds (--quick: 3); in each container:
#   ready      docker run -d to the job's first 200 from /_ping, as bench/ready.sh times it
#              (dockping launch as the entrypoint, dockping stamp as the job: here with "hold",
#              so that the job stays and the container with it); also in the container and the
#              lag from dockerd serving (the launcher's own poller) to the job's 200;
#   nested     one `docker run --rm tiny true` through the container's dockerd (the floor of the
#              containerd row);
#   dockerd    once the job saw dockerd 3 s ago (a crash of a daemon that ran, not of one that
#              has just started: s6 waits 1 s between two starts of a service, and supervisord
#              counts a death within startsecs as a failed start), kill -9 of dockerd (from the
#              host), until GET /_ping answers 200 again (the host's dockping on
#              /proc/PID1/root/run/docker.sock, every 1 ms, started once the old dockerd is
#              dead); then again, right away (the second failure in a row: dind-init's restart
#              backoff doubles, supervisord's startsecs and s6's 1 s between starts);
#   containerd kill -9 of containerd, until a nested `docker run --rm tiny true` (the host's client
#              on the same socket, tried again as soon as one fails) succeeds;
#   stop       one nested container (sh trapping TERM, as bench/stop.sh's), then `docker stop`
#              (10 s grace) until it returns; SIGKILLs: the supervisor's own ("sending SIGKILL",
#              "with SIGKILL") plus Docker's (exit code 137); whether dockerd logged "Daemon
#              shutdown complete".
# Times are CLOCK_REALTIME, shared by the containers and the host.
#
# Part 2, the limit: from (a)'s (and (p)'s) debug log (microsecond timestamps) of the same runs,
# where the in-container time to ready goes along its critical path: PID 1 start (dockping's
# stamp before its exec of dind-init) -> "starting" (dind-init runs) -> setup lines -> "setup:
# done" -> containerd "spawning" -> forked ("waiting -> starting") -> its READY=1 -> dockerd
# "spawning" -> forked -> its READY=1 -> "main command: spawning" -> "main command started" ->
# the job's first 200. dind-init's own share is the time on that chain outside containerd's
# and dockerd's start-up (forked -> READY=1) and the job's (started -> 200); what runs beside
# containerd (the iptables check, the certs oneshot) counts only where it holds the chain back
# (see breakdown). Also each setup step (the time from the line before to its line), the
# background iptables check and the certs oneshot, whether they finished after containerd's
# READY=1, and an upper bound of the share (each daemon's fork to the loop seeing its exec
# counted as dind-init's too: no line marks the exec itself).
#
# Part 3, idle, four containers at once, no job, --no-healthcheck: (a) default config (a probe
# every 10 s), (a) without dockerd's health probe (nothing ever due), (s), (6). After dockerd is
# ready and 2 s more, D seconds (60; --quick: 15) of each supervisor's processes (dind-init: PID 1;
# supervisord: PID 1, one Python process; s6: s6-svscan and every s6-supervise), summed over their
# threads: /proc/PID/task/TID/schedstat (CPU ns, times scheduled in = wakeups) every second,
# wakeups/min as the median of 5 sub-windows of D/5; VmRSS summed (and Pss from smaps_rollup, which
# shares the common pages out) read at 5 moments.
#
# BENCH_KEEP_LOGS=DIR keeps the containers' logs. The image is kept (like the dind-init build) so
# that the next run does not install the packages again; `docker rmi` it to drop it:
# $BENCH_SUP_IMAGE, default $E2E_IMAGE-supervisors.
set -euo pipefail
rounds_asked=${BENCH_ROUNDS:-}
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

# --quick: 3 rounds (a round is four containers, ~40 s) unless BENCH_ROUNDS says otherwise
ROUNDS=$BENCH_ROUNDS
[ "$BENCH_QUICK" = 1 ] && [ -z "$rounds_asked" ] && ROUNDS=3
VARIANTS=(a p s 6)
declare -A LABEL=([a]="dind-init" [p]="dind-init without TLS" [s]="supervisord recipe" [6]="s6 recipe")
# (p): dind-init with the recipes' daemon command lines: no certs oneshot, no TCP listener
# (DOCKER_TLS_CERTDIR empty skips the certs; a --host of one's own replaces dockerd's TCP one)
P_ENV=(-e DOCKER_TLS_CERTDIR= -e DOCKERD_ARGS=--host=unix:///var/run/docker.sock)
# before the first kill, the daemons have run this long (s6 waits 1 s between two starts of a
# service, supervisord counts a start as failed within startsecs = 1 s: a crash, not a crash
# loop, is what the first-kill row is about)
SETTLE_NS=3000000000
SOCK=/var/run/docker.sock
TINY_IMAGE=dind-init-e2e/tiny:latest
D=60
[ "$BENCH_QUICK" = 1 ] && D=15

cleanup_hook() {
	local ids
	[ -z "${POLLER:-}" ] || kill "$POLLER" 2>/dev/null || true
	ids=$("$DOCKER" ps -aq --filter "name=^bench-sup-$$-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
}

# build_image: SUP_IMAGE, built from bench/supervisors plus the compiled dockping
build_image() {
	local ctx=$WORK/ctx log=$WORK/build.log
	SUP_IMAGE=${BENCH_SUP_IMAGE:-$E2E_IMAGE-supervisors}
	mkdir -p "$ctx"
	cp -a "$BENCH_DIR/supervisors/." "$ctx/"
	cp "$(helper dockping)" "$ctx/dockping"
	note "building $SUP_IMAGE (from $E2E_IMAGE, with supervisor and s6)"
	if ! "$DOCKER" build -t "$SUP_IMAGE" --build-arg "BASE=$E2E_IMAGE" "$ctx" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "docker build of $SUP_IMAGE failed (bench/supervisors/Dockerfile; its last lines above)"
	fi
	VERSIONS=$("$DOCKER" run --rm --entrypoint sh "$SUP_IMAGE" -c \
		"dpkg-query -W -f '\${Package} \${Version}, ' supervisor s6 docker.io containerd" | sed 's/, $//')
}

# host_sock PID1: the container's docker.sock as the host reaches it
host_sock() {
	echo "/proc/$1/root/run/docker.sock"
}

# inner ARGS...: the host's docker client on the container's dockerd ($HSOCK)
inner() {
	DOCKER_HOST=unix://$HSOCK "$DOCKER" "$@"
}

# ns_pid PID1 NAME: host pid of the one process called NAME in PID1's pid namespace
ns_pid() {
	local p
	p=$(pgrep --ns "$1" --nslist pid -x "$2") || return 1
	[ "$(wc -l <<<"$p")" = 1 ] || return 1
	echo "$p"
}

# await_death PID: until it has exited (a zombie or gone)
await_death() {
	local s
	while [ -e "/proc/$1" ]; do
		s=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || break
		[ "$s" != Z ] || break
		sleep 0.001
	done
}

# kill_ping V R KEY: kill -9 dockerd, then until /_ping answers again; appends to $WORK/KEY-V
kill_ping() {
	local v=$1 r=$2 key=$3 pid t0 out=$WORK/stamp-$3-$1-$2
	pid=$(ns_pid "$PID1" dockerd) || die "${LABEL[$v]}: no single dockerd in the container"
	t0=$(now_ns)
	kill -KILL "$pid"
	await_death "$pid"
	"$DOCKPING" stamp "$out" "$HSOCK" || die "${LABEL[$v]}: /_ping did not answer within 120 s of kill -9 dockerd"
	echo $(($(<"$out") - t0)) >>"$WORK/$key-$v"
	note "round $r ${LABEL[$v]}: kill -9 dockerd ($key): /_ping again after $(scale $(($(<"$out") - t0)) 1e6 1) ms"
}

# nested_run: one `docker run --rm tiny true` in the container; 0 when it worked
nested_run() {
	timeout 60 env DOCKER_HOST="unix://$HSOCK" "$DOCKER" run --rm "$TINY_IMAGE" true >/dev/null 2>&1
}

# kill_containerd V R: kill -9 containerd, then until a nested docker run works again
kill_containerd() {
	local v=$1 r=$2 pid t0 t1 tries=0
	pid=$(ns_pid "$PID1" containerd) || die "${LABEL[$v]}: no single containerd in the container"
	t0=$(now_ns)
	kill -KILL "$pid"
	await_death "$pid"
	until nested_run; do
		tries=$((tries + 1))
		[ "$tries" -lt 600 ] || die "${LABEL[$v]}: no nested docker run worked after kill -9 containerd"
		sleep 0.01
	done
	t1=$(now_ns)
	echo $((t1 - t0)) >>"$WORK/ctrd-$v"
	echo "$tries" >>"$WORK/ctrd-tries-$v"
	note "round $r ${LABEL[$v]}: kill -9 containerd: a nested docker run worked after $(scale $((t1 - t0)) 1e6 0) ms ($tries failed tries)"
}

# run_args V: RUN_ARGS, the entrypoint and arguments of variant V (JOB: its job, or none)
run_args() {
	local v=$1
	shift
	case "$v" in
	a | a0 | p) RUN_ARGS=(/usr/local/sbin/dind-init -v) ;;
	s) RUN_ARGS=(/usr/local/bin/supervisord-entrypoint.sh) ;;
	6) RUN_ARGS=(/usr/local/bin/s6-entrypoint.sh) ;;
	esac
	if [ $# -gt 0 ]; then
		[ "$v" != a ] && [ "$v" != p ] || RUN_ARGS+=(--)
		RUN_ARGS+=("$@")
	fi
}

# run_one V R: one container through ready, the kills and the stop ((p): ready only)
run_one() {
	local v=$1 r=$2 name=bench-sup-$$-$1-$2 out=$WORK/out-$1-$2 t0 t1 i start job serving code kills log
	local env=()
	mkdir -p "$out"
	run_args "$v" /usr/local/bin/dockping stamp /bench-out/job "$SOCK" hold
	[ "$v" != p ] || env=("${P_ENV[@]}")
	t0=$(now_ns)
	"$DOCKER" run -d --name "$name" --no-healthcheck "${FLAGS[@]}" "${env[@]}" -v "$out:/bench-out" \
		-v "$DIND_INIT:/usr/local/sbin/dind-init:ro" -v "$DIND_INIT_INI:/etc/dind-init.ini:ro" \
		--entrypoint /usr/local/bin/dockping "$SUP_IMAGE" launch /bench-out "$SOCK" -- \
		"${RUN_ARGS[@]}" >/dev/null || die "docker run of ${LABEL[$v]} failed"
	for i in $(seq 1200); do
		[ -s "$out/job" ] && [ -s "$out/serving" ] && break
		if [ $((i % 10)) = 0 ] && [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$name")" != true ]; then
			break
		fi
		sleep 0.1
	done
	if ! [ -s "$out/job" ] || ! [ -s "$out/serving" ]; then
		"$DOCKER" logs "$name" 2>&1 | tail -n 30 >&2
		die "${LABEL[$v]}: no ready Docker (it exited, or not within 120 s; its last lines above)"
	fi
	start=$(<"$out/start")
	job=$(<"$out/job")
	serving=$(<"$out/serving")
	echo $((job - t0)) >>"$WORK/total-$v"
	echo $((job - start)) >>"$WORK/inside-$v"
	echo $((job - serving)) >>"$WORK/lag-$v"
	note "round $r ${LABEL[$v]}: ready after $(scale $((job - t0)) 1e9 3) s, $(scale $((job - start)) 1e9 3) s in the container, lag $(scale $((job - serving)) 1e6 1) ms"

	if [ "$v" = p ]; then
		log=$WORK/log-$v-$r
		"$DOCKER" logs "$name" >"$log" 2>&1
		"$DOCKER" rm -f -v "$name" >/dev/null
		breakdown "$v" "$log" "$start" "$job" "$serving" "$r"
		daemon_times "$v" "$log" "$start" "$job" "$r"
		return 0
	fi
	PID1=$("$DOCKER" inspect -f '{{.State.Pid}}' "$name")
	HSOCK=$(host_sock "$PID1")
	inner load -i "$TINY_TAR" >/dev/null || die "${LABEL[$v]}: docker load of the tiny image failed"
	t0=$(now_ns)
	nested_run || die "${LABEL[$v]}: a nested docker run failed"
	echo $(($(now_ns) - t0)) >>"$WORK/nested-$v"
	t0=$((job + SETTLE_NS - $(now_ns)))
	[ "$t0" -le 0 ] || sleep "$(scale "$t0" 1e9 3)"

	kill_ping "$v" "$r" dkill1
	kill_ping "$v" "$r" dkill2
	kill_containerd "$v" "$r"

	inner run -d --name nested "$TINY_IMAGE" sh -c 'trap "exit 0" TERM; sleep 1000 & wait' >/dev/null ||
		die "${LABEL[$v]}: the nested container for the stop did not start"
	t0=$(now_ns)
	timeout 120 "$DOCKER" stop "$name" >/dev/null || die "docker stop of ${LABEL[$v]} failed"
	t1=$(now_ns)
	code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$name")
	log=$WORK/log-$v-$r
	"$DOCKER" logs "$name" >"$log" 2>&1
	"$DOCKER" rm -f -v "$name" >/dev/null
	kills=$(grep -c 'sending SIGKILL\|with SIGKILL' "$log" || true)
	[ "$code" != 137 ] || kills=$((kills + 1))
	echo $((t1 - t0)) >>"$WORK/stop-$v"
	echo "$kills" >>"$WORK/kills-$v"
	echo "$code" >>"$WORK/codes-$v"
	grep -q 'Daemon shutdown complete' "$log" && echo 1 >>"$WORK/clean-$v" || echo 0 >>"$WORK/clean-$v"
	note "round $r ${LABEL[$v]}: docker stop took $(scale $((t1 - t0)) 1e9 3) s, exit code $code, SIGKILLs $kills"
	[ "$v" != a ] || breakdown "$v" "$log" "$start" "$job" "$serving" "$r"
	daemon_times "$v" "$log" "$start" "$job" "$r"
}

# go_ns LOG MSG: the time (ns since the epoch) of dockerd's first log line with msg="MSG..."
go_ns() {
	local t
	t=$(grep -m 1 -F -- "msg=\"$2" "$1" | sed -n 's/.*time="\([^"]*\)".*/\1/p')
	[ -n "$t" ] || return 1
	date -d "$t" +%s%N
}

# daemon_times V LOG START JOB R: from dockerd's own log lines (its first start), for every
# variant: PID 1 start to dockerd's "Starting up" (the setup, containerd, the supervisor), its
# own start-up ("Starting up" to "API listen on /var/run/docker.sock"), and from there to the
# job's 200
daemon_times() {
	local v=$1 up api
	if ! up=$(go_ns "$2" 'Starting up') || ! api=$(go_ns "$2" 'API listen on /var/run/docker.sock'); then
		note "round $5 ${LABEL[$v]}: no 'Starting up' or 'API listen on /var/run/docker.sock' in dockerd's log"
		return 0
	fi
	echo $((up - $3)) >>"$WORK/before-$v"
	echo $((api - up)) >>"$WORK/dockerd-$v"
	echo $(($4 - api)) >>"$WORK/after-$v"
}

# us_of LINE START_NS: the [dind-init HH:MM:SS.ffffff] time of LINE in µs after START_NS (UTC
# time of day; a line after midnight is on the next day)
us_of() {
	local re='^\[dind-init ([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{6})\]' tod start d
	[[ $1 =~ $re ]] || return 1
	tod=$((((10#${BASH_REMATCH[1]} * 60 + 10#${BASH_REMATCH[2]}) * 60 + 10#${BASH_REMATCH[3]}) * 1000000 + 10#${BASH_REMATCH[4]}))
	start=$((($2 / 1000) % 86400000000))
	d=$((tod - start))
	[ "$d" -ge -43200000000 ] || d=$((d + 86400000000))
	echo "$d"
}

# at LOG START PATTERN: µs after START of the first dind-init line matching PATTERN (grep -E)
at() {
	local line
	line=$(grep -m 1 -E -- "^\[dind-init [^]]*\] $3" "$1") || return 1
	us_of "$line" "$2"
}

# put KEY VALUE: appends VALUE (µs) to $WORK/lim-KEY, or for (p) to $WORK/lim-p-KEY
put() {
	echo "$2" >>"$WORK/lim-$LIM$1"
}

# breakdown V LOG START JOB SERVING R: the limit, from dind-init's debug log of its first start
# (needs the boundary lines of 0f6a8e1 on: "starting", "setup: done", "spawning").
#
# The critical path to ready is one chain: PID 1 start -> dind-init's exec ("starting") -> the
# setup ("setup: done") -> containerd forked -> its READY=1 -> dockerd forked -> its READY=1 ->
# the job forked and exec'd ("main command started") -> the job's first 200. A daemon's own
# start-up runs from its fork ("service X: waiting -> starting", logged once spawn_process()
# has returned) to its READY=1 (as the loop reads it), the job's from "main command started" to
# its 200; dind-init's own time is the rest of the chain:
#   own = containerd forked + (dockerd forked - containerd READY=1) + (main started - dockerd READY=1)
# What runs beside a daemon's start (the iptables check, the certs oneshot) is not in it unless
# it holds the next link back: an iptables choice made after containerd's READY=1 delays
# dockerd's fork (the coordinator waits for it), and that wait is in "READY=1 -> dockerd forked".
# The exact boundary would be each child's exec, which no line marks: from the fork to "service
# X started" (the loop saw the exec) the child runs dind-init's pre-exec code, then execve.
# own-hi counts that whole gap as dind-init's: an upper bound.
breakdown() {
	local log=$2 start=$3 r=$6 job serving s0 s1 s2 csp cst cup crdy dsp dst dup drdy msp m
	local k1 k2 i1 i2 line prev t key own hi
	LIM=
	[ "$1" != p ] || LIM=p-
	job=$((($4 - start) / 1000))
	serving=$((($5 - start) / 1000))
	if ! { s0=$(at "$log" "$start" 'debug: dind-init [^ ]+ starting as pid') &&
		s1=$(at "$log" "$start" '(debug: )?setup: ') &&
		s2=$(at "$log" "$start" 'debug: setup: done') &&
		csp=$(at "$log" "$start" 'debug: service containerd: spawning') &&
		cst=$(at "$log" "$start" 'debug: service containerd: waiting -> starting') &&
		cup=$(at "$log" "$start" 'service containerd started') &&
		crdy=$(at "$log" "$start" 'debug: service containerd: READY=1 from') &&
		dsp=$(at "$log" "$start" 'debug: service dockerd: spawning') &&
		dst=$(at "$log" "$start" 'debug: service dockerd: waiting -> starting') &&
		dup=$(at "$log" "$start" 'service dockerd started') &&
		drdy=$(at "$log" "$start" 'debug: service dockerd: READY=1 from') &&
		msp=$(at "$log" "$start" 'debug: main command: spawning') &&
		m=$(at "$log" "$start" 'main command started'); }; then
		note "round $r: a line of the breakdown is missing in dind-init's debug log (a dind-init from before 0f6a8e1?)"
		return 0
	fi
	# the setup steps, up to "setup: done": each line's time after the line before it (the
	# iptables line is the fork of its background check, or the choice when made at once)
	prev=$s1
	while IFS= read -r line; do
		t=$(us_of "$line" "$start") || continue
		case "$line" in
		*'setup: preflight'*) key=preflight ;;
		*'setup: / is rshared'*) key=rshared ;;
		*'setup: remounted /sys'* | *'setup: /sys'*) key=sys ;;
		*'setup: mounted securityfs'*) key=securityfs ;;
		*'tmpfs on /run'* | *'/run is a tmpfs'*) key=tmpfs-run ;;
		*'tmpfs on /tmp'* | *'/tmp is a tmpfs'*) key=tmpfs-tmp ;;
		*'stale'*) key=stale ;;
		*'setup: cgroup'*) key=cgroups ;;
		*'setup: iptables'*) key=iptables ;;
		*'setup: MTU'* | *'no default route'*) key=mtu ;;
		*'RLIMIT_NOFILE'* | *'rlimit'*) key=rlimit ;;
		*'setup: done'*) key=end ;;
		*) key=other ;;
		esac
		[ "$key" = preflight ] || put "step-$key" $((t - prev))
		prev=$t
		[ "$key" != end ] || break
	done < <(grep -E '^\[dind-init [^]]*\] (debug: )?setup: ' "$log")
	put start-exec "$s0"
	put exec-setup $((s1 - s0))
	put setup $((s2 - s1))
	put setup-cspawn $((csp - s2))
	put cfork $((cst - csp))
	put cspawn-cready $((crdy - cst))
	put cspawn-cexec $((cup - cst))
	put cready-dspawn $((dsp - crdy))
	put dfork $((dst - dsp))
	put dspawn-dready $((drdy - dst))
	put dspawn-dexec $((dup - dst))
	put dready-mspawn $((msp - drdy))
	put mspawn-main $((m - msp))
	put main-job $((job - m))
	put dready-serving $((serving - drdy))
	own=$((cst + (dst - crdy) + (m - drdy)))
	hi=$((own + (cup - cst) + (dup - dst)))
	put own "$own"
	put own-hi "$hi"
	put inside "$job"
	awk -v o="$own" -v j="$job" 'BEGIN { printf "%.17g\n", 100 * o / j }' >>"$WORK/lim-${LIM}share"
	awk -v o="$hi" -v j="$job" 'BEGIN { printf "%.17g\n", 100 * o / j }' >>"$WORK/lim-${LIM}share-hi"
	if k1=$(at "$log" "$start" 'service certs started') && k2=$(at "$log" "$start" 'service certs finished'); then
		put certs $((k2 - k1))
		# how much later than containerd's READY=1 it finished (0: not on the critical path)
		put certs-late $((k2 > crdy ? k2 - crdy : 0))
	fi
	# the iptables check in the background: from its fork to the choice (after the reap and
	# the links); after containerd's READY=1 it is on the path (dockerd waits for it)
	if i1=$(at "$log" "$start" 'debug: setup: iptables: checking iptables-[a-z]+ in the background') &&
		i2=$(at "$log" "$start" 'setup: iptables: using '); then
		put ipt $((i2 - i1))
		put ipt-late $((i2 > crdy ? i2 - crdy : 0))
	fi
	note "round $r ${LABEL[$1]}: its own $(scale "$own" 1e3 1) ms (at most $(scale "$hi" 1e3 1)) of $(scale "$job" 1e3 1) ms in the container (setup $(scale $((s2 - s1)) 1e3 1) ms)"
}

# ---- idle

# tasks PID...: the /proc/PID/task/TID folders of those processes
tasks() {
	local p
	for p in "$@"; do
		echo /proc/"$p"/task/*
	done
}

# snap PID...: "runtime_ns wakeups" summed over all threads of those processes
snap() {
	local t rt wt n srt=0 sn=0
	for t in $(tasks "$@"); do
		read -r rt wt n <"$t/schedstat" || continue
		srt=$((srt + rt))
		sn=$((sn + n))
	done
	: "$wt"
	echo "$srt $sn"
}

# mem PID...: "rss_kb pss_kb" summed
mem() {
	local p rss=0 pss=0 v
	for p in "$@"; do
		v=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status")
		rss=$((rss + v))
		v=$(awk '$1 == "Pss:" { print $2 }' "/proc/$p/smaps_rollup")
		pss=$((pss + v))
	done
	echo "$rss $pss"
}

idle() {
	local k name pid1 ini=$WORK/nohealth.ini i t end
	declare -A PIDS
	grep -v '^health' "$DIND_INIT_INI" >"$ini"
	chmod 644 "$ini"
	for k in a a0 s 6; do
		run_args "$k"
		local mount=("$DIND_INIT_INI")
		[ "$k" != a0 ] || mount=("$ini")
		"$DOCKER" run -d --name "bench-sup-$$-idle-$k" --no-healthcheck "${FLAGS[@]}" \
			-v "$DIND_INIT:/usr/local/sbin/dind-init:ro" -v "${mount[0]}:/etc/dind-init.ini:ro" \
			--entrypoint "${RUN_ARGS[0]}" "$SUP_IMAGE" "${RUN_ARGS[@]:1}" >/dev/null ||
			die "docker run of the idle container $k failed"
	done
	for k in a a0 s 6; do
		name=bench-sup-$$-idle-$k
		pid1=$("$DOCKER" inspect -f '{{.State.Pid}}' "$name")
		"$DOCKPING" stamp "$WORK/idle-ready-$k" "$(host_sock "$pid1")" ||
			die "idle container $k: dockerd not ready within 120 s"
		case "$k" in
		6) PIDS[$k]="$pid1 $(pgrep -P "$pid1" -x s6-supervise | tr '\n' ' ')" ;;
		*) PIDS[$k]=$pid1 ;;
		esac
	done
	sleep 2
	note "idle: sampling the supervisors of 4 idle containers for $D s (s6: ${PIDS[6]})"
	end=$(($(now_ns) + D * 1000000000))
	i=0
	while :; do
		t=$(now_ns)
		for k in a a0 s 6; do
			# shellcheck disable=SC2086
			echo "$t $k $(snap ${PIDS[$k]})" >>"$WORK/idle-samples"
			if [ $((i % (D / 5 > 0 ? D / 5 : 1))) = 0 ]; then
				# shellcheck disable=SC2086
				mem ${PIDS[$k]} >>"$WORK/mem-$k"
			fi
		done
		[ "$t" -lt "$end" ] || break
		i=$((i + 1))
		sleep 1
	done
	for k in a a0 s 6; do
		# wakeups per minute in 5 sub-windows, CPU ms per minute over the whole window
		awk -v k="$k" -v d="$D" '$2 == k {
			if (!n++) { t0 = $1; w0 = $4; r0 = $3 }
			i = int(5 * ($1 - t0) / (d * 1e9)); if (i > 4) i = 4
			w[i] = $4; r = $3; t = $1
		} END {
			prev = w0
			for (i = 0; i < 5; i++) { print (w[i] - prev) * 60 / (d / 5) > "/dev/stdout"; prev = w[i] }
			printf "%.17g %.17g\n", (r - r0) / 1e6 * 60e9 / (t - t0), (w[4] - w0) * 60e9 / (t - t0) > "/dev/stderr"
		}' "$WORK/idle-samples" >"$WORK/wake-$k" 2>"$WORK/whole-$k"
		cut -d' ' -f1 "$WORK/mem-$k" >"$WORK/rss-$k"
		cut -d' ' -f2 "$WORK/mem-$k" >"$WORK/pss-$k"
		# shellcheck disable=SC2086
		NPROC[$k]=$(echo ${PIDS[$k]} | wc -w)
	done
	cleanup_hook
}

# ---- rows

# cmp_rows KEY NAME DIV DEC UNIT TARGET_S TARGET_6: a row for (a), then (s) and (6) with the
# ratios (a)/(s) and (a)/(6) of the same rounds; TARGET_x: "OP LIMIT" or empty
cmp_rows() {
	local key=$1 name=$2 div=$3 dec=$4 unit=$5 v tgt op lim
	row_from "$WORK/$key-a" "7 $name: ${LABEL[a]}" "$div" "$dec" "$unit"
	for v in s 6; do
		ratios "$WORK/$key-a" "$WORK/$key-$v" "$WORK/r-$key-$v"
		ratio_text "$WORK/r-$key-$v"
		tgt=$6
		[ "$v" = 6 ] && tgt=$7
		if [ -n "$tgt" ]; then
			read -r op lim <<<"$tgt"
			row_from "$WORK/$key-$v" "7 $name: ${LABEL[$v]}" "$div" "$dec" "$unit" \
				"(a)/($v) $RATIO_TXT" "(a)/($v) $([ "$op" = le ] && echo ≤ || echo '<') $lim" "$(met "$RATIO_MED" "$op" "$lim")"
		else
			row_from "$WORK/$key-$v" "7 $name: ${LABEL[$v]}" "$div" "$dec" "$unit" "(a)/($v) $RATIO_TXT"
		fi
	done
}

# p_row KEY NAME DIV DEC UNIT: the row of (p), with its ratios to the others of the same rounds
p_row() {
	local key=$1 v txt=""
	for v in s 6 a; do
		ratios "$WORK/$key-p" "$WORK/$key-$v" "$WORK/r-$key-p$v"
		ratio_text "$WORK/r-$key-p$v"
		txt+="${txt:+; }(p)/($v) $RATIO_TXT"
	done
	row_from "$WORK/$key-p" "7 $2: ${LABEL[p]} (p), the recipes' daemon flags" "$3" "$4" "$5" "$txt"
}

# lim_row KEY NAME [NOTE]: a row of the breakdown (µs in the files, ms in the row)
lim_row() {
	[ -s "$WORK/lim-$1" ] || return 0
	row_from "$WORK/lim-$1" "7 limit: $2" 1e3 1 ms "${3:-}"
}

rows() {
	local v kills codes clean tries med key
	cmp_rows total "ready, docker run -d to the job's /_ping" 1e9 3 s "le 0.9" "le 1.0"
	p_row total "ready, docker run -d to the job's /_ping" 1e9 3 s
	cmp_rows inside "ready in the container (PID 1 start to the job's /_ping)" 1e9 3 s "" ""
	p_row inside "ready in the container (PID 1 start to the job's /_ping)" 1e9 3 s
	cmp_rows before "PID 1 start to dockerd's 'Starting up' (its log)" 1e6 1 ms "" ""
	p_row before "PID 1 start to dockerd's 'Starting up' (its log)" 1e6 1 ms
	cmp_rows dockerd "dockerd's own start, 'Starting up' to 'API listen on /var/run/docker.sock'" 1e6 1 ms "" ""
	p_row dockerd "dockerd's own start, 'Starting up' to 'API listen on /var/run/docker.sock'" 1e6 1 ms
	cmp_rows after "dockerd's 'API listen' to the job's /_ping" 1e6 1 ms "" ""
	p_row after "dockerd's 'API listen' to the job's /_ping" 1e6 1 ms
	for v in "${VARIANTS[@]}"; do
		row_from "$WORK/lag-$v" "7 lag, dockerd serving to the job's /_ping: ${LABEL[$v]}" 1e6 1 ms
	done
	cmp_rows dkill1 "recovery, kill -9 dockerd to /_ping again (first kill)" 1e6 0 ms "le 1.0" ""
	cmp_rows dkill2 "recovery, kill -9 dockerd again right after (second kill in a row)" 1e6 0 ms "" ""
	cmp_rows ctrd "recovery, kill -9 containerd to a nested docker run that works" 1e6 0 ms "" ""
	for v in a s 6; do
		tries=$(paste -sd, "$WORK/ctrd-tries-$v")
		row_from "$WORK/nested-$v" "7 nested docker run --rm, healthy (the floor of the row above): ${LABEL[$v]}" 1e6 0 ms \
			"failed tries after the kill: $tries"
	done
	for v in a s 6; do
		kills=$(awk '{ s += $1 } END { print s + 0 }' "$WORK/kills-$v")
		codes=$(sort -u "$WORK/codes-$v" | paste -sd, -)
		clean=$(awk '{ s += $1 } END { print s + 0 }' "$WORK/clean-$v")
		row_from "$WORK/stop-$v" "7 stop: docker stop, 1 nested container: ${LABEL[$v]}" 1e9 3 s \
			"SIGKILLs: $kills, exit codes: $codes, dockerd shut down cleanly $clean/$(wc -l <"$WORK/clean-$v")" \
			"no SIGKILL" "$([ "$kills" = 0 ] && echo yes || echo no)"
	done

	# the limit: the critical path (see breakdown); rows marked dind-init add up to its own time
	lim_row inside "in-container time to ready of these runs (PID 1 start to the job's 200)"
	lim_row start-exec "PID 1 start to 'starting' (dind-init's exec)" "dind-init"
	lim_row exec-setup "'starting' to the first setup line (config, preflight)" "dind-init"
	lim_row setup "setup, first setup line to 'setup: done'" "dind-init"
	for key in rshared sys securityfs tmpfs-run tmpfs-tmp stale cgroups iptables mtu rlimit other end; do
		lim_row "step-$key" "  setup step $key (its line after the one before)" "dind-init"
	done
	lim_row setup-cspawn "'setup: done' to 'service containerd: spawning' (config, loop, the certs fork)" "dind-init"
	lim_row cfork "containerd's fork ('spawning' to 'waiting -> starting')" "dind-init"
	lim_row cspawn-cready "containerd forked to its READY=1" "containerd"
	lim_row cspawn-cexec "  of which forked to 'started' (the loop saw its exec)" "containerd"
	lim_row ipt "  iptables check in the background, its fork to the choice ('using')" "beside containerd"
	lim_row ipt-late "  iptables choice after containerd's READY=1 by" "0: not on the path"
	lim_row certs "  certs oneshot, started to finished (beside containerd)" "beside containerd"
	lim_row certs-late "  certs finished after containerd's READY=1 by" "0: not on the path"
	lim_row cready-dspawn "containerd READY=1 to 'service dockerd: spawning' (and any wait for the iptables choice)" "dind-init"
	lim_row dfork "dockerd's fork ('spawning' to 'waiting -> starting')" "dind-init"
	lim_row dspawn-dready "dockerd forked to its READY=1" "dockerd"
	lim_row dspawn-dexec "  of which forked to 'started' (the loop saw its exec)" "dockerd"
	lim_row dready-serving "  dockerd READY=1 to dockerd serving /_ping (the launcher's poller)" "-"
	lim_row dready-mspawn "dockerd READY=1 to 'main command: spawning'" "dind-init"
	lim_row mspawn-main "the job's fork and exec ('spawning' to 'main command started')" "dind-init"
	lim_row main-job "main command started to its first 200" "the job"
	read -r med _ _ < <(summary "$WORK/lim-share")
	row_from "$WORK/lim-own" "7 limit: dind-init's own time on the critical path (the rows marked dind-init)" 1e3 1 ms \
		"share of the in-container time $(scale "$med" 1 2) % [$(summary "$WORK/lim-share" | awk '{ printf "%.2f–%.2f", $2, $3 }')]" \
		"≤ 2 %" "$(met "$med" le 2)"
	read -r med _ _ < <(summary "$WORK/lim-share-hi")
	row_from "$WORK/lim-own-hi" "7 limit: the same, upper bound (each daemon's fork to 'started' counted as dind-init's too)" 1e3 1 ms \
		"share $(scale "$med" 1 2) % [$(summary "$WORK/lim-share-hi" | awk '{ printf "%.2f–%.2f", $2, $3 }')]" \
		"≤ 2 %" "$(met "$med" le 2)"
	lim_row p-inside "(p) without TLS: in-container time to ready"
	lim_row p-cspawn-cready "(p) without TLS: containerd forked to its READY=1" "containerd"
	lim_row p-ipt-late "(p) without TLS: iptables choice after containerd's READY=1 by" "0: not on the path"
	lim_row p-dspawn-dready "(p) without TLS: dockerd forked to its READY=1" "dockerd"
	read -r med _ _ < <(summary "$WORK/lim-p-share")
	row_from "$WORK/lim-p-own" "7 limit: (p) without TLS: dind-init's own time on the critical path" 1e3 1 ms \
		"share $(scale "$med" 1 2) % [$(summary "$WORK/lim-p-share" | awk '{ printf "%.2f–%.2f", $2, $3 }')]" \
		"≤ 2 %" "$(met "$med" le 2)"
	read -r med _ _ < <(summary "$WORK/lim-p-share-hi")
	row_from "$WORK/lim-p-own-hi" "7 limit: (p) without TLS: the same, upper bound" 1e3 1 ms \
		"share $(scale "$med" 1 2) % [$(summary "$WORK/lim-p-share-hi" | awk '{ printf "%.2f–%.2f", $2, $3 }')]" \
		"≤ 2 %" "$(met "$med" le 2)"

	# idle
	local k
	declare -A IL=([a]="dind-init, default config (probe every 10 s)" [a0]="dind-init, no probe due"
		[s]="supervisord (1 process)" [6]="s6 (s6-svscan + $((NPROC[6] - 1)) s6-supervise)")
	local cpu whole
	for k in a0 a s 6; do
		read -r med _ _ < <(summary "$WORK/wake-$k")
		read -r cpu whole <"$WORK/whole-$k"
		set -- "over the whole $D s: $(scale "$whole" 1 1)/min, CPU $(scale "$cpu" 1 3) ms/min"
		if [ "$k" = a0 ]; then
			row_from "$WORK/wake-$k" "7 idle wakeups/min of the supervisor: ${IL[$k]}" 1 1 "" "$1" "0" "$(met "$med" le 0)"
		else
			row_from "$WORK/wake-$k" "7 idle wakeups/min of the supervisor: ${IL[$k]}" 1 1 "" "$1"
		fi
	done
	ratios "$WORK/rss-a" "$WORK/rss-s" "$WORK/r-rss-s"
	ratios "$WORK/rss-a" "$WORK/rss-6" "$WORK/r-rss-6"
	row_from "$WORK/rss-a" "7 supervisor RSS: dind-init (PID 1)" 1 0 KiB "Pss $(summary "$WORK/pss-a" | cut -d' ' -f1) KiB"
	ratio_text "$WORK/r-rss-s"
	row_from "$WORK/rss-s" "7 supervisor RSS: supervisord" 1 0 KiB \
		"(a)/(s) $RATIO_TXT; Pss $(summary "$WORK/pss-s" | cut -d' ' -f1) KiB" "(a)/(s) ≤ 0.2" "$(met "$RATIO_MED" le 0.2)"
	ratio_text "$WORK/r-rss-6"
	row_from "$WORK/rss-6" "7 supervisor RSS: s6, its ${NPROC[6]} processes together" 1 0 KiB \
		"(a)/(6) $RATIO_TXT; Pss $(summary "$WORK/pss-6" | cut -d' ' -f1) KiB" "(a)/(6) ≤ 1" "$(met "$RATIO_MED" le 1)"
	row "7 versions in the image" "-" "-" "-" "$VERSIONS"
}

main() {
	bench_tmp
	docker_env
	build_dind_init
	DOCKPING=$(helper dockping)
	TINY_TAR=$("$REPO/tests/e2e/docker-env.sh" --tiny-image) || die "no tiny image"
	build_image
	declare -gA NPROC
	local r v
	for r in $(seq "$ROUNDS"); do
		for v in "${VARIANTS[@]}"; do
			run_one "$v" "$r"
		done
	done
	idle
	rows
	if [ -n "${BENCH_KEEP_LOGS:-}" ]; then
		mkdir -p "$BENCH_KEEP_LOGS"
		cp "$WORK"/log-* "$BENCH_KEEP_LOGS/"
	fi
}

main "$@"
