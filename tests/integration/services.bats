#!/usr/bin/env bats
# Services from the INI file: order, output, restarts, start limits, shutdown.

load common

@test "services start in dependency order and stop in reverse order" {
	svc a; svc b; svc c
	# c depends on b, b on a; written in the file in another order on purpose
	write_config <<EOF
[service:c]
command = $T/c
depends_on = b
[service:b]
command = $T/b
depends_on = a
[service:a]
command = $T/a
EOF
	service_script main 'echo main >>$EVENTS; while :; do sleep 0.05; done'
	start_ns -c "$T/dind-init.ini" -- "$T/main"
	wait_for_line "$EVENTS" '^main$'
	# a simple service is ready once started, so only the spawn order is guaranteed here;
	# wait until all three scripts have written their line before stopping
	wait_for_line "$EVENTS" start-c
	wait_for_line "$EVENTS" start-a
	wait_for_line "$EVENTS" start-b
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 143 ]
	# stop order is strict: c, then b, then a
	[ "$(grep stop- "$EVENTS" | tr '\n' ' ')" = "stop-c stop-b stop-a " ]
	# start order as dind-init logged it
	[ "$(grep -o 'service [abc] started' "$T/out" | tr '\n' ' ')" = "service a started service b started service c started " ]
	grep -q 'stopping service c' "$T/out"
}

@test "a service waits for a oneshot dependency to exit 0, and the command for main_after" {
	service_script prep 'sleep 0.5; echo prep-done >>$EVENTS'
	svc web
	write_config <<EOF
[init]
main_after = web
[service:prep]
command = $T/prep
type = oneshot
[service:web]
command = $T/web
depends_on = prep
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS'
	echo "$output"
	[ "$status" -eq 0 ]
	# web cannot start before prep is done, and main not before web was started
	[ "$(head -n 1 "$EVENTS")" = "prep-done" ]
	[[ "$output" == *"service prep finished"*"service web started"*"main command started"* ]]
}

@test "a failed oneshot keeps its dependents from starting; the command cannot start: exit 4" {
	service_script prep 'echo prep >>$EVENTS; exit 3'
	svc web
	write_config <<EOF
[service:prep]
command = $T/prep
type = oneshot
[service:web]
command = $T/web
depends_on = prep
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS'
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$(event_order)" = "prep" ]
	[[ "$output" == *"service prep FAILED"* ]]
	[[ "$output" == *"main command cannot start"*"web"* ]]
}

@test "service output is prefixed with its name, one whole line at a time" {
	service_script talk 'echo "hello world"; echo "to stderr" >&2; printf "no newline at end"'
	service_script talk2 'i=0; while [ $i -lt 200 ]; do echo "line $i of talk2 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done'
	write_config <<EOF
[init]
main_after = talk, talk2
[service:talk]
command = $T/talk
type = oneshot
[service:talk2]
command = $T/talk2
type = oneshot
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx '\[talk\] hello world' <<<"$output"
	grep -qx '\[talk\] to stderr' <<<"$output"
	grep -qx '\[talk\] no newline at end' <<<"$output"
	[ "$(grep -c '^\[talk2\] line [0-9]* of talk2 x*$' <<<"$output")" -eq 200 ]
}

@test "log = null, log = file:PATH and log = inherit" {
	service_script quiet 'echo should-not-appear'
	service_script tofile 'echo into-the-file'
	service_script plain 'echo plain-line'
	write_config <<EOF
[init]
main_after = quiet, tofile, plain
[service:quiet]
command = $T/quiet
type = oneshot
log = null
[service:tofile]
command = $T/tofile
type = oneshot
log = file:$T/svc.log
[service:plain]
command = $T/plain
type = oneshot
log = inherit
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"should-not-appear"* ]]
	[[ "$output" != *"into-the-file"* ]]
	grep -qx 'plain-line' <<<"$output"
	[ "$(cat "$T/svc.log")" = "into-the-file" ]
}

@test "environment and workdir reach the service" {
	service_script env 'echo "FOO=$FOO BAR=$BAR HOME_SET=${HOME:+yes} PWD=$(pwd)" >>$EVENTS'
	write_config <<EOF
[init]
main_after = env
[service:env]
command = $T/env
type = oneshot
environment = FOO=one two
environment = BAR="quoted"
workdir = /tmp
EOF
	HOME=/root run in_ns -c "$T/dind-init.ini" -- true
	[ "$status" -eq 0 ]
	[ "$(cat "$EVENTS")" = 'FOO=one two BAR="quoted" HOME_SET=yes PWD=/tmp' ]
}

@test "a crashing service is restarted with growing delays, then FAILED; critical: exit 4" {
	service_script crash 'echo "crash $(date +%s%N)" >>$EVENTS; exit 1'
	write_config <<EOF
[service:crash]
command = $T/crash
restart_delay = 50ms
restart_delay_max = 10s
start_limit_burst = 4
start_limit_interval = 60s
critical = yes
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1000
	echo "$output"
	[ "$status" -eq 4 ]
	# exactly start_limit_burst runs
	[ "$(grep -c crash "$EVENTS")" -eq 4 ]
	[ "$(grep -o 'restarting in [0-9a-z]*' <<<"$output" | tr '\n' ' ')" = "restarting in 50ms restarting in 100ms restarting in 200ms restarting in 400ms " ]
	# the gaps between starts really grow (an order, not a duration): each is longer than
	# the one before, and at least the delay it was scheduled with
	mapfile -t t < <(awk '{print $2}' "$EVENTS")
	g1=$(( (t[1] - t[0]) / 1000000 )); g2=$(( (t[2] - t[1]) / 1000000 )); g3=$(( (t[3] - t[2]) / 1000000 ))
	echo "gaps: $g1 $g2 $g3 ms"
	[ "$g1" -ge 50 ] && [ "$g2" -ge 100 ] && [ "$g3" -ge 200 ]
	[ "$g2" -gt "$g1" ] && [ "$g3" -gt "$g2" ]
	[[ "$output" == *"service crash FAILED: started 4 times within 1m"* ]]
	[[ "$output" == *"critical"* ]]
	# the main command was stopped as part of the shutdown
	[[ "$output" == *"stopping the main command"* ]]
}

@test "a non-critical FAILED service leaves the rest running" {
	service_script crash 'exit 1'
	write_config <<EOF
[init]
main_after =
[service:crash]
command = $T/crash
restart_delay = 10ms
start_limit_burst = 2
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'sleep 1; echo main-still-ran; exit 5'
	echo "$output"
	[ "$status" -eq 5 ]
	[[ "$output" == *"service crash FAILED"*"main-still-ran"* ]]
}

@test "restart = on-failure does not restart a clean exit; restart = no does not restart" {
	service_script ok 'echo ok >>$EVENTS; exit 0'
	service_script bad 'echo bad >>$EVENTS; exit 2'
	write_config <<EOF
[init]
main_after =
[service:ok]
command = $T/ok
restart = on-failure
[service:bad]
command = $T/bad
restart = no
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1.5
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ok "$EVENTS")" -eq 1 ]
	[ "$(grep -c bad "$EVENTS")" -eq 1 ]
	[[ "$output" == *"service ok exited with status 0; not restarting it"* ]]
	[[ "$output" == *"service bad FAILED: exited with status 2"* ]]
}

@test "restart = always restarts a service that exits 0" {
	service_script again 'echo run >>$EVENTS; exit 0'
	write_config <<EOF
[init]
main_after =
[service:again]
command = $T/again
restart_delay = 10ms
start_limit_burst = 3
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 2
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c run "$EVENTS")" -eq 3 ]
}

@test "a service ignoring its stop signal is killed after stop_timeout" {
	looping_script stubborn 'trap "echo ignored-TERM >>$EVENTS" TERM'
	write_config <<EOF
[service:stubborn]
command = $T/stubborn
stop_timeout = 500ms
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	grep -q ignored-TERM "$EVENTS"
	grep -q 'service stubborn did not stop within 500ms; sending SIGKILL' "$T/out"
	grep -q 'service stubborn stopped (was killed by SIGKILL)' "$T/out"
}

@test "a stopped service (SIGSTOP) gets SIGCONT after its stop signal: it stops cleanly at once" {
	# it stops itself, as a debugger or a frozen process would be; with SIGCONT right after
	# SIGTERM it runs its trap now instead of waiting out stop_timeout for SIGKILL
	service_script frozen 'trap "echo got-TERM >>$EVENTS; exit 0" TERM
echo up >>$EVENTS
kill -STOP $$
while :; do sleep 0.05; done'
	write_config <<EOF
[service:frozen]
command = $T/frozen
stop_timeout = 3s
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	wait_for_proc_state "$(pgrep -P "$INIT_PID" -f "$T/frozen")" T
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "up got-TERM" ]
	grep -q 'service frozen stopped (exited with status 0)' "$T/out"
	refute grep -q 'did not stop within' "$T/out"
}

@test "stop_signal is used to stop a service" {
	service_script hup 'trap "echo got-HUP >>$EVENTS; exit 0" HUP
trap "echo got-TERM >>$EVENTS; exit 0" TERM
echo up >>$EVENTS
while :; do sleep 0.05; done'
	write_config <<EOF
[service:hup]
command = $T/hup
stop_signal = SIGHUP
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -INT "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	[ "$(event_order)" = "up got-HUP" ]
}

@test "a stray background process left by a service gets SIGTERM at shutdown" {
	service_script leaky 'setsid sh -c "trap \"echo stray-TERM >>$EVENTS; exit 0\" TERM; echo stray-up >>$EVENTS; while :; do sleep 0.05; done" &
exec sleep 1000'
	write_config <<EOF
[service:leaky]
command = $T/leaky
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" stray-up
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	grep -q stray-TERM "$EVENTS"
	grep -q 'SIGTERM to the remaining processes' "$T/out"
}

@test "a stray that ignores SIGTERM is SIGKILLed after the grace period" {
	service_script leaky 'setsid sh -c "trap \"\" TERM; echo stray-up >>$EVENTS; while :; do sleep 0.05; done" &
exec sleep 1000'
	write_config <<EOF
[service:leaky]
command = $T/leaky
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" stray-up
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	grep -q 'still running .* after SIGTERM; sending SIGKILL' "$T/out"
	grep -q 'shutdown complete' "$T/out"
}

@test "a second SIGTERM during shutdown skips to SIGKILL" {
	looping_script stubborn 'trap "echo ignored >>$EVENTS" TERM'
	write_config <<EOF
[service:stubborn]
command = $T/stubborn
stop_timeout = 60s
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -TERM "$INIT_PID"
	wait_for_line "$EVENTS" ignored
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	grep -q 'received again during shutdown: sending SIGKILL' "$T/out"
	grep -q 'shutdown complete' "$T/out"
	# forced: not the 0 of an orderly shutdown
	[ "$STATUS" -eq 137 ]
}

@test "shutdown_timeout bounds the whole shutdown" {
	looping_script stubborn 'trap "" TERM'
	write_config <<EOF
[init]
shutdown_timeout = 1s
[service:stubborn]
command = $T/stubborn
stop_timeout = 60s
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" up
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	grep -q 'shutdown_timeout (1s) reached: sending SIGKILL' "$T/out"
	grep -q 'shutdown complete' "$T/out"
	[ "$STATUS" -eq 137 ]
}

@test "the command exiting stops the services; on_main_exit = ignore keeps them" {
	svc web
	write_config <<EOF
[service:web]
command = $T/web
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'sleep 0.3; exit 3'
	[ "$status" -eq 3 ]
	grep -q stop-web "$EVENTS"

	: >"$EVENTS"
	write_config <<EOF
[init]
on_main_exit = ignore
[service:web]
command = $T/web
EOF
	start_ns -c "$T/dind-init.ini" -- sh -c 'echo main-exit >>$EVENTS; exit 3'
	wait_for_line "$EVENTS" main-exit
	wait_for_line "$T/out" 'main command exited with status 3'
	sleep 0.3
	refute grep -q stop-web "$EVENTS"
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 3 ]
	grep -q stop-web "$EVENTS"
}

@test "the backoff starts over after a run that lasted start_limit_interval" {
	# runs 1 to 3 crash at once; run 4 lives longer than the interval, then crashes
	service_script flaky 'n=$(grep -c run $EVENTS); echo run >>$EVENTS
[ "$n" -eq 3 ] && sleep 1.2
exit 1'
	write_config <<EOF
[init]
main_after =
[service:flaky]
command = $T/flaky
restart_delay = 50ms
start_limit_burst = 10
start_limit_interval = 1s
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	for _ in $(seq 200); do [ "$(grep -c 'restarting in' "$T/out")" -ge 4 ] && break; sleep 0.05; done
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	# 50ms, 100ms, 200ms, then after the long run: back to 50ms
	[ "$(grep -o 'restarting in [0-9a-z]*' "$T/out" | head -n 4 | tr '\n' ' ')" = "restarting in 50ms restarting in 100ms restarting in 200ms restarting in 50ms " ]
}

@test "dependents keep running when a dependency restarts" {
	service_script dep 'echo dep-start >>$EVENTS; [ -f $T/crashed ] && exec sleep 1000; touch $T/crashed; sleep 0.5; exit 1'
	svc user
	write_config <<EOF
[service:dep]
command = $T/dep
restart_delay = 10ms
[service:user]
command = $T/user
depends_on = dep
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" start-user
	user_pid=$(pgrep -f "$T/user" | head -n 1)
	for _ in $(seq 200); do [ "$(grep -c dep-start "$EVENTS")" -ge 2 ] && break; sleep 0.05; done
	[ "$(grep -c dep-start "$EVENTS")" -eq 2 ]
	# the same user process is still there, and it was never stopped
	kill -0 "$user_pid"
	refute grep -q stop-user "$EVENTS"
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$(grep -c start-user "$EVENTS")" -eq 1 ]
}

@test "long lines are split into pieces that fit one atomic write, with nothing lost or added" {
	# 10000 a's, then a line exactly one piece long (4096 - 32 - 4 bytes), then "next"
	service_script long 'head -c 10000 /dev/zero | tr "\0" a; echo; head -c 4060 /dev/zero | tr "\0" b; echo; echo next'
	write_config <<EOF
[init]
main_after = long
[service:long]
command = $T/long
type = oneshot
EOF
	run in_ns -q -c "$T/dind-init.ini" -- true
	[ "$status" -eq 0 ]
	lines=$(grep '^\[long\]' <<<"$output")
	echo "$lines" | awk '{print length($0)}'
	# every piece fits in PIPE_BUF with its prefix and newline
	[ "$(echo "$lines" | awk 'length($0) + 1 > 4096' | wc -l)" -eq 0 ]
	[ "$(echo "$lines" | grep -o a | wc -l)" -eq 10000 ]
	[ "$(echo "$lines" | grep -c '^\[long\] b*$')" -eq 1 ]
	[ "$(echo "$lines" | tail -n 1)" = "[long] next" ]
	# no empty line where a piece boundary met the newline
	refute grep -qx '\[long\] ' <<<"$lines"
}

@test "a partial last line of a run is written when the run ends, not glued to the next" {
	service_script part 'printf "no-newline-%s" $(grep -c x $EVENTS); echo x >>$EVENTS; exit 1'
	write_config <<EOF
[init]
main_after =
[service:part]
command = $T/part
restart_delay = 10ms
start_limit_burst = 2
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1
	echo "$output"
	grep -qx '\[part\] no-newline-0' <<<"$output"
	grep -qx '\[part\] no-newline-1' <<<"$output"
}

@test "output left in a service's pipe when it exits is read whole before a partial last line" {
	# 50 lines of 1000 bytes and a last line without a newline, all still in the pipe when
	# dind-init learns of the exit: dind-init is stopped meanwhile
	service_script burst 'while [ ! -f $T/go ]; do sleep 0.05; done
awk "BEGIN { for (i = 1; i <= 50; i++) { printf \"line-%02d-\", i; for (j = 0; j < 992; j++) printf \"x\"; printf \"\\n\" }; printf \"tail-no-newline\" }"'
	write_config <<EOF
[init]
main_after =
[service:burst]
command = $T/burst
restart = no
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'service burst started'
	burst=$(pgrep -P "$INIT_PID" -f "$T/burst")
	kill -STOP "$INIT_PID"
	for _ in $(seq 400); do [ "$(sed 's/.*) //' "/proc/$INIT_PID/stat" | cut -d' ' -f1)" = T ] && break; sleep 0.05; done
	touch "$T/go"
	for _ in $(seq 400); do [ "$(sed 's/.*) //' "/proc/$burst/stat" | cut -d' ' -f1)" = Z ] && break; sleep 0.05; done
	kill -CONT "$INIT_PID"
	wait_for_line "$T/out" 'service burst exited'
	kill -TERM "$INIT_PID"
	wait_ns
	lines=$(grep '^\[burst\]' "$T/out")
	echo "$lines" | cut -c 1-40
	# every line whole, in order, the partial one last
	[ "$(echo "$lines" | wc -l)" -eq 51 ]
	[ "$(echo "$lines" | grep -cxE '\[burst\] line-[0-9]{2}-x{992}')" -eq 50 ]
	[ "$(echo "$lines" | tail -n 1)" = "[burst] tail-no-newline" ]
	[ "$(echo "$lines" | head -n 50 | cut -c 9-15 | tr '\n' ' ')" = "$(for i in $(seq 50); do printf 'line-%02d ' "$i"; done)" ]
}

@test "a stdout and stderr socket nobody reads does not block PID 1" {
	service_script main 'trap "echo main-USR1 >>$EVENTS" USR1
trap "echo main-TERM >>$EVENTS; exit 5" TERM
echo main-up >>$EVENTS
while :; do sleep 0.05; done'
	service_script flap 'echo flap >>$EVENTS; exit 1'
	{
		ctl_init
		cat <<EOF
main_after = spam
[service:spam]
command = yes spam-spam-spam-spam-spam-spam
[service:flap]
command = $T/flap
restart_delay = 10ms
restart_delay_max = 10ms
start_limit_burst = 1000
start_limit_interval = 1s
EOF
	} | write_config
	# stdout and stderr of dind-init: one end of a unix stream socketpair (a journald stream);
	# the other end is not read until dind-init has exited. $T/full appears once the socket
	# stops being writable (the reader is far behind); after the exit, everything queued in it
	# lands in $T/sock-out.
	"$PYTHON" -c '
import select, socket, subprocess, sys, time
a, b = socket.socketpair()
p = subprocess.Popen(sys.argv[3:], stdout=b, stderr=b)
while p.poll() is None:
    if not select.select([], [b], [], 0)[1]:
        open(sys.argv[1], "w").close()
    time.sleep(0.05)
b.close()
with open(sys.argv[2], "wb") as f:
    while True:
        d = a.recv(65536)
        if not d:
            break
        f.write(d)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
' "$T/full" "$T/sock-out" unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- "$T/main" &
	NS_PID=$!
	for _ in $(seq 200); do
		INIT_PID=$(pgrep -P "$(pgrep -P "$NS_PID" | head -n 1)" 2>/dev/null || true)
		[ -n "$INIT_PID" ] && break
		sleep 0.05
	done
	wait_for_line "$EVENTS" main-up
	for _ in $(seq 400); do [ -e "$T/full" ] && break; sleep 0.05; done
	[ -e "$T/full" ]
	# with the socket full: children are still reaped and restarted...
	n=$(grep -c flap "$EVENTS")
	wait_for_count "$EVENTS" flap $((n + 5))
	# ...the control socket answers...
	ctl status >"$T/status"
	grep -q spam "$T/status"
	# ...signals are forwarded...
	kill -USR1 "$INIT_PID"
	wait_for_line "$EVENTS" main-USR1
	# ...and SIGTERM ends it all with the main command's status
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 5 ]
	grep -q main-TERM "$EVENTS"
	# what got into the socket is whole lines (the last one may have been cut by the exit)
	sed '$d' "$T/sock-out" >"$T/whole"
	[ -s "$T/whole" ]
	refute grep -vE '^(\[spam\] spam-spam-spam-spam-spam-spam|\[dind-init\] .*)$' "$T/whole"
}

@test "a service that floods stdout does not keep PID 1 from handling SIGTERM" {
	write_config <<EOF
[service:spam]
command = yes
EOF
	unshare --pid --fork --mount-proc "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- sleep 1000 >/dev/null 2>"$T/out" &
	NS_PID=$!
	for _ in $(seq 200); do INIT_PID=$(pgrep -P "$NS_PID" || true); [ -n "$INIT_PID" ] && break; sleep 0.05; done
	wait_for_line "$T/out" 'service spam started'
	sleep 0.3
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 143 ]
	grep -q 'received SIGTERM, shutting down' "$T/out"
}

@test "a stdout nobody reads does not block PID 1" {
	mkfifo "$T/fifo"
	# hold the FIFO open for writing and reading, but never read it
	sleep 1000 <>"$T/fifo" &
	holder=$!
	service_script chatty 'head -c 300000 /dev/zero | tr "\0" x | fold -w 100; echo done-writing >>$EVENTS; exec sleep 1000'
	write_config <<EOF
[service:chatty]
command = $T/chatty
EOF
	unshare --pid --fork --mount-proc "$DIND_INIT" --no-setup -c "$T/dind-init.ini" >"$T/fifo" 2>"$T/err" &
	NS_PID=$!
	for _ in $(seq 200); do INIT_PID=$(pgrep -P "$NS_PID" || true); [ -n "$INIT_PID" ] && break; sleep 0.05; done
	wait_for_line "$T/err" 'service chatty started'
	sleep 0.5
	kill -TERM "$INIT_PID"
	wait_ns
	kill "$holder"
	cat "$T/err"
	[ "$STATUS" -eq 0 ]
	grep -q 'shutdown complete' "$T/err"
}

@test "a slow stdout with several chatty services: PID 1 waits instead of spinning" {
	mkfifo "$T/fifo"
	# a reader that takes 2 KiB every 50 ms: the queue fills, drains a little, fills again
	python3 -c '
import sys, time
f = open(sys.argv[1], "rb", buffering=0)
while f.read(2048):
    time.sleep(0.05)
' "$T/fifo" &
	holder=$!
	write_config <<EOF
[service:a]
command = yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
[service:b]
command = yes bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
[service:c]
command = yes ccccccccccccccccccccccccccccccccccccc
EOF
	unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup -c "$T/dind-init.ini" >"$T/fifo" 2>"$T/err" &
	NS_PID=$!
	for _ in $(seq 200); do INIT_PID=$(pgrep -P "$NS_PID" || true); [ -n "$INIT_PID" ] && break; sleep 0.05; done
	wait_for_line "$T/err" 'service c started'
	sleep 1
	# CPU ticks (utime + stime) of PID 1 across two seconds of a slow stdout: a loop that keeps
	# waking on the services' pipes burns most of them; one that pauses them, few
	t0=$(awk '{print $14 + $15}' "/proc/$INIT_PID/stat")
	sleep 2
	t1=$(awk '{print $14 + $15}' "/proc/$INIT_PID/stat")
	echo "PID 1 used $((t1 - t0)) ticks in 2 s"
	kill -TERM "$INIT_PID"
	wait_ns
	kill "$holder"
	[ $((t1 - t0)) -lt 50 ]
	[ "$STATUS" -eq 0 ]
}

@test "exit with a stdout nobody reads and several flooding services: one deadline for the whole flush" {
	mkfifo "$T/fifo"
	# held open for reading and writing, but never read
	sleep 1000 <>"$T/fifo" &
	holder=$!
	# the main command exits 3 once every service runs (their pipes and the queue fill at once)
	service_script main "for _ in \$(seq 400); do [ \$(grep -c 'service s[1-8] started' $T/err) -ge 8 ] && break; sleep 0.05; done
sleep 0.5
echo main-exits >>$EVENTS
exit 3"
	for i in 1 2 3 4 5 6 7 8; do
		printf '[service:s%s]\ncommand = yes line-from-s%s-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n' "$i" "$i"
	done | write_config
	# docker stop's grace period, 10 s, bounds it all from outside: the exit flush used to wait
	# up to 1 s per wait, two or three waits per service, so 8 services took about 20 s more
	STATUS=0
	timeout --kill-after=2 10 unshare --pid --fork --kill-child --mount-proc "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- "$T/main" >"$T/fifo" 2>"$T/err" || STATUS=$?
	kill "$holder"
	cat "$T/err"
	grep -q main-exits "$EVENTS"
	# the job's status, not timeout's 124 or a SIGKILL's 137
	[ "$STATUS" -eq 3 ]
	# in order: the main command's exit, the shutdown, and nothing after it
	grep -n 'main command exited\|shutdown complete' "$T/err" >"$T/order"
	cat "$T/order"
	[[ "$(sed -n 1p "$T/order")" == *"main command exited"* ]]
	[[ "$(tail -n 1 "$T/err")" == *"shutdown complete, exiting with status 3" ]]
}

# Audit F6: dind-init read the child's start report until the exec, blocking. Between the
# child's user switch and its exec, any process of that user could stop it, and PID 1 then sat
# in read() for good: no reaping, no signals, no control socket.
@test "a service that stops every process of its user never hangs PID 1 (children caught before exec)" {
	# stopall (as nobody) stops whatever nobody runs, among them the exec probes dind-init
	# spawns as nobody every millisecond, some of them before their exec. How often one is caught
	# there depends on the scheduler (a few per minute on a busy machine), so four services probe
	# at once: the old dind-init hung at the first catch, and the test waits for a few.
	{
		ctl_init
		echo "main_after ="
		for n in 1 2 3 4; do
			cat <<EOF2
[service:evil$n]
command = $HELPERS/stopall
user = nobody
ready = exec /bin/false
ready_timeout = 0
ready_interval = 1ms
health_timeout = 3ms
EOF2
		done
	} | write_config
	ctl_link
	start_ns -v -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service evil4 started'
	# dind-ctl status answers all along, until a few probes were caught before their exec
	# (the old dind-init hung at the first, within seconds)
	caught() { grep -c 'not ready yet: timed out before /bin/false was executed' "$T/out" || true; }
	for i in $(seq 900); do
		if ! timeout --kill-after=5 10 "$T/dind-ctl" -s "$T/ctl.sock" status >"$T/status" 2>&1; then
			echo "round $i: dind-ctl status got no answer; PID 1 waits in $(cat "/proc/$INIT_PID/wchan")" >&2
			return 1
		fi
		[ "$(grep -Ec '^evil[1-4] +starting ' "$T/status")" -eq 4 ]
		[ "$(caught)" -ge 5 ] && break
		sleep 0.1
	done
	echo "$i rounds, $(caught) probes caught before their exec"
	[ "$(caught)" -ge 5 ]
	kill -TERM "$INIT_PID"
	wait_ns
	tail -5 "$T/out"
	[ "$STATUS" -eq 0 ]
	grep -q 'shutdown complete, exiting with status 0' "$T/out"
}

# ns_pid HOSTPID: the pid of a process as its own (innermost) PID namespace sees it
ns_pid() {
	awk '/^NSpid:/ { print $NF }' "/proc/$1/status"
}

@test "a service whose child is held before its exec: PID 1 goes on; ready_timeout, stop and shutdown end it" {
	# a service that exits at once and is started again every millisecond: many forks to
	# catch one of between fork and exec, as a process of the service's user could
	flappy() {
		cat <<EOF2
$(ctl_init)
main_after =
[service:flappy]
command = /bin/false
restart_delay = 1ms
restart_delay_max = 1ms
start_limit_interval = 1ms
stop_timeout = 200ms
ready_timeout = $1
EOF2
	}
	flappy 1s >"$T/timeout.ini"
	ctl_link
	start_ns -c "$T/timeout.ini"
	wait_for_line "$T/out" 'service flappy exited with status 1'
	held=$("$HELPERS/stopchild" "$INIT_PID" "$DIND_INIT")
	# PID 1 answers, and shows the service as starting with that child
	run ctl status flappy
	echo "$output"
	[ "$status" -eq 0 ]
	grep -Eq "^flappy +starting +$(ns_pid "$held") " <<<"$output"
	# ready_timeout: killed, as a start that never got ready, and started again
	wait_for_line "$T/out" 'service flappy was not ready within 1s: it has not even executed /bin/false yet (stopped before its exec?); killing it'
	wait_for_line "$T/out" 'service flappy was killed by SIGKILL'
	wait_for_count "$T/out" 'service flappy exited with status 1' 2
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]

	# without ready_timeout, it is held until dind-ctl stop: its stop signal, and SIGCONT right
	# after it, end it at once (before SIGCONT came with it, SIGKILL after stop_timeout did)
	flappy 0 >"$T/forever.ini"
	start_ns -c "$T/forever.ini"
	wait_for_line "$T/out" 'service flappy exited with status 1'
	held=$("$HELPERS/stopchild" "$INIT_PID" "$DIND_INIT")
	ctl stop flappy
	wait_for_state flappy stopped
	grep -q 'service flappy stopped (was killed by SIGTERM)' "$T/out"
	refute grep -q 'service flappy did not stop within' "$T/out"
	# and the shutdown while it is held
	ctl start flappy
	held=$("$HELPERS/stopchild" "$INIT_PID" "$DIND_INIT")
	held_ns=$(ns_pid "$held")
	[ -n "$held_ns" ]
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	sed -n '/service flappy: start requested/,$p' "$T/out" >"$T/after-start"
	in_order "$T/after-start" 'received SIGTERM, shutting down' 'service flappy stopped (was killed by SIGTERM)' 'shutdown complete, exiting with status 0'
	refute grep -q 'service flappy did not stop within' "$T/after-start"
	# a child held before its exec and killed was never logged as started
	grep -q "stopping service flappy (SIGTERM, pid $held_ns)" "$T/out"
	refute grep -q "service flappy started (pid $held_ns)" "$T/out"
}
