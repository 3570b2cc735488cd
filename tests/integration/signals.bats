#!/usr/bin/env bats
# Signals to PID 1: what the parent left us, stop signals during a shutdown, forced shutdowns,
# HUP/USR1/USR2 without a main command, and signals at the worst moment.

load common

# as_child_of_python PYCODE ARGS...: run dind-init --no-setup ARGS as PID 1 of a new PID
# namespace, exec'd by a Python PID 1 that first runs PYCODE (module signal is imported): what
# a parent that changes signal dispositions or the mask and then execs dind-init leaves it.
as_child_of_python() {
	local code=$1
	shift
	timeout --kill-after=5 30 unshare --pid --fork --kill-child --mount-proc "$PYTHON" -c "
import os, signal, sys
$code
os.execv(sys.argv[1], sys.argv[1:])" "$DIND_INIT" --no-setup "$@"
}

# sig_lines FILE: the SigIgn and SigBlk lines of FILE, "SigBlk=... SigIgn=..."
sig_lines() {
	grep -oE 'Sig(Ign|Blk):[[:space:]]*[0-9a-f]+' "$1" | tr -d ' \t' | sed 's/:/=/' | sort | tr '\n' ' ' | sed 's/ $//'
}

@test "started with SIGCHLD ignored, dind-init still sees the main command exit: its status" {
	# SIGCHLD at SIG_IGN means the kernel reaps children on its own and sends no SIGCHLD
	run as_child_of_python 'signal.signal(signal.SIGCHLD, signal.SIG_IGN)' -- sh -c 'sleep 0.2; exit 42'
	echo "$output"
	[ "$status" -eq 42 ]
	[[ "$output" == *"main command exited with status 42"* ]]
	# the same with services to supervise: the exit of one is seen and it is restarted
	service_script once 'echo run >>$EVENTS; exit 1'
	write_config <<EOF
[init]
main_after =
[service:once]
command = $T/once
restart_delay = 10ms
start_limit_burst = 10
EOF
	run as_child_of_python 'signal.signal(signal.SIGCHLD, signal.SIG_IGN)' -c "$T/dind-init.ini" -- sh -c "while [ \$(grep -c run $EVENTS) -lt 3 ]; do sleep 0.05; done; exit 7"
	echo "$output"
	[ "$status" -eq 7 ]
	grep -q 'service once exited with status 1' <<<"$output"
}

@test "whatever dind-init inherits, it and every child start from default dispositions and an empty mask" {
	# a parent that ignores INT, TERM, HUP (and, being Python, PIPE and XFSZ) and blocks USR1,
	# USR2 and WINCH, then execs dind-init; a service, a probe and the main command report
	service_script probe 'grep -E "^Sig(Ign|Blk)" /proc/self/status >$T/probe-sigs'
	write_config <<EOF
[service:svc]
command = grep -E "^Sig(Ign|Blk)" /proc/self/status
type = oneshot
[service:probed]
command = sleep 1000
ready = exec $T/probe
[init]
main_after = svc probed
EOF
	run as_child_of_python '
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2, signal.SIGWINCH})' \
		-c "$T/dind-init.ini" -- sh -c 'grep -E "^SigIgn" /proc/1/status | sed "s/^/init-/"; exec grep -E "^Sig(Ign|Blk)" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	# (the next test checks that this parent does leave them behind) dind-init has none
	# ignored any more...
	grep -qx 'init-SigIgn:[[:space:]]*0000000000000000' <<<"$output"
	grep '^\[svc\] Sig' <<<"$output" >"$T/svc-sigs"
	grep -v '^\[' <<<"$output" | grep '^Sig' >"$T/main-sigs"
	# ...and its children start clean
	[ "$(sig_lines "$T/svc-sigs")" = "SigBlk=0000000000000000 SigIgn=0000000000000000" ]
	[ "$(sig_lines "$T/probe-sigs")" = "SigBlk=0000000000000000 SigIgn=0000000000000000" ]
	[ "$(sig_lines "$T/main-sigs")" = "SigBlk=0000000000000000 SigIgn=0000000000000000" ]
}

@test "the Python parent of the previous test does leave ignored and blocked signals behind" {
	# guards the test above: without dind-init in between, the same parent hands them on
	run timeout 30 "$PYTHON" -c '
import os, signal, sys
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2, signal.SIGWINCH})
os.execv("/bin/grep", ["grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"])'
	echo "$output"
	refute grep -q 'SigIgn:[[:space:]]*0000000000000000' <<<"$output"
	refute grep -q 'SigBlk:[[:space:]]*0000000000000000' <<<"$output"
}
