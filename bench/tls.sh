#!/usr/bin/env bash
# Benchmark 6: TLS (issue 10). The image (E2E_IMAGE, as built: its dind-init, dind-certs and
# /etc/dind-init.ini) against a baseline in the same image that does what docker:dind's
# entrypoint does (bench/dinds-entrypoint.sh: three RSA 4096 keys with `openssl genrsa`, the
# certificates with openssl on every start, tini, the dind wrapper, dockerd with docker:dind's
# flags and its own containerd). Interleaved: dind-init, baseline, dind-init, baseline ...
#
# 1. TLS on (DOCKER_TLS_CERTDIR=/certs, the image default), first start and restart: from
#    `docker run -d` (first start), and from `docker start` after a `docker stop` of the same
#    container (restart: keys and certificates kept in it; the stop itself is benchmark 2's),
#    until a client with the client certificate gets 200 from GET /_ping on port 2376. The
#    client is bench/helpers/tlsping on the host: a new TLS connection per try (every 5 ms), the
#    server's certificate verified against client/ca.pem and for the container's IP, the files
#    read from /certs/client (a host folder mounted there, as CI shares it with jobs) on every
#    try. The same client, the same network, the same flags for both.
# 2. TLS off (DOCKER_TLS_CERTDIR=): dind-init (dockerd --tls=false) against the baseline without
#    --tls=false (dockerd then pauses for an unencrypted listener, as in docker:dind), plain
#    GET /_ping on port 2375, first start.
# 3. Certificates alone, in one container of the image (no privileges), interleaved: dind-certs
#    in an empty folder (fresh) and again (reuse); the baseline's openssl part
#    (`dinds-entrypoint.sh --certs`) in an empty folder (fresh: three RSA 4096 keys) and again
#    (restart: keys kept, certificates re-made), each timed by bash around the fork+exec. And
#    dind-certs inside dind-init's start: "service certs started" -> "service certs finished" in
#    its debug log (-v), fresh (first start) and reuse (restart) of the runs of 1.
#
# The containers run on a network of their own with a fixed IP and MAC address, and the host
# gets a permanent neighbour entry for it: the client's first tries go out before the container
# exists, and an ARP request left unanswered then would hold its connections for up to a second.
# Also "in container" rows: from Docker's State.StartedAt (PID 1 started) to the 200.
# Rounds: BENCH_ROUNDS (default 5; --quick: 3, since a baseline round with TLS off takes ~17 s);
# the certificates alone get twice as many.
set -euo pipefail
rounds_asked=${BENCH_ROUNDS:-}
# shellcheck source-path=SCRIPTDIR source=lib.bash
source "$(dirname "$0")/lib.bash"

ROUNDS=$BENCH_ROUNDS
[ "$BENCH_QUICK" = 1 ] && [ -z "$rounds_asked" ] && ROUNDS=3
NAME=bench-tls-$$
BRIDGE=btls$$
declare -A LABEL=([a]="dind-init" [d]="baseline (docker:dind's entrypoint)")

cleanup_hook() {
	local ids
	[ -z "${WAITER:-}" ] || kill "$WAITER" 2>/dev/null || true
	[ -z "${POLLER:-}" ] || kill "$POLLER" 2>/dev/null || true
	ids=$("$DOCKER" ps -aq --filter "name=^$NAME-" 2>/dev/null || true)
	# shellcheck disable=SC2086
	[ -z "$ids" ] || timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
	if [ -n "${NET_MADE:-}" ]; then
		timeout 60 "$DOCKER" network rm "$NAME" >/dev/null 2>&1 || true
	fi
}

# make_network: NET_IP, NET_MAC on network $NAME (a /24 of 10.213.0.0/16 that no other network
# uses), with a permanent neighbour entry for NET_IP on the host
make_network() {
	local n err=
	for n in $(seq 40 99); do
		if err=$("$DOCKER" network create --driver bridge --subnet "10.213.$n.0/24" \
			-o "com.docker.network.bridge.name=$BRIDGE" "$NAME" 2>&1 >/dev/null); then
			NET_MADE=1
			NET_IP=10.213.$n.10
			NET_MAC=$(printf '02:42:0a:d5:%02x:0a' "$n")
			ip neigh replace "$NET_IP" lladdr "$NET_MAC" dev "$BRIDGE" nud permanent ||
				die "ip neigh replace $NET_IP on $BRIDGE failed"
			return 0
		fi
	done
	die "docker network create $NAME failed for every 10.213.N.0/24, N = 40..99; the last: $err"
}

# ns_of TIME: an RFC 3339 time (Docker's) in ns since the epoch
ns_of() {
	date -d "$1" +%s%N
}

# us LINE: the [dind-init HH:MM:SS.ffffff] timestamp of LINE in µs since midnight
us() {
	sed -n 's/^\[dind-init \([0-9][0-9]\):\([0-9][0-9]\):\([0-9][0-9]\)\.\([0-9]*\)\].*/\1 \2 \3 \4/p' <<<"$1" |
		awk '{ printf "%.0f\n", (($1 * 60 + $2) * 60 + $3 + ("0." $4)) * 1e6 }'
}

# span LOG N FROM TO: µs from the Nth line matching FROM to the Nth matching TO (the Nth start)
span() {
	local from to
	from=$(grep -- "^\[dind-init [^]]*\] .*$3" "$1" | sed -n "${2}p")
	to=$(grep -- "^\[dind-init [^]]*\] .*$4" "$1" | sed -n "${2}p")
	[ -n "$from" ] && [ -n "$to" ] || return 1
	echo $(($(us "$to") - $(us "$from")))
}

# start_poller OUT PORT CERTDIR|-: the client, in the background (POLLER)
start_poller() {
	"$TLSPING" stamp "$1" "$NET_IP" "$2" "$3" 180 &
	POLLER=$!
}

# await NAME OUT: until the client got its 200 (0) or the container exited (1; its log shown)
await() {
	local name=$1 out=$2 done_pid=
	"$DOCKER" wait "$name" >/dev/null 2>&1 &
	WAITER=$!
	wait -n -p done_pid "$POLLER" "$WAITER" || true
	if [ "$done_pid" = "$POLLER" ] && [ -s "$out" ]; then
		kill "$WAITER" 2>/dev/null || true
		wait "$WAITER" 2>/dev/null || true
		WAITER=
		POLLER=
		return 0
	fi
	kill "$POLLER" "$WAITER" 2>/dev/null || true
	wait "$POLLER" "$WAITER" 2>/dev/null || true
	POLLER=
	WAITER=
	"$DOCKER" logs "$name" 2>&1 | tail -n 30 >&2
	return 1
}

# record KEY T0 OUT NAME: appends ready - T0 to $WORK/KEY and ready - StartedAt to $WORK/KEY-in
record() {
	local ready connected tries started
	read -r ready connected tries <"$3"
	started=$(ns_of "$("$DOCKER" inspect -f '{{.State.StartedAt}}' "$4")")
	echo $((ready - $2)) >>"$WORK/$1"
	echo $((ready - started)) >>"$WORK/$1-in"
	echo $((connected - $2)) >>"$WORK/$1-open"
	note "$1: $(scale $((ready - $2)) 1e9 3) s ($(scale $((ready - started)) 1e9 3) s in the container," \
		"$tries tries; the port accepted $(scale $((ready - connected)) 1e6 0) ms before the 200)"
}

# go_span LOG N FROM TO: ns from the Nth dockerd or containerd line (time="...") with msg FROM
# to the Nth with msg TO
go_span() {
	local from to
	from=$(grep -F -- "msg=\"$3" "$1" | sed -n "${2}p" | sed -n 's/.*time="\([^"]*\)".*/\1/p')
	to=$(grep -F -- "msg=\"$4" "$1" | sed -n "${2}p" | sed -n 's/.*time="\([^"]*\)".*/\1/p')
	[ -n "$from" ] && [ -n "$to" ] || return 1
	echo $(($(ns_of "$to") - $(ns_of "$from")))
}

# run_args VARIANT: the image and arguments of a variant (RUN_ARGS)
run_args() {
	case "$1" in
	a) RUN_ARGS=("$E2E_IMAGE" -v) ;;
	d) RUN_ARGS=(-v "$BIN:/bench:ro" --entrypoint /bench/dinds-entrypoint.sh "$E2E_IMAGE") ;;
	esac
}

# run_on VARIANT ROUND: TLS on, first start and restart of one container
run_on() {
	local v=$1 r=$2 name=$NAME-on-$1-$2 client=$WORK/client-$1-$2 out=$WORK/p-on-$1-$2 t0 log
	mkdir -m 755 "$client"
	run_args "$v"
	start_poller "$out-1" 2376 "$client"
	t0=$(now_ns)
	"$DOCKER" run -d --name "$name" --no-healthcheck --network "$NAME" --ip "$NET_IP" \
		--mac-address "$NET_MAC" "${FLAGS[@]}" -v "$client:/certs/client" "${RUN_ARGS[@]}" >/dev/null ||
		die "docker run of $name failed"
	await "$name" "$out-1" || die "${LABEL[$v]}, TLS on: no 200 on 2376 (the container's last lines above)"
	record "on-first-$v" "$t0" "$out-1" "$name"
	timeout 120 "$DOCKER" stop "$name" >/dev/null || die "docker stop $name failed"
	start_poller "$out-2" 2376 "$client"
	t0=$(now_ns)
	"$DOCKER" start "$name" >/dev/null || die "docker start $name failed"
	await "$name" "$out-2" || die "${LABEL[$v]}, TLS on, restart: no 200 on 2376 (the container's last lines above)"
	record "on-restart-$v" "$t0" "$out-2" "$name"
	log=$WORK/log-on-$v-$r
	"$DOCKER" logs "$name" >"$log" 2>&1
	if [ "$v" = a ]; then
		span "$log" 1 'service dockerd started' 'service dockerd is ready' >>"$WORK/dockerd-a" || true
		span "$log" 2 'service dockerd started' 'service dockerd is ready' >>"$WORK/dockerd-a" || true
		span "$log" 1 'service certs started' 'service certs finished' >>"$WORK/certs-in-fresh" ||
			note "round $r: no 'service certs started/finished' in dind-init's first start"
		span "$log" 2 'service certs started' 'service certs finished' >>"$WORK/certs-in-reuse" ||
			note "round $r: no 'service certs started/finished' in dind-init's restart"
		grep -q 'dind-certs: /certs: reused' "$log" || {
			REUSE_MISSED=$((REUSE_MISSED + 1))
			note "round $r: dind-certs did not reuse the certificates on the restart"
		}
	else
		go_span "$log" 1 'containerd successfully booted' 'Loading containers: start.' >>"$WORK/ctrd-wait-d" || true
		go_span "$log" 2 'containerd successfully booted' 'Loading containers: start.' >>"$WORK/ctrd-wait-d" || true
	fi
	"$DOCKER" rm -f -v "$name" >/dev/null
}

# run_off VARIANT ROUND: TLS off, first start
run_off() {
	local v=$1 name=$NAME-off-$1-$2 out=$WORK/p-off-$1-$2 t0
	run_args "$v"
	start_poller "$out" 2375 -
	t0=$(now_ns)
	"$DOCKER" run -d --name "$name" --no-healthcheck --network "$NAME" --ip "$NET_IP" \
		--mac-address "$NET_MAC" "${FLAGS[@]}" -e DOCKER_TLS_CERTDIR= "${RUN_ARGS[@]}" >/dev/null ||
		die "docker run of $name failed"
	await "$name" "$out" || die "${LABEL[$v]}, TLS off: no 200 on 2375 (the container's last lines above)"
	record "off-$v" "$t0" "$out" "$name"
	"$DOCKER" rm -f -v "$name" >/dev/null
}

# The certificates alone, run by bash in the container: ROUNDS rounds of dind-certs fresh, the
# baseline fresh, dind-certs reuse, the baseline restart; "KIND NS" lines on stdout.
# shellcheck disable=SC2016 # expanded in the container
CERTS_LOOP='
set -eu
time_it() {
	local kind=$1 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
	t1=${EPOCHREALTIME/./}
	echo "$kind $(((t1 - t0) * 1000))"
}
for r in $(seq "$1"); do
	time_it certs-fresh dind-certs --dir /certs/a$r -q
	time_it openssl-fresh /bench/dinds-entrypoint.sh --certs /certs/b$r
	time_it certs-reuse dind-certs --dir /certs/a$r -q
	time_it openssl-restart /bench/dinds-entrypoint.sh --certs /certs/b$r
done'

certs_alone() {
	local n=$((2 * ROUNDS)) kind
	note "certificates alone, $n rounds"
	"$DOCKER" run --rm --name "$NAME-certs" --no-healthcheck --network "$NAME" -v "$BIN:/bench:ro" \
		--entrypoint bash "$E2E_IMAGE" -c "$CERTS_LOOP" certs-loop "$n" >"$WORK/certs-loop" ||
		die "the certificates-alone loop failed"
	for kind in certs-fresh openssl-fresh certs-reuse openssl-restart; do
		awk -v k="$kind" '$1 == k { print $2 }' "$WORK/certs-loop" >"$WORK/$kind"
	done
}

main() {
	local r v
	bench_tmp
	docker_env
	[ -z "${BENCH_REF:-}" ] ||
		note "BENCH_REF does not apply here: this measures the image $E2E_IMAGE as built (build it from that commit)"
	command -v ip >/dev/null || die "ip (iproute2) is missing"
	if [ ! -e /usr/include/openssl/ssl.h ]; then
		note "installing libssl-dev (the TLS client, bench/helpers/tlsping.c, links OpenSSL)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q libssl-dev >"$WORK/apt.log" 2>&1 ||
			{ cat "$WORK/apt.log" >&2; die "apt-get install libssl-dev failed"; }
	fi
	TLSPING=$(helper tlsping -lssl -lcrypto)
	BIN=$WORK/bin
	mkdir -p "$BIN"
	install -m 755 "$BENCH_DIR/dinds-entrypoint.sh" "$BIN/"
	make_network
	REUSE_MISSED=0
	for r in $(seq "$ROUNDS"); do
		for v in a d; do
			run_on "$v" "$r"
		done
		for v in a d; do
			run_off "$v" "$r"
		done
	done
	certs_alone

	local k t
	for k in on-first on-restart off; do
		ratios "$WORK/$k-a" "$WORK/$k-d" "$WORK/r-$k"
		ratios "$WORK/$k-a-in" "$WORK/$k-d-in" "$WORK/ri-$k"
	done
	row_from "$WORK/on-first-a" "6 TLS on, first start: dind-init, docker run -d to a TLS /_ping on 2376" 1e9 3 s
	ratio_text "$WORK/r-on-first"
	row_from "$WORK/on-first-d" "6 TLS on, first start: baseline (docker:dind's entrypoint)" 1e9 3 s \
		"dind-init/baseline $RATIO_TXT" "≤ 0.5" "$(met "$RATIO_MED" le 0.5)"
	row_from "$WORK/on-restart-a" "6 TLS on, restart: dind-init, docker start to a TLS /_ping on 2376" 1e9 3 s \
		"certificates reused in $((ROUNDS - REUSE_MISSED)) of $ROUNDS"
	ratio_text "$WORK/r-on-restart"
	row_from "$WORK/on-restart-d" "6 TLS on, restart: baseline (keys kept, certificates re-made)" 1e9 3 s \
		"dind-init/baseline $RATIO_TXT" "≤ 0.5" "$(met "$RATIO_MED" le 0.5)"
	for k in on-first on-restart; do
		t=${k#on-}
		t=${t/first/first start}
		row_from "$WORK/$k-a-in" "6 TLS on, $t, in the container (StartedAt to /_ping): dind-init" 1e9 3 s
		ratio_text "$WORK/ri-$k"
		row_from "$WORK/$k-d-in" "6 TLS on, $t, in the container: baseline" 1e9 3 s "dind-init/baseline $RATIO_TXT"
	done
	row_from "$WORK/off-a" "6 TLS off, first start: dind-init (--tls=false), docker run -d to /_ping on 2375" 1e9 3 s
	ratio_text "$WORK/r-off"
	row_from "$WORK/off-d" "6 TLS off, first start: baseline (no --tls=false)" 1e9 3 s "dind-init/baseline $RATIO_TXT"
	for v in a d; do
		row_from "$WORK/off-$v-open" "6 TLS off: docker run -d to port 2375 accepting: ${LABEL[$v]}" 1e9 3 s
	done
	[ ! -s "$WORK/dockerd-a" ] ||
		row_from "$WORK/dockerd-a" "6 TLS on: dockerd started to ready in dind-init's debug log (all starts)" 1e3 0 ms
	[ ! -s "$WORK/ctrd-wait-d" ] ||
		row_from "$WORK/ctrd-wait-d" "6 TLS on, baseline: its containerd booted to dockerd's Loading containers (all starts)" 1e6 0 ms \
			"dockerd waiting for its own containerd"

	ratios "$WORK/certs-fresh" "$WORK/openssl-fresh" "$WORK/r-certs-fresh"
	ratios "$WORK/certs-reuse" "$WORK/openssl-restart" "$WORK/r-certs-reuse"
	row_from "$WORK/certs-fresh" "6 certificates alone, fresh: dind-certs (ECDSA P-256)" 1e6 1 ms "" "≤ 50 ms" \
		"$(met "$(scale "$(summary "$WORK/certs-fresh" | cut -d' ' -f1)" 1e6 3)" le 50)"
	ratio_text "$WORK/r-certs-fresh"
	row_from "$WORK/openssl-fresh" "6 certificates alone, fresh: baseline's openssl (RSA 4096)" 1e6 1 ms \
		"dind-certs/openssl $RATIO_TXT"
	row_from "$WORK/certs-reuse" "6 certificates alone, reuse: dind-certs" 1e6 1 ms "" "≤ 50 ms" \
		"$(met "$(scale "$(summary "$WORK/certs-reuse" | cut -d' ' -f1)" 1e6 3)" le 50)"
	ratio_text "$WORK/r-certs-reuse"
	row_from "$WORK/openssl-restart" "6 certificates alone, restart: baseline's openssl (keys kept)" 1e6 1 ms \
		"dind-certs/openssl $RATIO_TXT"
	[ ! -s "$WORK/certs-in-fresh" ] ||
		row_from "$WORK/certs-in-fresh" "6 certs service in dind-init's first start (debug log)" 1e3 1 ms \
			"beside containerd's start" "≤ 50 ms" "$(met "$(summary "$WORK/certs-in-fresh" | cut -d' ' -f1)" le 50000)"
	[ ! -s "$WORK/certs-in-reuse" ] ||
		row_from "$WORK/certs-in-reuse" "6 certs service in dind-init's restart (debug log)" 1e3 1 ms \
			"beside containerd's start" "≤ 50 ms" "$(met "$(summary "$WORK/certs-in-reuse" | cut -d' ' -f1)" le 50000)"
}

main "$@"
