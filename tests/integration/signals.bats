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

@test "a stop signal after the main command exited does not force the shutdown it began" {
	# docker stop's SIGTERM arrives while the services stop after the main command's exit
	looping_script slow 'trap "echo stopping >>$EVENTS; while [ ! -f $T/go ]; do sleep 0.05; done; echo clean-exit >>$EVENTS; exit 0" TERM'
	write_config <<EOF
[service:slow]
command = $T/slow
stop_timeout = 60s
EOF
	# the main command ends once the service has set its trap (it writes "up" after that)
	start_ns -c "$T/dind-init.ini" -- sh -c 'until grep -q up "$EVENTS"; do sleep 0.05; done; exit 3'
	wait_for_line "$EVENTS" stopping
	kill -TERM "$INIT_PID"
	wait_for_line "$T/out" 'received SIGTERM while already shutting down'
	touch "$T/go"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 3 ]
	[ "$(event_order)" = "up stopping clean-exit" ]
	refute grep -q 'sending SIGKILL' "$T/out"
}

@test "a stopped main command (SIGSTOP) gets SIGCONT after its stop signal: its own exit status" {
	# with SIGCONT right after SIGTERM it runs its trap now instead of waiting out [main]
	# stop_timeout for SIGKILL (which would make the status 137)
	service_script job 'trap "echo got-TERM >>$EVENTS; exit 42" TERM
echo up >>$EVENTS
kill -STOP $$
while :; do sleep 0.05; done'
	write_config <<EOF
[main]
stop_timeout = 3s
EOF
	start_ns -c "$T/dind-init.ini" -- "$T/job"
	wait_for_line "$EVENTS" up
	wait_for_proc_state "$(pgrep -P "$INIT_PID" -f "$T/job")" T
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 42 ]
	[ "$(event_order)" = "up got-TERM" ]
	refute grep -q 'did not exit within' "$T/out"
}

@test "after the main command exited, a second stop signal forces the shutdown; its status stands" {
	looping_script stubborn 'trap "echo ignored >>$EVENTS" TERM'
	write_config <<EOF
[service:stubborn]
command = $T/stubborn
stop_timeout = 60s
EOF
	# the main command ends once the service has set its trap (it writes "up" after that)
	start_ns -c "$T/dind-init.ini" -- sh -c 'until grep -q up "$EVENTS"; do sleep 0.05; done; exit 3'
	wait_for_line "$EVENTS" ignored
	kill -TERM "$INIT_PID"
	wait_for_line "$T/out" 'received SIGTERM while already shutting down'
	kill -INT "$INIT_PID"
	wait_ns
	cat "$T/out"
	grep -q 'SIGINT received again during shutdown: sending SIGKILL to every process' "$T/out"
	# forced, but the job had ended on its own: its result is what CI wants
	[ "$STATUS" -eq 3 ]
	grep -q 'shutdown complete, exiting with status 3' "$T/out"
}

@test "a forced shutdown exits 137: second stop signal while the main command stops" {
	looping_script stubborn 'trap "echo ignored >>$EVENTS" TERM'
	looping_script main 'trap "echo main-TERM >>$EVENTS; exit 0" TERM' main-up
	write_config <<EOF
[service:stubborn]
command = $T/stubborn
stop_timeout = 60s
EOF
	start_ns -c "$T/dind-init.ini" -- "$T/main"
	wait_for_line "$EVENTS" main-up
	kill -TERM "$INIT_PID"
	# the main command exited 0 on our SIGTERM; the service ignores its own
	wait_for_line "$EVENTS" ignored
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	grep -q 'main command exited with status 0' "$T/out"
	grep -q 'SIGTERM received again during shutdown: sending SIGKILL' "$T/out"
	[ "$STATUS" -eq 137 ]
}

@test "an orderly shutdown without a main command still exits 0" {
	looping_script polite 'trap "exit 0" TERM'
	write_config <<EOF
[service:polite]
command = $T/polite
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
}

# recorder: a fake dockerd that logs HUP, USR1 and USR2 to $EVENTS
recorder() {
	service_script "$1" 'for s in HUP USR1 USR2; do trap "echo $s >>$EVENTS" $s; done
trap "exit 0" TERM
echo up >>$EVENTS
while :; do sleep 0.05; done'
}

@test "without a main command, HUP, USR1 and USR2 go to the args_to service, and it is logged" {
	recorder fake
	write_config <<EOF
[init]
args_to = fake
[service:fake]
command = $T/fake
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	for s in HUP USR1 USR2; do
		kill -"$s" "$INIT_PID"
		wait_for_line "$EVENTS" "^$s\$"
	done
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "up HUP USR1 USR2" ]
	for s in HUP USR1 USR2; do
		grep -q "SIG$s received with no main command running: sent SIG$s to fake (pid [0-9]*)" "$T/out"
	done
}

@test "once the main command has exited (on_main_exit = ignore), HUP goes to the args_to service" {
	recorder fake
	write_config <<EOF
[init]
args_to = fake
on_main_exit = ignore
[service:fake]
command = $T/fake
EOF
	start_ns -c "$T/dind-init.ini" -- sh -c 'exit 0'
	wait_for_line "$T/out" 'main command exited with status 0'
	kill -HUP "$INIT_PID"
	wait_for_line "$EVENTS" '^HUP$'
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
}

@test "with a main command running, HUP goes to it and not to the args_to service" {
	recorder fake
	service_script main 'trap "echo main-HUP >>$EVENTS" HUP
trap "exit 0" TERM
echo main-up >>$EVENTS
while :; do sleep 0.05; done'
	write_config <<EOF
[init]
args_to = fake
[service:fake]
command = $T/fake
EOF
	start_ns -c "$T/dind-init.ini" -- "$T/main"
	wait_for_line "$EVENTS" main-up
	kill -HUP "$INIT_PID"
	wait_for_line "$EVENTS" main-HUP
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	refute grep -qx HUP "$EVENTS"
}

@test "without a main command or an args_to service, HUP is ignored with a log line saying why" {
	recorder fake
	write_config <<EOF
[service:fake]
command = $T/fake
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -HUP "$INIT_PID"
	wait_for_line "$T/out" 'SIGHUP received with no main command running and no \[init\] args_to service to pass it to: ignored'
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	refute grep -qx HUP "$EVENTS"
}

@test "SIGTERM that comes as the main command exits: the exit counts first, whatever signalfd's order" {
	# dind-init is stopped while the main command exits and SIGTERM comes: both wait for it
	# at once, and signalfd hands out SIGTERM (15) before SIGCHLD (17)
	service_script main 'echo main-up >>$EVENTS; while [ ! -f $T/go ]; do sleep 0.05; done; exit 3'
	service_script polite 'trap "echo stop-polite >>$EVENTS; exit 0" TERM
while :; do sleep 0.05; done'
	write_config <<EOF
[service:polite]
command = $T/polite
EOF
	start_ns -c "$T/dind-init.ini" -- "$T/main"
	wait_for_line "$EVENTS" main-up
	main=$(pgrep -P "$INIT_PID" -f "$T/main")
	kill -STOP "$INIT_PID"
	wait_for_proc_state "$INIT_PID" T
	touch "$T/go"
	wait_for_proc_state "$main" Z
	kill -TERM "$INIT_PID"
	kill -CONT "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 3 ]
	in_order "$T/out" 'main command exited with status 3' 'received SIGTERM while already shutting down'
	refute grep -q 'stopping the main command' "$T/out"
	refute grep -q 'sending SIGKILL' "$T/out"
	grep -q stop-polite "$EVENTS"
}

@test "a stop signal during setup, before the loop, is acted on before anything starts" {
	service_script never 'echo started >>$EVENTS; exec sleep 1000'
	write_config <<EOF
[service:never]
command = $T/never
EOF
	# dind-init stopped by a stop signal that was already pending when it blocked signals:
	# a parent that blocks SIGTERM, raises it, then execs dind-init
	run as_child_of_python 'signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}); os.kill(os.getpid(), signal.SIGTERM)' -c "$T/dind-init.ini" -- sleep 1000
	echo "$output"
	[ "$status" -eq 143 ]
	[[ "$output" == *"received SIGTERM, shutting down"* ]]
	[ ! -s "$EVENTS" ]
}

# Audit F3: the fault signals were left unblocked at SIG_DFL, so the kernel dropped them for
# PID 1 (README: every other signal is forwarded), and PIPE and URG were swallowed.
@test "kill -ABRT, -SEGV, -BUS, -ILL, -FPE, -TRAP, -SYS, -PIPE, -URG to PID 1 reach the main command" {
	sigs="ABRT SEGV BUS ILL FPE TRAP SYS PIPE URG"
	service_script main "for s in $sigs; do trap \"echo \$s >>\$EVENTS\" \$s; done
trap 'exit 0' TERM
echo ready >>\$EVENTS
while :; do sleep 0.05; done"
	start_ns -c /dev/null -- "$T/main"
	wait_for_line "$EVENTS" ready
	for s in $sigs; do
		kill -"$s" "$INIT_PID"
		wait_for_line "$EVENTS" "^$s\$"
	done
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "ready $sigs" ]
}

@test "a SIGPIPE dind-init raises itself (a log pipe nobody reads) is not forwarded; one sent to it is" {
	service_script main 'for s in PIPE WINCH; do trap "echo $s >>$EVENTS" $s; done
trap "exit 0" TERM
echo ready >>$EVENTS
while :; do sleep 0.05; done'
	# dind-init's stdout and stderr: a FIFO whose only reader goes away at once, so that every
	# line dind-init logs from then on raises SIGPIPE for dind-init itself
	mkfifo "$T/log"
	(exec 3<"$T/log") &
	reader=$!
	unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup -v -c /dev/null -- "$T/main" >"$T/log" 2>&1 &
	NS_PID=$!
	wait "$reader"
	for _ in $(seq 400); do
		INIT_PID=${INIT_PID:-$(pgrep -P "$NS_PID" || true)}
		grep -q ready "$EVENTS" && break
		sleep 0.05
	done
	grep -q ready "$EVENTS"
	# an orphan for dind-init to reap: with -v it logs that, which raises its own SIGPIPE
	# (13) before the orphan is gone from /proc...
	ns_run sh -c "sleep 0.1 & echo \$! >$T/orphan"
	orphan=$(cat "$T/orphan")
	for _ in $(seq 400); do
		ns_run test -e "/proc/$orphan" || break
		sleep 0.05
	done
	refute ns_run test -e "/proc/$orphan"
	# ...so that it is read before this SIGWINCH (28): signalfd hands out the lowest first
	kill -WINCH "$INIT_PID"
	wait_for_line "$EVENTS" '^WINCH$'
	refute grep -q '^PIPE$' "$EVENTS"
	# one that another process sends is the main command's
	kill -PIPE "$INIT_PID"
	wait_for_line "$EVENTS" '^PIPE$'
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "ready WINCH PIPE" ]
}

@test "not PID 1: kill -ABRT from the parent does not kill dind-init; it forwards it and goes on supervising" {
	service_script svc 'echo "svc-up $$" >>$EVENTS
exec sleep 1000'
	service_script main 'trap "echo main-ABRT >>$EVENTS" ABRT
trap "exit 0" TERM
echo main-up >>$EVENTS
while :; do sleep 0.05; done'
	write_config <<EOF2
$(ctl_init)
main_after =
[service:svc]
command = $T/svc
restart_delay = 10ms
EOF2
	# dind-init as the child of a PID 1 (a shell here) that could forward every signal it gets,
	# as dumb-init or tini -g do; the test sends them itself
	unshare --pid --fork --kill-child --mount-proc sh -c '"$0" --no-setup -c "$1" -- "$2"; echo "init-exit $?" >>"$EVENTS"' \
		"$DIND_INIT" "$T/dind-init.ini" "$T/main" >"$T/out" 2>&1 &
	NS_PID=$!
	wait_for_line "$EVENTS" main-up
	wait_for_line "$EVENTS" svc-up
	INIT_PID=$(pgrep -P "$NS_PID")
	init=$(pgrep -P "$INIT_PID" -x dind-init)
	kill -ABRT "$init"
	wait_for_line "$EVENTS" main-ABRT
	kill -0 "$init"
	# still supervising: a service that dies is restarted
	ns_run kill -KILL "$(sed -n 's/^svc-up //p' "$EVENTS" | head -1)"
	wait_for_count "$EVENTS" svc-up 2
	kill -TERM "$init"
	wait_for_line "$EVENTS" init-exit
	wait_ns
	cat "$T/out"
	grep -qx 'init-exit 0' "$EVENTS"
	grep -q 'service svc was killed by SIGKILL' "$T/out"
}
