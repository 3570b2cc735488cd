#!/usr/bin/env bats
# Readiness (ready =), sd_notify, health probes and the watchdog: a service that becomes ready late
# holds back its dependents and the main command until exactly then.

load common

teardown() {
	kill_ns
	rm -rf "$T"
}

# the main command for gated and the like: logs "main", then stays until b has logged its start
# (bounded), so that the shutdown after it does not stop b before that
main_then_b='echo main >>$EVENTS; for i in $(seq 200); do grep -q start-b $EVENTS && exit 0; sleep 0.05; done; exit 1'

# gated SPEC MARKER: service a runs $T/a and is ready by `ready = SPEC`; b depends on a; the main
# command waits for a only. $T/a writes MARKER to $EVENTS right before it becomes ready (after
# about 1 s). Asserts that b and the main command started after MARKER, and that dind-init
# logged a ready before starting them.
gated() {
	svc b
	write_config <<EOF
$(ctl_init)
main_after = a
[service:a]
command = $T/a
ready = $1
ready_interval = 50ms
ready_timeout = 30s
[service:b]
command = $T/b
depends_on = a
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c "$main_then_b"
	echo "$output"
	cat "$EVENTS"
	[ "$status" -eq 0 ]
	in_order "$EVENTS" "^$2\$" '^start-b$'
	in_order "$EVENTS" "^$2\$" '^main$'
	printf '%s\n' "$output" >"$T/log"
	in_order "$T/log" 'service a started' 'service a is ready' 'service b started'
	in_order "$T/log" 'service a is ready' 'main command started'
}

@test "ready = notify: READY=1 after 1 s holds back the dependent and the main command" {
	service_script a "exec $HELPERS/notifier --delay 1000 --events $EVENTS"
	gated notify ready-sent
}

@test "ready = notify: oversize, NUL-holding and empty datagrams from the main PID are dropped" {
	# they all start with READY=1; only the well-formed one sent 1 s later counts
	service_script a "exec $HELPERS/notifier --bad-first --delay 1000 --events $EVENTS"
	gated notify ready-sent
	in_order "$EVENTS" '^bad-sent$' '^ready-sent$'
}

@test "type = notify without ready = means ready = notify" {
	service_script a "exec $HELPERS/notifier --delay 1000 --events $EVENTS"
	svc b
	write_config <<EOF
$(ctl_init)
main_after = a
[service:a]
command = $T/a
type = notify
[service:b]
command = $T/b
depends_on = a
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c "$main_then_b"
	echo "$output"
	[ "$status" -eq 0 ]
	in_order "$EVENTS" '^ready-sent$' '^start-b$'
	in_order "$EVENTS" '^ready-sent$' '^main$'
}

@test "ready = socket: a unix socket that starts listening after 1 s" {
	service_script a "exec $HELPERS/http_server --unix $T/a.sock --delay 1000 --events $EVENTS"
	gated "socket $T/a.sock" listening
}

@test "ready = http over a unix socket" {
	service_script a "exec $HELPERS/http_server --unix $T/a.sock --delay 1000 --events $EVENTS"
	gated "http $T/a.sock /_ping" listening
}

@test "ready = http: a 500 answer is not ready; the first 2xx is" {
	# listening at once, but failing for the first second
	touch "$T/fail"
	service_script a "(sleep 1; echo fixed >>\$EVENTS; rm -f $T/fail) &
exec $HELPERS/http_server --unix $T/a.sock --fail-file $T/fail --events $EVENTS"
	gated "http $T/a.sock /_ping" fixed
}

@test "ready = http over TCP" {
	port=$(free_port)
	service_script a "exec $HELPERS/http_server --tcp $port --delay 1000 --events $EVENTS"
	gated "http 127.0.0.1:$port /_ping" listening
}

@test "ready = tcp" {
	port=$(free_port)
	service_script a "exec $HELPERS/http_server --tcp $port --delay 1000 --events $EVENTS"
	gated "tcp 127.0.0.1:$port" listening
}

@test "ready = file" {
	service_script a "sleep 1; echo file-made >>\$EVENTS; touch $T/a.ready
exec sleep 1000"
	gated "file $T/a.ready" file-made
}

@test "ready = exec: a check command with arguments that exits 0" {
	service_script check 'test -e "$1"'
	service_script a "sleep 1; echo file-made >>\$EVENTS; touch $T/a.ready
exec sleep 1000"
	gated "exec $T/check $T/a.ready" file-made
}

@test "READY=1 from a grandchild of the service is ignored: not ready, killed, restarted" {
	service_script a "exec $HELPERS/notifier --grandchild --events $EVENTS"
	svc b
	write_config <<EOF
$(ctl_init)
[service:a]
command = $T/a
ready = notify
ready_timeout = 1s
restart_delay = 50ms
[service:b]
command = $T/b
depends_on = a
EOF
	start_ns -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS'
	wait_for_line "$T/out" 'service a was not ready within 1s'
	wait_for_line "$T/out" 'service a: restarting in'
	# the second run, and its grandchild's READY=1
	wait_for_count "$EVENTS" '^start$' 2
	wait_for_count "$EVENTS" '^ready-sent$' 2
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	cat "$EVENTS"
	refute grep -q 'service a is ready' "$T/out"
	refute grep -q 'service b started' "$T/out"
	refute grep -q -e '^start-b$' -e '^main$' "$EVENTS"
	in_order "$T/out" 'service a started' 'service a was not ready within 1s' \
		'service a: restarting in'
}

@test "ready_timeout kills and restarts a service that never becomes ready; it counts for start limits" {
	looping_script slow 'trap "echo term >>$EVENTS; exit 0" TERM' start
	write_config <<EOF
$(ctl_init)
[service:slow]
command = $T/slow
ready = file $T/never
ready_timeout = 300ms
restart_delay = 50ms
start_limit_burst = 2
start_limit_interval = 60s
EOF
	# the main command waits for slow, which FAILED: it cannot start (exit 4)
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS'
	echo "$output"
	cat "$EVENTS"
	[ "$status" -eq 4 ]
	printf '%s\n' "$output" >"$T/log"
	# two runs, each ended by dind-init (the script itself never exits on its own)
	[ "$(grep -c '^start$' "$EVENTS")" -eq 2 ]
	[ "$(grep -c 'service slow was not ready within 300ms' "$T/log")" -eq 2 ]
	in_order "$T/log" 'service slow started' 'service slow was not ready within 300ms' \
		'service slow: restarting in' 'service slow FAILED' 'main command cannot start'
	refute grep -q 'service slow is ready' "$T/log"
	refute grep -q '^main$' "$EVENTS"
}

@test "a service whose health probe starts failing is restarted, and healthy again once fixed" {
	write_config <<EOF
$(ctl_init)
[service:web]
command = $HELPERS/http_server --unix $T/web.sock
	--fail-file $T/fail --events $T/web.events
ready = http $T/web.sock /_ping
health = http $T/web.sock /_ping
health_interval = 100ms
health_timeout = 1s
health_retries = 2
restart_delay = 50ms
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'service web is ready'
	retry 100 ctl health
	touch "$T/fail"
	wait_for_line "$T/out" 'service web is unhealthy'
	# stopped with its stop signal, then started again
	wait_for_count "$T/web.events" '^start$' 2
	in_order "$T/out" 'service web is ready' 'service web is unhealthy' 'service web: restarting in'
	[ "$(sed -n 3p "$T/web.events")" = term ]
	[ "$(sed -n 4p "$T/web.events")" = start ]
	# still failing: the new run is not ready, and the container is not healthy
	run ctl health
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == "unhealthy: "*web* ]]
	rm "$T/fail"
	wait_for_count "$T/out" 'service web is ready' 2
	retry 100 ctl health
	run ctl health
	[ "$status" -eq 0 ]
	[[ "$output" == healthy* ]]
	[ "$(svc_field web restarts)" -eq 1 ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "watchdog: a notify service that stops sending WATCHDOG=1 is restarted; one that pings is not" {
	write_config <<EOF
$(ctl_init)
[service:dog]
command = $HELPERS/notifier --watchdog 100 --watchdog-stop-after 3 --events $T/dog.events
type = notify
watchdog = 500ms
restart_delay = 50ms
[service:good]
command = $HELPERS/notifier --watchdog 100 --events $T/good.events
type = notify
watchdog = 500ms
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/dog.events" watchdog-stopped
	wait_for_count "$T/dog.events" '^start$' 2
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	# the second start can only come after these three
	[ "$(head -n 3 "$T/dog.events" | tr '\n' ' ')" = "start ready-sent watchdog-stopped " ]
	[ "$(grep -c '^start$' "$T/good.events")" -eq 1 ]
	in_order "$T/out" 'service dog is ready' 'service dog: restarting in'
}

@test "NOTIFY_SOCKET only for notify services; DIND_INIT_SOCKET for every service and the command" {
	unset NOTIFY_SOCKET DIND_INIT_SOCKET
	dump='echo "$0 NOTIFY_SOCKET=${NOTIFY_SOCKET-unset} DIND_INIT_SOCKET=${DIND_INIT_SOCKET-unset}" >>$EVENTS'
	service_script n "$dump; exec $HELPERS/notifier"
	service_script plain "$dump; touch $T/plain.dumped; exec sleep 1000"
	service_script once "$dump"
	write_config <<EOF
$(ctl_init)
main_after = n, plain, once
[service:n]
command = $T/n
ready = notify
[service:plain]
command = $T/plain
ready = file $T/plain.dumped
[service:once]
command = $T/once
type = oneshot
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c "$dump" "$T/main"
	echo "$output"
	cat "$EVENTS"
	[ "$status" -eq 0 ]
	grep -qx "$T/n NOTIFY_SOCKET=$T/run/n.notify DIND_INIT_SOCKET=$T/ctl.sock" "$EVENTS"
	grep -qx "$T/plain NOTIFY_SOCKET=unset DIND_INIT_SOCKET=$T/ctl.sock" "$EVENTS"
	grep -qx "$T/once NOTIFY_SOCKET=unset DIND_INIT_SOCKET=$T/ctl.sock" "$EVENTS"
	grep -qx "$T/main NOTIFY_SOCKET=unset DIND_INIT_SOCKET=$T/ctl.sock" "$EVENTS"
}

@test "exec probes leave nothing behind: what a ready or health check started dies with it" {
	# each check starts a background sleep and exits; the ready check fails twice first
	service_script rcheck "echo r >>$T/ready.runs; sleep 78 & [ \$(wc -l <$T/ready.runs) -ge 3 ]"
	service_script hcheck "echo h >>$T/health.runs; sleep 77 & exit 0"
	write_config <<EOF2
$(ctl_init)
[service:s]
command = sleep 1000
ready = exec $T/rcheck
ready_interval = 50ms
health = exec $T/hcheck
health_interval = 100ms
EOF2
	: >"$T/health.runs"
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'service s is ready'
	wait_for_count "$T/health.runs" '^h$' 4
	# stopping the service ends its probing: no check is running any more after this
	ctl stop s
	wait_for_state s stopped
	# a leftover of the last check may still be on its way out: a bounded poll for none
	for _ in $(seq 100); do
		left=$(ns_run pgrep -fx 'sleep 7[78]' | wc -l)
		[ "$left" -eq 0 ] && break
		sleep 0.05
	done
	ns_run ps -eo pid,pgid,args
	[ "$(grep -c . "$T/ready.runs")" -eq 3 ]
	[ "$left" -eq 0 ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "exec probes: a process that leaves the probe's process group (setsid) is not tracked; it ends at shutdown" {
	# what the README says exactly: the probe's process group is killed when the probe ends;
	# a process that leaves it runs on, re-parented to dind-init, until step 3 of the shutdown
	service_script escapee "trap 'echo escapee-TERM >>$EVENTS; exit 0' TERM
echo escapee-up >>$EVENTS
while :; do sleep 0.1; done"
	service_script hcheck "echo h >>$T/health.runs
if [ ! -e $T/escaped ]; then
	: >$T/escaped
	setsid $T/escapee </dev/null >/dev/null 2>&1 &
	# out of the group before this check ends and its group is killed
	for _ in \$(seq 100); do grep -q escapee-up $EVENTS && break; sleep 0.05; done
fi
sleep 772 &
exit 0"
	write_config <<EOF2
$(ctl_init)
[service:s]
command = sleep 1000
health = exec $T/hcheck
health_interval = 100ms
EOF2
	: >"$T/health.runs"
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'service s is ready'
	wait_for_line "$EVENTS" escapee-up
	wait_for_count "$T/health.runs" '^h$' 4
	ctl stop s
	wait_for_state s stopped
	# the in-group sleep went with its probe (a bounded poll for the last one on its way out)
	for _ in $(seq 100); do
		left=$(ns_run pgrep -fx 'sleep 772' | wc -l)
		[ "$left" -eq 0 ] && break
		sleep 0.05
	done
	ns_run ps -eo pid,ppid,pgid,sid,args
	[ "$left" -eq 0 ]
	# the escapee outlived its probe, every later probe and its service's stop: now a child
	# of PID 1
	esc=$(ns_run pgrep -f "$T/escapee")
	[ "$(echo "$esc" | wc -l)" -eq 1 ]
	[ "$(ns_run ps -o ppid= -p "$esc" | tr -d ' ')" = 1 ]
	refute grep -q escapee-TERM "$EVENTS"
	# the shutdown's SIGTERM to every process left ends it (before the namespace goes)
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	grep -q escapee-TERM "$EVENTS"
	grep -q 'sending SIGTERM to the remaining processes' "$T/out"
	[ "$STATUS" -eq 143 ]
}
