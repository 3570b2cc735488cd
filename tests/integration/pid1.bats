#!/usr/bin/env bats
# dind-init as PID 1: reaping, exit codes, signals, terminals, subreaper mode.

load common

@test "runs as PID 1 and the command sees it as its parent" {
	run in_ns -- sh -c 'echo "pid1=$(cat /proc/1/comm) parent=$PPID"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"pid1=dind-init parent=1"* ]]
}

@test "reaps 500 orphaned zombies created by the command" {
	run in_ns -- "$HELPERS/mkorphans" 500
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"orphans made: 500"* ]]
	[[ "$output" == *"zombies left: 0"* ]]
}

@test "exit codes of the command propagate: 0 1 42 255" {
	for code in 0 1 42 255; do
		run in_ns -- sh -c "exit $code"
		echo "want $code got $status"
		[ "$status" -eq "$code" ]
	done
}

@test "a command killed by a signal gives 128+N" {
	run in_ns -- sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
	run in_ns -- sh -c 'kill -SEGV $$'
	[ "$status" -eq 139 ]
}

@test "a command that is not found exits 127 with a clear message" {
	run -127 in_ns -- /nonexistent/program arg
	[ "$status" -eq 127 ]
	[[ "$output" == *"/nonexistent/program"*"No such file or directory"* ]]
	run -127 in_ns -- no-such-command-anywhere
	[ "$status" -eq 127 ]
}

@test "PATH lookup works like execvp: never the current directory, 126 for a non-executable match" {
	mkdir "$T/bin"
	printf '#!/bin/sh\necho ran\n' >"$T/bin/sneaky"
	chmod +x "$T/bin/sneaky"
	printf 'echo hi\n' >"$T/bin/noexec"
	chmod 644 "$T/bin/noexec"
	cd "$T/bin"
	PATH=/usr/bin:/bin run -127 in_ns -- sneaky
	[[ "$output" != *ran* ]]
	PATH=$T/bin:/usr/bin:/bin run -126 in_ns -- noexec
	[[ "$output" == *"Permission denied"* ]]
	PATH=$T/bin:/usr/bin:/bin run -0 in_ns -- sneaky
	[[ "$output" == *ran* ]]
}

@test "a command that is not executable exits 126" {
	printf 'echo hi\n' >"$T/notexec"
	chmod 644 "$T/notexec"
	run in_ns -- "$T/notexec"
	[ "$status" -eq 126 ]
	[[ "$output" == *"Permission denied"* ]]
}

@test "SIGTERM to PID 1 reaches the command, whose status becomes dind-init's" {
	service_script main 'trap "echo got-TERM >>$EVENTS; exit 7" TERM
echo started >>$EVENTS
while :; do sleep 0.1; done'
	start_ns -- "$T/main"
	wait_for_line "$EVENTS" started
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 7 ]
	[ "$(event_order)" = "started got-TERM" ]
}

@test "SIGINT and SIGQUIT also shut down, and are passed on to the command" {
	for sig in INT QUIT; do
		: >"$EVENTS"
		service_script main "trap 'echo got-$sig >>\$EVENTS; exit 3' $sig
echo started >>\$EVENTS
while :; do sleep 0.05; done"
		start_ns -- "$T/main"
		wait_for_line "$EVENTS" started
		kill -"$sig" "$INIT_PID"
		wait_ns
		[ "$STATUS" -eq 3 ]
		grep -q "received SIG$sig, shutting down" "$T/out"
		[ "$(event_order)" = "started got-$sig" ]
	done
}

@test "a stop signal right at start-up still ends with 128+N and nothing left" {
	start_ns -- sleep 1000
	# The kernel drops a signal to a namespace's PID 1 that comes before it has blocked
	# signals (it has no handler then), so repeat it until it lands: as early as possible.
	for _ in $(seq 100); do
		kill -TERM "$INIT_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait_ns
	[ "$STATUS" -eq 143 ]
}

@test "a command that ignores nothing is ended by SIGTERM: 143" {
	start_ns -- sleep 1000
	sleep 0.2
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 143 ]
}

@test "HUP, USR1, USR2, WINCH and CONT are forwarded to the command" {
	service_script main 'for s in HUP USR1 USR2 WINCH CONT; do trap "echo $s >>$EVENTS" $s; done
trap "exit 0" TERM
echo ready >>$EVENTS
while :; do sleep 0.05; done'
	start_ns -- "$T/main"
	wait_for_line "$EVENTS" ready
	for s in HUP USR1 USR2 WINCH CONT; do
		kill -"$s" "$INIT_PID"
		wait_for_line "$EVENTS" "^$s\$"
	done
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "ready HUP USR1 USR2 WINCH CONT" ]
}

@test "SIGTSTP to PID 1 is ignored" {
	start_ns -- sleep 1000
	sleep 0.2
	kill -TSTP "$INIT_PID"
	sleep 0.2
	grep -q '^State:.*[RS]' "/proc/$INIT_PID/status"
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 143 ]
}

@test "children start with an empty signal mask, in their own process group, no extra fds" {
	run in_ns -q -- sh -c 'grep SigBlk /proc/self/status; echo "pgid=$(ps -o pgid= -p $$ | tr -d " ") pid=$$"; echo "fds=$(ls /proc/self/fd | sort -n | tr "\n" " ")end"'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SigBlk:	0000000000000000"* ]]
	pid=$(echo "$output" | sed -n 's/.*pgid=\([0-9]*\) pid=\([0-9]*\).*/\1 \2/p')
	[ -n "$pid" ]
	[ "${pid% *}" = "${pid#* }" ]
	# the ls itself opens one directory fd (3); nothing else leaks in
	grep -qx 'fds=0 1 2 3 end' <<<"$output"
}

@test "with a terminal the command is the foreground process group (job control)" {
	command -v script >/dev/null
	run timeout 30 script -qec "unshare --pid --fork --mount-proc $DIND_INIT -- sh -c 'echo pgid=\$(ps -o pgid= -p \$\$ | tr -d \" \") tpgid=\$(ps -o tpgid= -p \$\$ | tr -d \" \")'" /dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	pg=$(echo "$output" | sed -n 's/.*pgid=\([0-9]*\) tpgid=\([0-9]*\).*/\1/p')
	tp=$(echo "$output" | sed -n 's/.*pgid=\([0-9]*\) tpgid=\([0-9]*\).*/\2/p')
	[ -n "$pg" ]
	[ "$pg" = "$tp" ]
}

@test "when not PID 1 it becomes a subreaper: orphans are re-parented to it and reaped" {
	run timeout 30 "$DIND_INIT" -c /dev/null -- "$HELPERS/orphan_ppid"
	echo "$output"
	[ "$status" -eq 0 ]
	init=$(echo "$output" | sed -n 's/.*init=\([0-9]*\) orphan_parent=\([0-9]*\).*/\1/p')
	adopted=$(echo "$output" | sed -n 's/.*init=\([0-9]*\) orphan_parent=\([0-9]*\).*/\2/p')
	[ -n "$init" ]
	[ "$init" = "$adopted" ]
	run timeout 60 "$DIND_INIT" -c /dev/null -- "$HELPERS/mkorphans" 100
	[ "$status" -eq 0 ]
}

@test "in subreaper mode, strays are signalled at shutdown, and only our own descendants" {
	# a process outside dind-init's tree that must survive
	sleep 1000 &
	outsider=$!
	service_script leaky 'setsid sh -c "trap \"echo stray-TERM >>$EVENTS; exit 0\" TERM; echo stray-up >>$EVENTS; while :; do sleep 0.05; done" &
exec sleep 1000'
	write_config <<EOF
[service:leaky]
command = $T/leaky
EOF
	"$DIND_INIT" -c "$T/dind-init.ini" >"$T/out" 2>&1 &
	init=$!
	wait_for_line "$EVENTS" stray-up
	kill -TERM "$init"
	wait "$init"
	cat "$T/out"
	kill -0 "$outsider"
	kill "$outsider"
	grep -q stray-TERM "$EVENTS"
}

@test "no COMMAND and no services is a usage error" {
	run in_ns -c /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"nothing to run"* ]]
}

# Audit, minor: a pipe2 that failed for want of fds was logged as "fork failed".
@test "a start that fails for want of file descriptors says which step failed" {
	write_config <<EOF2
[init]
control_socket = none
main_after =
[service:s]
command = sleep 1000
log = inherit
EOF2
	# the lowest fd limit dind-init gets through its own set-up with (below it, the loader or
	# the event loop fails): every fd it may have is then in use, and the report pipe of a
	# start cannot be made
	# (in the sanitizer build, LeakSanitizer needs fds of its own at exit: not at this limit)
	for n in $(seq 4 40); do
		status=0
		output=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout --kill-after=5 30 unshare --pid --fork --kill-child --mount-proc prlimit --nofile="$n" -- "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- true 2>&1) || status=$?
		[[ "$output" == *"cannot start"* || "$output" == *"started"* ]] && break
	done
	echo "limit $n: $output"
	[ "$status" -eq 126 ]
	[[ "$output" == *"service s: cannot start it: creating a pipe failed: Too many open files"* ]]
	[[ "$output" == *"cannot start the main command true: creating a pipe failed: Too many open files"* ]]
}

# Audit F7: with a terminal the main command's process group became the terminal's foreground
# group, and nothing gave it back when the main command exited: Ctrl-C then went to a dead
# group, never to dind-init.
@test "with a terminal, Ctrl-C reaches dind-init again once the main command has exited" {
	service_script stubborn 'trap "" TERM
exec sleep 1000'
	write_config <<EOF2
[init]
control_socket = none
shutdown_timeout = 300s
[service:stubborn]
command = $T/stubborn
stop_timeout = 300s
EOF2
	# as with docker run -it, where PID 1 leads the terminal's session (setsid -c in the
	# namespace); and in a process group dind-init does not lead (unshare's, outside the
	# namespace); then the main command's exit begins the shutdown, the stubborn service
	# holds it up, the first Ctrl-C is noted, the second forces it
	for how in "setsid -c" ""; do
		run timeout --kill-after=5 90 "$PYTHON" "$TESTS_DIR/helpers/ptyrun.py" "$T/tty.log" \
			'main command exited with status 3' 'received SIGINT while already shutting down' -- \
			unshare --pid --fork --kill-child --mount-proc $how "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- sh -c 'sleep 1; exit 3'
		echo "$how: $output"
		cat "$T/tty.log"
		grep -q 'SIGINT received again during shutdown: sending SIGKILL to every process' "$T/tty.log"
		# the job ended on its own before the shutdown: its status stands (README "Exit codes")
		[ "$status" -eq 3 ]
	done
}

@test "with a terminal and on_main_exit = ignore, Ctrl-C stops the container after the main command" {
	looping_script polite 'trap "echo stopped >>$EVENTS; exit 0" TERM'
	write_config <<EOF2
[init]
control_socket = none
on_main_exit = ignore
[service:polite]
command = $T/polite
EOF2
	for how in "setsid -c" ""; do
		: >"$EVENTS"
		run timeout --kill-after=5 90 "$PYTHON" "$TESTS_DIR/helpers/ptyrun.py" "$T/tty.log" \
			'main command exited with status 3' -- \
			unshare --pid --fork --kill-child --mount-proc $how "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- sh -c 'sleep 1; exit 3'
		echo "$how: $output"
		cat "$T/tty.log"
		[ "$status" -eq 3 ]
		grep -q 'received SIGINT, shutting down' "$T/tty.log"
		[ "$(event_order)" = "up stopped" ]
	done
}
