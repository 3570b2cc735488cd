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
	# Hermetic: a test without -c gets no services, whatever /etc/dind-init.ini this machine has
	# (cmake --install puts one there). Tests of the default path unset it themselves.
	export DIND_INIT_CONFIG=/dev/null
}

teardown() {
	# Nothing a test started may outlive it: SIGKILL to PID 1 of the namespace takes every
	# process in it down with it (killing unshare alone would not).
	if [ -n "${INIT_PID:-}" ] && kill -0 "$INIT_PID" 2>/dev/null; then
		kill -KILL "$INIT_PID" 2>/dev/null || true
	fi
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

# looping_script NAME TRAPS [WORD]: a service script $T/NAME that sets its TRAPS, writes WORD
# (default up) to $EVENTS once they are set, then runs until a signal ends it
looping_script() {
	service_script "$1" "$2
echo ${3:-up} >>\$EVENTS
while :; do sleep 0.05; done"
}

# svc NAME: a long-running fake service that logs start-NAME and, on SIGTERM, stop-NAME to $EVENTS
svc() {
	looping_script "$1" "trap 'echo stop-$1 >>\$EVENTS; exit 0' TERM" "start-$1"
}

# in_ns ARGS...: run dind-init ARGS as PID 1 of a new PID namespace, in the foreground
in_ns() {
	timeout --kill-after=5 60 unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup "$@"
}

# start_ns ARGS...: same in the background; sets NS_PID (unshare) and waits for INIT_PID (the
# dind-init process, PID 1 inside, as seen from here); output goes to $T/out.
# A background job of a script starts with SIGINT and SIGQUIT ignored: dind-init resets them
# (and every other disposition) itself, so they are left as they come.
start_ns() {
	unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup "$@" >"$T/out" 2>&1 &
	NS_PID=$!
	INIT_PID=""
	for _ in $(seq 400); do
		INIT_PID=${INIT_PID:-$(pgrep -P "$NS_PID" || true)}
		# Ready for signals once dind-init runs and has blocked them: before that, the
		# kernel drops a signal to a namespace's PID 1 that has no handler for it.
		if [ -n "$INIT_PID" ] && [ "$(readlink "/proc/$INIT_PID/exe" 2>/dev/null)" = "$(readlink -f "$DIND_INIT")" ] &&
			grep -Eq '^SigBlk:[[:space:]]*0*[1-9a-f]' "/proc/$INIT_PID/status" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "dind-init did not start" >&2
	return 1
}

# wait_ns: wait (at most 60 s) for the backgrounded namespace and set STATUS; a dind-init
# that does not exit by then fails the test instead of hanging the suite
wait_ns() {
	local tries=1200
	while kill -0 "$NS_PID" 2>/dev/null && [ "$tries" -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	if kill -0 "$NS_PID" 2>/dev/null; then
		echo "dind-init did not exit within 60 s" >&2
		kill -KILL "$INIT_PID" 2>/dev/null || true
	fi
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

# proc_state PID: the state letter of host process PID (R, S, T, Z...)
proc_state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# wait_for_proc_state PID LETTER: poll (bounded) until process PID is in that state
wait_for_proc_state() {
	for _ in $(seq 400); do
		[ "$(proc_state "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	echo "process $1 is in state '$(proc_state "$1")', not '$2'" >&2
	return 1
}

# event_order: the events file as one line, "a b c"
event_order() {
	tr '\n' ' ' <"$EVENTS" | sed 's/ $//'
}

# --- readiness, health probes and the control socket ---

# Python runs the JSON checks and the raw protocol clients; the system one first, so that a
# client run as nobody (setpriv) can execute it.
if [ -x /usr/bin/python3 ]; then
	PYTHON=/usr/bin/python3
else
	PYTHON=$(command -v python3 || echo python3)
fi

# ctl_init: the [init] keys that keep the control socket and the notify sockets in $T, away from
# the real /run; further [init] keys may follow it in the config
ctl_init() {
	printf '[init]\ncontrol_socket = %s\nruntime_dir = %s\n' "$T/ctl.sock" "$T/run"
}

# ctl_link: $T/dind-ctl, a symlink to dind-init (the name selects the client)
ctl_link() {
	[ -e "$T/dind-ctl" ] || ln -s "$DIND_INIT" "$T/dind-ctl"
}

# ctl ARGS...: dind-ctl on this test's control socket, bounded in time
ctl() {
	ctl_link
	timeout --kill-after=5 30 "$T/dind-ctl" -s "$T/ctl.sock" "$@"
}

# svc_field NAME FIELD: one field of service NAME in `dind-ctl status --json`, null as "null"
svc_field() {
	ctl status --json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
s = [s for s in d["services"] if s["name"] == sys.argv[1]]
if not s:
    sys.exit("no service %s in the status" % sys.argv[1])
v = s[0][sys.argv[2]]
print("null" if v is None else v)' "$1" "$2"
}

# main_field FIELD: one field of the main command in `dind-ctl status --json`
main_field() {
	ctl status --json | "$PYTHON" -c '
import json, sys
v = json.load(sys.stdin)["main"][sys.argv[1]]
print("null" if v is None else v)' "$1"
}

# wait_for_state NAME STATE [TRIES]: poll (bounded) until service NAME is in STATE
wait_for_state() {
	local tries=${3:-200} st=""
	for _ in $(seq "$tries"); do
		st=$(svc_field "$1" state 2>/dev/null) || true
		[ "$st" = "$2" ] && return 0
		sleep 0.05
	done
	echo "service $1 is '$st', not '$2'" >&2
	ctl status >&2 || true
	return 1
}

# wait_for_count FILE PATTERN N [TRIES]: poll (bounded) until N lines of FILE match PATTERN
wait_for_count() {
	local tries=${4:-400}
	for _ in $(seq "$tries"); do
		[ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.05
	done
	echo "fewer than $3 lines matching '$2' in $1:" >&2
	cat "$1" >&2
	return 1
}

# retry TRIES CMD...: run CMD until it succeeds, at most TRIES times 0.05 s apart
retry() {
	local tries=$1
	shift
	for _ in $(seq "$tries"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	"$@"
}

# in_order FILE PATTERN...: the first lines of FILE matching each PATTERN exist and come in
# this order
in_order() {
	local file=$1 prev=0 n p
	shift
	for p in "$@"; do
		n=$(grep -n -m 1 -- "$p" "$file" | cut -d: -f1)
		if [ -z "$n" ] || [ "$n" -le "$prev" ]; then
			echo "expected in this order in $file: $*" >&2
			echo "('$p' $([ -n "$n" ] && echo "is at line $n" || echo "is missing"))" >&2
			cat "$file" >&2
			return 1
		fi
		prev=$n
	done
}

# ns_run CMD...: run CMD as a process of the test's namespace (PID and mount namespaces)
ns_run() {
	nsenter -t "$INIT_PID" -p -m -- "$@"
}

# free_port: a TCP port in 20000-39999 nobody listens on at 127.0.0.1
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# ctl_raw [--nobody] PAYLOAD: connect to the control socket (as uid/gid 65534 with --nobody),
# send PAYLOAD (a Python bytes expression, such as b"status\n"), print what comes back until
# the server closes. Exit 0 when it closed, 3 when connect failed, 4 when no EOF came within 10 s.
ctl_raw() {
	local as=()
	if [ "$1" = --nobody ]; then
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		shift
	fi
	"${as[@]}" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("connect failed: %s" % e.strerror)
    sys.exit(3)
try:
    s.sendall(eval(sys.argv[2]))
except OSError as e:
    print("send failed: %s" % e.strerror)
out = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        out += b
except socket.timeout:
    sys.stdout.write(out.decode(errors="replace"))
    print("no EOF within 10 s")
    sys.exit(4)
except OSError as e:
    print("recv failed: %s" % e.strerror)
sys.stdout.write(out.decode(errors="replace"))' "$T/ctl.sock" "$1"
}

# kill_ns: SIGKILL to PID 1 of the namespace, which takes every process in it along (a SIGKILL
# to unshare alone leaves them running), then reap unshare
kill_ns() {
	if [ -n "${INIT_PID:-}" ] && kill -0 "$INIT_PID" 2>/dev/null; then
		kill -KILL "$INIT_PID" 2>/dev/null || true
	fi
	if [ -n "${NS_PID:-}" ]; then
		wait "$NS_PID" 2>/dev/null || true
	fi
}

# refute CMD...: fail when CMD succeeds. A bare `! CMD` never fails a bats test (set -e ignores
# negated commands), so write `refute grep -q x file` instead.
refute() {
	if "$@"; then
		echo "expected to fail: $*" >&2
		return 1
	fi
}
