# Shared setup for the integration tests: dind-init runs as PID 1 of a fresh PID namespace
# (unshare --pid --fork --mount-proc), with fake services written as small shell scripts.

: "${DIND_INIT:?set DIND_INIT to the dind-init binary (CTest does)}"
: "${HELPERS:?set HELPERS to the test helper programs folder (CTest does)}"

bats_require_minimum_version 1.5.0

setup() {
	if [ "$(id -u)" != 0 ]; then
		echo "integration tests need root (PID namespaces)" >&2
		return 1
	fi
	T=$(mktemp -d /tmp/dind-init-test.XXXXXX)
	EVENTS="$T/events"
	: >"$EVENTS"
	export T EVENTS
}

teardown() {
	# Nothing a test started may outlive it: kill the namespace if it is still there.
	if [ -n "${NS_PID:-}" ] && kill -0 "$NS_PID" 2>/dev/null; then
		kill -KILL "$NS_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}

# write_config NAME <<EOF ... : a config file in the test folder
write_config() {
	cat >"$T/${1:-dind-init.ini}"
}

# service_script NAME BODY: an executable script $T/NAME
service_script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod +x "$T/$1"
}

# in_ns ARGS...: run dind-init ARGS as PID 1 of a new PID namespace, in the foreground
in_ns() {
	timeout --kill-after=5 60 unshare --pid --fork --mount-proc "$DIND_INIT" "$@"
}

# start_ns ARGS...: same in the background; sets NS_PID (unshare) and waits for INIT_PID (the
# dind-init process, PID 1 inside, as seen from here); output goes to $T/out.
start_ns() {
	unshare --pid --fork --mount-proc "$DIND_INIT" "$@" >"$T/out" 2>&1 &
	NS_PID=$!
	INIT_PID=""
	for _ in $(seq 200); do
		INIT_PID=$(pgrep -P "$NS_PID" || true)
		[ -n "$INIT_PID" ] && return 0
		sleep 0.05
	done
	echo "dind-init did not start" >&2
	return 1
}

# wait_ns: wait for the backgrounded namespace and set STATUS
wait_ns() {
	STATUS=0
	wait "$NS_PID" || STATUS=$?
}

# wait_for_line FILE PATTERN [TRIES]: poll (bounded) until a line matching PATTERN appears
wait_for_line() {
	local tries=${3:-400}
	for _ in $(seq "$tries"); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "no line matching '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# event_order: the events file as one line, "a b c"
event_order() {
	tr '\n' ' ' <"$EVENTS" | sed 's/ $//'
}
