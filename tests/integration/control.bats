#!/usr/bin/env bats
# The control socket and dind-ctl: status, health, wait, restart/stop/start/kill, the socket
# lookup, and a PID 1 that keeps working whatever a client or a datagram sender does.

load common

teardown() {
	local p
	# clients started in the background live outside the namespace
	for p in ${BG_PIDS:-}; do
		kill -KILL "$p" 2>/dev/null || true
	done
	kill_ns
	rm -rf "$T"
}

# init_fds: how many fds dind-init has open
init_fds() {
	ls "/proc/$INIT_PID/fd" | wc -l
}

# init_fds_at_most N
init_fds_at_most() {
	[ "$(init_fds)" -le "$1" ]
}

# cmdline_in_ns PID: the command line of PID as the namespace sees it, blanks between the words
cmdline_in_ns() {
	ns_run cat "/proc/$1/cmdline" | tr '\0' ' '
}

@test "status: a table of the services and the main command; --json says the same" {
	service_script web 'exec sleep 999'
	service_script prep 'exit 0'
	write_config <<EOF
$(ctl_init)
[service:n]
command = $HELPERS/notifier --status "serving 3 clients"
ready = notify
[service:web]
command = $T/web
[service:prep]
command = $T/prep
type = oneshot
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'main command started'
	wait_for_line "$T/out" 'service prep finished'

	run ctl status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[0]}" =~ ^SERVICE\ +STATE\ +PID\ +RESTARTS\ +AGE\ +LAST-EXIT\ +HEALTH\ +STATUS\ *$ ]]
	grep -Eq '^n +ready +[0-9]+ +0 .*serving 3 clients *$' <<<"$output"
	grep -Eq '^web +ready +[0-9]+ +0 ' <<<"$output"
	grep -Eq '^prep +done ' <<<"$output"
	[[ "${lines[4]}" =~ ^main\ command:\ running\ \(pid\ [0-9]+\)$ ]]
	table_n_pid=$(awk '$1 == "n" { print $3 }' <<<"$output")
	table_main_pid=$(sed -n 's/^main command: running (pid \([0-9]*\))$/\1/p' <<<"$output")

	run ctl status --json
	echo "$output"
	[ "$status" -eq 0 ]
	printf '%s' "$output" >"$T/status.json"
	run "$PYTHON" - "$T/status.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["services"]}
assert sorted(s) == ["n", "prep", "web"], s
for x in d["services"]:
    assert set(x) >= {"name", "state", "pid", "restarts", "since_ms", "last_exit", "health",
                      "health_failures", "status"}, x
    assert isinstance(x["since_ms"], int) and x["since_ms"] >= 0, x
    assert x["restarts"] == 0 and x["health"] == "none" and x["health_failures"] == 0, x
n, web, prep, main = s["n"], s["web"], s["prep"], d["main"]
assert n["state"] == "ready" and isinstance(n["pid"], int) and n["pid"] > 1, n
assert n["status"] == "serving 3 clients" and n["last_exit"] is None, n
assert web["state"] == "ready" and isinstance(web["pid"], int) and web["status"] is None, web
assert prep["state"] == "done" and prep["pid"] is None and prep["last_exit"] == 0, prep
assert main["state"] == "running" and isinstance(main["pid"], int) and main["exit"] is None, main
print(n["pid"], web["pid"], main["pid"])
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	read -r n_pid web_pid main_pid <<<"$output"
	[ "$n_pid" = "$table_n_pid" ]
	[ "$main_pid" = "$table_main_pid" ]
	# the pids are the processes in the namespace
	[[ "$(cmdline_in_ns "$n_pid")" == "$HELPERS/notifier --status serving 3 clients " ]]
	[ "$(cmdline_in_ns "$web_pid")" = "sleep 999 " ]
	[ "$(cmdline_in_ns "$main_pid")" = "sleep 1000 " ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "health: 1 with a reason while a service is not ready, 0 once all are" {
	service_script gated 'exec sleep 1000'
	service_script prep 'exit 0'
	write_config <<EOF
$(ctl_init)
[service:n]
command = $HELPERS/notifier
ready = notify
[service:gated]
command = $T/gated
ready = file $T/go
ready_interval = 50ms
[service:prep]
command = $T/prep
type = oneshot
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	wait_for_line "$T/out" 'service prep finished'
	run ctl health
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "unhealthy: "*gated* ]]
	touch "$T/go"
	wait_for_line "$T/out" 'service gated is ready'
	# a finished oneshot does not count against it
	run ctl health
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == healthy* ]]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "wait: returns when the service becomes ready, not later" {
	service_script gated 'echo start-gated >>$EVENTS; exec sleep 1000'
	# a dependent writes its marker 1 s after gated is ready: wait must have returned before
	service_script later 'sleep 1; echo later-marker >>$EVENTS; exec sleep 1000'
	write_config <<EOF
$(ctl_init)
[service:gated]
command = $T/gated
ready = file $T/go
ready_interval = 50ms
[service:later]
command = $T/later
depends_on = gated
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$EVENTS" start-gated
	ctl_link
	(
		"$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 20s gated >"$T/wait.out" 2>&1
		echo "wait-exit-$?" >>"$EVENTS"
		if grep -q 'service gated is ready' "$T/out"; then echo ready-was-logged >>"$EVENTS"; fi
	) &
	BG_PIDS=$!
	# the client is connected and blocked (the service cannot be ready before go exists)
	for _ in $(seq 200); do
		client=$(pgrep -P "$BG_PIDS" || true)
		[ -n "$client" ] && ls -l "/proc/$client/fd" 2>/dev/null | grep -q 'socket:' && break
		sleep 0.05
	done
	refute grep -q wait-exit "$EVENTS"
	echo go >>"$EVENTS"
	touch "$T/go"
	wait_for_line "$EVENTS" later-marker
	wait "$BG_PIDS"
	BG_PIDS=""
	cat "$T/wait.out"
	cat "$EVENTS"
	in_order "$EVENTS" '^go$' '^wait-exit-0$' '^ready-was-logged$' '^later-marker$'
	# every service (the default) and several names
	run ctl wait --timeout 20s
	[ "$status" -eq 0 ]
	run ctl wait --timeout 20s gated later
	[ "$status" -eq 0 ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "wait: exit 1 on --timeout, on a FAILED service (also one failing while waited for), on an unknown name" {
	service_script never 'exec sleep 1000'
	service_script bad 'exit 1'
	service_script crashy "while [ ! -e $T/die ]; do sleep 0.05; done; exit 1"
	write_config <<EOF
$(ctl_init)
[service:never]
command = $T/never
ready = file $T/never.ready
[service:bad]
command = $T/bad
restart = no
[service:crashy]
command = $T/crashy
ready = file $T/never.ready
restart = no
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service bad FAILED'
	run ctl wait --timeout 300ms never
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out"* ]]
	run ctl wait --timeout 20s bad
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *failed* ]]
	# all of them: bad has FAILED, no need to wait for the rest (never and crashy are still
	# starting, and come first and last in the file)
	run ctl wait --timeout 5s
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *failed* ]]
	ctl_link
	"$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 20s crashy >"$T/wait.out" 2>&1 &
	BG_PIDS=$!
	touch "$T/die"
	wait_for_line "$T/out" 'service crashy FAILED'
	st=0
	wait "$BG_PIDS" || st=$?
	BG_PIDS=""
	cat "$T/wait.out"
	[ "$st" -eq 1 ]
	grep -q failed "$T/wait.out"
	run ctl wait --timeout 20s nosuch
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"unknown service"* ]]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "restart, stop, start and kill NAME SIGNAL; errors exit 1, usage errors 2" {
	# dind-ctl prints the message of the answer ("ok MESSAGE" / "error MESSAGE"), which names
	# the service
	service_script web 'trap "echo term >>$T/web.events; exit 0" TERM
trap "echo hup >>$T/web.events" HUP
echo start >>$T/web.events
while :; do sleep 0.05; done'
	write_config <<EOF
$(ctl_init)
[service:web]
command = $T/web
restart_delay = 10ms
EOF
	start_ns -c "$T/dind-init.ini" -- sleep 1000
	wait_for_line "$T/out" 'main command started'
	pid1=$(svc_field web pid)
	[ "$(svc_field web restarts)" -eq 0 ]

	run ctl restart web
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *web* ]]
	wait_for_count "$T/web.events" '^start$' 2
	wait_for_state web ready
	[ "$(head -n 3 "$T/web.events" | tr '\n' ' ')" = "start term start " ]
	[ "$(svc_field web restarts)" -eq 1 ]
	[ "$(svc_field web pid)" != "$pid1" ]

	run ctl stop web
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *web* ]]
	wait_for_state web stopped
	[ "$(sed -n 4p "$T/web.events")" = term ]
	# not restarted, although restart_delay is only 10ms
	sleep 0.3
	[ "$(svc_field web state)" = stopped ]
	[ "$(svc_field web pid)" = null ]
	[ "$(grep -c '^start$' "$T/web.events")" -eq 2 ]

	run ctl start web
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *web* ]]
	wait_for_state web ready
	[ "$(grep -c '^start$' "$T/web.events")" -eq 3 ]
	# it runs already
	run ctl start web
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *web* ]]

	pid3=$(svc_field web pid)
	run ctl kill web HUP
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *web* ]]
	wait_for_line "$T/web.events" '^hup$'
	[ "$(svc_field web state)" = ready ]
	[ "$(svc_field web pid)" = "$pid3" ]

	for args in "restart nosuch" "stop nosuch" "start nosuch" "kill nosuch HUP"; do
		run ctl $args
		echo "$args: $status $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"unknown service"*nosuch* ]]
	done
	for args in "frobnicate" "restart" "kill web" ""; do
		run ctl $args
		echo "$args: $status $output"
		[ "$status" -eq 2 ]
	done
	# the main command was left alone through all this
	[ "$(main_field state)" = running ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "DIND_INIT_SOCKET leads dind-ctl to the socket without -s (run from the main command)" {
	unset DIND_INIT_SOCKET
	ctl_link
	service_script web 'exec sleep 1000'
	service_script main "echo \"main-pid=\$\$\" >>\$EVENTS
$T/dind-ctl status >$T/main-status 2>&1; echo \"status=\$?\" >>\$EVENTS
$T/dind-ctl health >>\$EVENTS 2>&1; echo \"health=\$?\" >>\$EVENTS"
	write_config <<EOF
$(ctl_init)
[service:web]
command = $T/web
EOF
	run in_ns -c "$T/dind-init.ini" -- "$T/main"
	echo "$output"
	cat "$EVENTS" "$T/main-status"
	[ "$status" -eq 0 ]
	grep -qx status=0 "$EVENTS"
	grep -qx health=0 "$EVENTS"
	grep -q '^healthy' "$EVENTS"
	grep -Eq '^web +ready ' "$T/main-status"
	main_pid=$(sed -n 's/^main-pid=//p' "$EVENTS")
	grep -qx "main command: running (pid $main_pid)" "$T/main-status"
}

@test "a non-root peer, garbage, a huge line, a stuck client and a datagram flood: PID 1 keeps working" {
	write_config <<EOF
$(ctl_init)
[service:n]
command = $HELPERS/notifier --status up
ready = notify
[service:late]
command = $HELPERS/notifier --delay 600000
ready = notify
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	[ "$(stat -c %a "$T/ctl.sock")" = 600 ]

	# as nobody, with the socket as dind-init made it: no answer (connect itself is refused)
	run ctl_raw --nobody 'b"status\n"'
	echo "$output"
	refute grep -Eq '^(ok|n )' <<<"$output"
	# past the file permissions, dind-init itself checks the peer's uid
	chmod 711 "$T"
	chmod 666 "$T/ctl.sock"
	run ctl_raw --nobody 'b"status\n"'
	echo "$output"
	[ "$status" -eq 0 ]
	refute grep -Eq '^(ok|n )' <<<"$output"
	[ -z "$output" ] || [[ "${lines[-1]}" == error* ]]
	chmod 700 "$T"

	# garbage and an unknown verb: an error line, then the server closes
	run ctl_raw 'b"\x00\x01\xfe\xffgarbage\n"'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == error* ]]
	run ctl_raw 'b"frobnicate the world\n"'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == error* ]]
	# 4 KiB without a newline: the server must not wait for the end of the line
	run ctl_raw 'b"status " + b"a" * 4096'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == error* ]]

	# a client that sent half a line and went quiet does not hold up the others
	"$PYTHON" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"sta")
open(sys.argv[2], "w").close()
time.sleep(60)' "$T/ctl.sock" "$T/stuck-connected" &
	BG_PIDS=$!
	for _ in $(seq 200); do
		[ -e "$T/stuck-connected" ] && break
		sleep 0.05
	done
	[ -e "$T/stuck-connected" ]
	run ctl status
	[ "$status" -eq 0 ]
	kill "$BG_PIDS"
	wait "$BG_PIDS" 2>/dev/null || true
	BG_PIDS=""

	# malformed datagrams and READY=1 from another process (one in six with an fd attached),
	# into both notify sockets
	fds_before=$(init_fds)
	run ns_run "$HELPERS/dgram_flood" "$T/run/n.notify" 300
	echo "$output"
	[ "$status" -eq 0 ]
	run ns_run "$HELPERS/dgram_flood" "$T/run/late.notify" 300
	echo "$output"
	[ "$status" -eq 0 ]
	# the passed fds were closed, not kept
	retry 100 init_fds_at_most "$fds_before"

	kill -0 "$INIT_PID"
	run ctl status
	echo "$output"
	[ "$status" -eq 0 ]
	grep -Eq '^n +ready ' <<<"$output"
	grep -Eq '^late +starting ' <<<"$output"
	# none of the flood's STATUS= texts got through
	[ "$(svc_field n status)" = up ]
	refute grep -q 'service late is ready' "$T/out"
	run ctl_raw 'b"status\n"'
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" == ok* ]]
	kill -TERM "$INIT_PID"
	wait_ns
	# it shut down normally: it was not killed by any of this
	grep -q 'shutdown complete' "$T/out"
}

@test "without dind-init: a clear message naming the socket, exit 1" {
	ctl_link
	# (wait keeps trying until its --timeout: see the next test)
	for verb in status health "wait --timeout 300ms"; do
		# shellcheck disable=SC2086
		run "$T/dind-ctl" -s "$T/nope.sock" $verb
		echo "$verb: $output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"$T/nope.sock"* ]]
		grep -qi connect <<<"$output"
	done
	DIND_INIT_SOCKET="$T/env.sock" run "$T/dind-ctl" status
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$T/env.sock"* ]]
	# -s wins over the environment
	DIND_INIT_SOCKET="$T/env.sock" run "$T/dind-ctl" -s "$T/nope.sock" status
	[ "$status" -eq 1 ]
	[[ "$output" == *"$T/nope.sock"* ]]
	# a socket file left behind, nobody listening
	"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/stale.sock"
	run "$T/dind-ctl" -s "$T/stale.sock" health
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$T/stale.sock"* ]]
	# the default path, unless a real dind-init runs on this machine
	if [ ! -e /run/dind-init.sock ]; then
		run env -u DIND_INIT_SOCKET "$T/dind-ctl" status
		echo "$output"
		[ "$status" -eq 1 ]
		[[ "$output" == *"/run/dind-init.sock"* ]]
	fi
}

@test "wait before dind-init has made its socket: it keeps trying, and answers once ready" {
	write_config <<EOF
$(ctl_init)
[service:n]
command = $HELPERS/notifier --delay 300 --status up
ready = notify
EOF
	ctl_link
	# started first: no socket yet (a Kubernetes startup probe right after the container started)
	"$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 30s >"$T/wait.out" 2>&1 &
	BG_PIDS=$!
	sleep 0.3
	kill -0 "$BG_PIDS"
	start_ns -c "$T/dind-init.ini"
	local rc=0
	wait "$BG_PIDS" || rc=$?
	cat "$T/wait.out"
	[ "$rc" -eq 0 ]
	grep -q '^ready: n' "$T/wait.out"
	in_order "$T/out" 'service n is ready'
}

@test "wait: a client that only half-closes its side still gets its answer" {
	write_config <<EOF
$(ctl_init)
[service:s]
command = sleep 1000
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service s is ready'
	run timeout 20 python3 -c '
import socket, sys
c = socket.socket(socket.AF_UNIX)
c.connect(sys.argv[1])
c.sendall(b"wait s\n")
c.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = c.recv(4096)
    if not b:
        break
    data += b
print(data.decode().strip())
' "$T/ctl.sock"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ok ready: s" ]
}

# Issue 9 item 3: the verdict is the last line; a data line that starts like one (a service
# named okapi or error-tracker) ended the table early (exit 0, rows lost) or made it exit 1.
@test "status: services named okapi, ok, error, error-tracker, okay.1 all show, in order, exit 0" {
	write_config <<EOF
$(ctl_init)
[service:okapi]
command = sleep 1000
[service:ok]
command = sleep 1000
[service:error]
command = sleep 1000
ready = file $T/error.ready
ready_interval = 50ms
[service:error-tracker]
command = sleep 1000
[service:okay.1]
command = sleep 1000
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service okay.1 is ready'

	# a wait answered later, for a service named error: only the last line is the verdict
	ctl_link
	"$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 20s error ok >"$T/wait.out" 2>"$T/wait.err" &
	BG_PIDS=$!
	for _ in $(seq 200); do
		ls -l "/proc/$BG_PIDS/fd" 2>/dev/null | grep -q 'socket:' && break
		sleep 0.05
	done
	[ "$(svc_field error state)" = starting ]
	touch "$T/error.ready"
	st=0
	wait "$BG_PIDS" || st=$?
	BG_PIDS=""
	cat "$T/wait.out" "$T/wait.err"
	[ "$st" -eq 0 ]
	[ "$(cat "$T/wait.out")" = "ready: error, ok" ]
	[ ! -s "$T/wait.err" ]

	run --separate-stderr ctl status
	echo "$output"
	echo "stderr: $stderr"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 7 ]
	[[ "${lines[0]}" == SERVICE* ]]
	[ "$(printf '%s\n' "${lines[@]:1:5}" | awk '{ print $1 "=" $2 }' | tr '\n' ' ')" = \
		"okapi=ready ok=ready error=ready error-tracker=ready okay.1=ready " ]
	[ "${lines[6]}" = "main command: none" ]

	run --separate-stderr ctl status --json
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run "$PYTHON" -c '
import json, sys
print(" ".join(s["name"] for s in json.loads(sys.argv[1])["services"]))' "$output"
	[ "$output" = "okapi ok error error-tracker okay.1" ]
	# the same names, filtered and waited for
	run ctl status error-tracker ok
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(awk 'NR > 1 && !/^main command/ { print $1 }' <<<"$output" | tr '\n' ' ')" = "ok error-tracker " ]
	run ctl wait --timeout 20s okapi ok error error-tracker okay.1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ready: okapi, ok, error, error-tracker, okay.1" ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "the verdict is exactly the last line: data lines never count, a missing verdict is an error" {
	# a fake server: each connection gets the next canned answer, then EOF
	"$PYTHON" -c '
import socket, sys
answers = [b"ok\nerror x\nok\n", b"error boom\n", b"okapi ready\n", b"ok fine", b"",
           b"data\nerrorless\n", b"line one\nok all good\n"]
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
open(sys.argv[2], "w").close()
for a in answers:
    c, _ = s.accept()
    c.recv(1024)
    c.sendall(a)
    c.close()' "$T/fake.sock" "$T/fake-ready" &
	BG_PIDS=$!
	for _ in $(seq 200); do
		[ -e "$T/fake-ready" ] && break
		sleep 0.05
	done
	ctl_link
	fake() { timeout --kill-after=5 20 "$T/dind-ctl" -s "$T/fake.sock" status; }
	# data lines that look like verdicts are printed as data; the last "ok" decides
	run --separate-stderr fake
	echo "$status $output / $stderr"
	[ "$status" -eq 0 ]
	[ "$output" = "ok"$'\n'"error x" ]
	run --separate-stderr fake
	echo "$status $output / $stderr"
	[ "$status" -eq 1 ]
	[ "$stderr" = boom ]
	# a last line that is no verdict (okapi), one cut short, or no answer at all: exit 1
	for _ in 1 2 3; do
		run --separate-stderr fake
		echo "$status $output / $stderr"
		[ "$status" -eq 1 ]
		[[ "$stderr" == dind-ctl:* ]]
	done
	run --separate-stderr fake
	echo "$status $output / $stderr"
	[ "$status" -eq 1 ]
	[ "$output" = data ]
	[[ "$stderr" == *"does not end with an ok or error line"* ]]
	run --separate-stderr fake
	echo "$status $output / $stderr"
	[ "$status" -eq 0 ]
	[ "$output" = "line one"$'\n'"all good" ]
	wait "$BG_PIDS"
	BG_PIDS=""
}

# Issue 9 item 17: `dind-ctl status dockerd` was a usage error.
@test "status SERVICE...: only those rows, in the table's order; JSON too; unknown names exit 1" {
	write_config <<EOF
$(ctl_init)
[service:a]
command = sleep 1000
[service:b]
command = sleep 1000
[service:c]
command = sleep 1000
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service c is ready'
	run ctl status c a
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == SERVICE* ]]
	[[ "${lines[1]}" =~ ^a\ +ready ]]
	[[ "${lines[2]}" =~ ^c\ +ready ]]
	[ "${lines[3]}" = "main command: none" ]
	run ctl status b --json
	[ "$status" -eq 0 ]
	run "$PYTHON" -c '
import json, sys
d = json.loads(sys.argv[1])
print(" ".join(s["name"] for s in d["services"]), d["main"]["state"])' "$output"
	[ "$output" = "b none" ]
	run ctl status a nosuch
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"unknown service 'nosuch'"* ]]
	# `status json` names a service called json; there is none: a hint at --json
	run ctl status json
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"unknown service 'json'"*"--json"* ]]
	kill -TERM "$INIT_PID"
	wait_ns
}

# Issue 9 item 17: AGE printed "219110ms"; HEALTH said ok before any health probe had run.
@test "status: AGE in the two largest units, HEALTH '-' until the first health probe of the run" {
	write_config <<EOF
$(ctl_init)
[service:slow]
command = sleep 1000
health = file $T/healthy
health_interval = 1h
[service:quick]
command = sleep 1000
health = file $T/healthy
health_interval = 50ms
health_retries = 1000
[service:plain]
command = sleep 1000
EOF
	touch "$T/healthy"
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service plain is ready'
	# once quick's first probe has run (it passes: the file exists)
	for _ in $(seq 200); do
		[ "$(svc_field quick health 2>/dev/null)" = ok ] && break
		sleep 0.05
	done
	# past a second, so that the age is in seconds
	for _ in $(seq 200); do
		[ "$(svc_field plain since_ms)" -ge 1000 ] && break
		sleep 0.05
	done
	run ctl status
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(awk '$1 == "slow" { print $7 }' <<<"$output")" = - ]
	[ "$(awk '$1 == "quick" { print $7 }' <<<"$output")" = ok ]
	[ "$(awk '$1 == "plain" { print $7 }' <<<"$output")" = none ]
	age=$(awk '$1 == "plain" { print $5 }' <<<"$output")
	[[ "$age" =~ ^[0-9]+s$ ]]
	[ "$(svc_field slow health)" = null ]
	[ "$(svc_field quick health)" = ok ]
	[ "$(svc_field plain health)" = none ]
	# a failing probe: failing, not '-'
	rm "$T/healthy"
	for _ in $(seq 200); do
		[ "$(svc_field quick health)" = failing ] && break
		sleep 0.05
	done
	[ "$(svc_field quick health)" = failing ]
	kill -TERM "$INIT_PID"
	wait_ns
}

# Issue 9 item 3: every signal stayed blocked from dind-init's start-up, so Ctrl-C and
# timeout(1) did nothing to a waiting dind-ctl.
@test "dind-ctl dies of SIGTERM (timeout 2 dind-ctl wait) and of SIGINT: no signal blocked" {
	write_config <<EOF
$(ctl_init)
[service:never]
command = sleep 1000
ready = file $T/never.ready
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service never started'
	ctl_link
	# --kill-after: the old dind-ctl ignored SIGTERM, and only SIGKILL (137) ended it
	run timeout --kill-after=20 2 "$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 0 never
	echo "$output"
	[ "$status" -eq 124 ]

	# a terminal's Ctrl-C: SIGINT to a client in the middle of a wait (a background job of a
	# script starts with SIGINT ignored: env puts back the default a terminal job has)
	env --default-signal=INT "$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 0 never &
	BG_PIDS=$!
	for _ in $(seq 200); do
		ls -l "/proc/$BG_PIDS/fd" 2>/dev/null | grep -q 'socket:' && break
		sleep 0.05
	done
	ls -l "/proc/$BG_PIDS/fd" | grep -q 'socket:'
	grep -Eq '^SigBlk:[[:space:]]*0+$' "/proc/$BG_PIDS/status"
	kill -INT "$BG_PIDS"
	for _ in $(seq 200); do
		kill -0 "$BG_PIDS" 2>/dev/null || break
		sleep 0.05
	done
	refute kill -0 "$BG_PIDS" 2>/dev/null
	st=0
	wait "$BG_PIDS" || st=$?
	BG_PIDS=""
	[ "$st" -eq 130 ]
	# dind-init itself goes on as before
	run ctl status never
	[ "$status" -eq 0 ]
	kill -TERM "$INIT_PID"
	wait_ns
}

@test "dind-ctl: long arguments and huge timeouts are clean usage errors or work (no overflow)" {
	ctl_link
	# the 1100-byte command word overflowed the request buffer (ASan in the sanitizer build)
	run "$T/dind-ctl" -s "$T/nope.sock" "$("$PYTHON" -c 'print("x" * 1100)')" y
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == "dind-ctl: unknown command 'xxxx"* ]]
	refute grep -q -e Sanitizer -e 'runtime error' <<<"$output"
	run "$T/dind-ctl" -s "$T/nope.sock" wait "$("$PYTHON" -c 'print("x" * 1100)')"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"request too long (limit 1024 bytes)"* ]]
	run "$T/dind-ctl" -s "$T/nope.sock" wait --timeout 9223372036854775808ms
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"too long"* ]]
	run "$T/dind-ctl" -s "$T/nope.sock" wait "a b"
	[ "$status" -eq 2 ]

	write_config <<EOF
$(ctl_init)
[service:s]
command = sleep 1000
EOF
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service s is ready'
	# the longest timeout there is: now + timeout overflowed a signed integer (UBSan)
	run ctl wait --timeout 9223372036854775807ms s
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "ready: s" ]
	kill -TERM "$INIT_PID"
	wait_ns
}

# ctl_as UID GID GROUPS ARGS...: dind-ctl on this test's socket as another user (GROUPS: a
# comma-separated supplementary list, or "-" for none)
ctl_as() {
	local uid=$1 gid=$2 groups=$3
	shift 3
	ctl_link
	if [ "$groups" = - ]; then
		timeout 30 setpriv --reuid="$uid" --regid="$gid" --clear-groups "$T/dind-ctl" -s "$T/ctl.sock" "$@"
	else
		timeout 30 setpriv --reuid="$uid" --regid="$gid" --groups="$groups" "$T/dind-ctl" -s "$T/ctl.sock" "$@"
	fi
}

@test "control_group: its members may use status, health and wait; start/stop/restart/kill stay root's" {
	write_config <<EOF
$(ctl_init)
control_group = 4242
[service:n]
command = $HELPERS/notifier --status up
ready = notify
EOF
	chmod 755 "$T"
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	[ "$(stat -c '%a %g' "$T/ctl.sock")" = "660 4242" ]
	# primary group, then supplementary group
	run -0 ctl_as 1000 4242 - wait --timeout 10s
	run -0 ctl_as 1000 1000 4242 status
	[[ "$output" =~ n\ +ready ]]
	run -0 ctl_as 1000 1000 4242 health
	run -0 ctl_as 1000 1000 4242 status --json
	for verb in "stop n" "start n" "restart n" "kill n HUP"; do
		# shellcheck disable=SC2086
		run -1 ctl_as 1000 4242 - $verb
		[[ "$output" == *"permission denied: only root may start, stop, restart or kill services; members of group 4242 may use status, health and wait"* ]]
	done
	[ "$(svc_field n state)" = ready ]
	[ "$(svc_field n restarts)" = 0 ]
	# not a member: refused with the reason (with the file permissions opened up, as here;
	# otherwise connect itself is refused)
	chmod 666 "$T/ctl.sock"
	run -1 ctl_as 1000 1000 - status
	echo "$output"
	[[ "$output" == *"only root and members of group 4242 (control_group) may use dind-ctl"* ]]
	# root still may do everything
	run -0 ctl restart n
}

@test "control_group from \${VAR:-default}, names from the group file, bad values" {
	local g
	write_config <<EOF
$(ctl_init)
control_group = \${CG_TEST:-nogroup}
[service:n]
command = $HELPERS/notifier --status up
ready = notify
EOF
	g=$(getent group nogroup | cut -d: -f3)
	CG_TEST=777 start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	[ "$(stat -c %g "$T/ctl.sock")" = 777 ]
	kill -TERM "$INIT_PID"
	wait_ns
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	[ "$(stat -c %g "$T/ctl.sock")" = "$g" ]
	kill -TERM "$INIT_PID"
	wait_ns
	# an unknown name after expansion: exit 2 before anything starts
	CG_TEST=no-such-group-here run -2 in_ns -c "$T/dind-init.ini"
	[[ "$output" == *"control_group 'no-such-group-here' (\${CG_TEST:-nogroup}): no such group in the group file; use a number, or make the group (groupadd --system NAME; DOCKER_GROUP_GID=GID gives the default config's a number)"* ]]
	refute grep -q 'service n' <<<"$output"
	# and without a variable, already when the file is loaded
	sed -i 's/^control_group = .*/control_group = no-such-group-here/' "$T/dind-init.ini"
	run -2 "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	[[ "$output" == *"unknown group 'no-such-group-here' for control_group"* ]]
}

@test "control_group members cannot take root's slots; refusals are logged once per 10 s, with a count" {
	write_config <<EOF2
$(ctl_init)
control_group = 4242
[service:n]
command = $HELPERS/notifier --status up
ready = notify
[service:late]
# a oneshot that never finishes: a wait for it never answers, and health does not count it
command = sleep 1000
type = oneshot
EOF2
	chmod 755 "$T"
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service n is ready'
	# as a member: 32 `wait` connections that stay (one for each slot there is), then 100 more;
	# those refused get "too many clients" and the end of the connection
	setpriv --reuid=1000 --regid=4242 --clear-groups "$PYTHON" -c '
import select, socket, sys, time
socks = []
for _ in range(132):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    try:
        s.sendall(b"wait late\n")
    except OSError:
        pass  # refused and closed already: its answer is still there to read
    socks.append(s)
refused, answers = set(), {}
end = time.time() + 20
while time.time() < end and len(refused) < 108:
    for s in select.select([s for s in socks if s not in refused], [], [], 0.5)[0]:
        try:
            d = s.recv(4096)
        except OSError:
            d = b""
        answers[s] = answers.get(s, b"") + d
        if not d:
            refused.add(s)
# only refusals ended (a wait for late never answers), with the reason
assert all(answers[s] in (b"", b"error too many clients, try again\n") for s in refused), answers
assert any(answers[s] for s in refused), answers
print("held %d refused %d" % (len(socks) - len(refused), len(refused)), flush=True)
time.sleep(60)' "$T/ctl.sock" >"$T/hog" 2>&1 &
	BG_PIDS=$!
	wait_for_line "$T/hog" '^held ' 600
	cat "$T/hog"
	# members together hold at most 32 - 8: the other 8 slots are root's
	[ "$(cat "$T/hog")" = "held 24 refused 108" ]
	# root still gets its answers while they hold theirs
	run -0 ctl health
	[ "$output" = "healthy: 1 service ready" ]
	run -0 ctl status
	[[ "$output" =~ n\ +ready ]]
	# one warning, saying why; the 107 refusals after it in one more line, when 10 s are up
	wait_for_line "$T/out" 'refused 107 more connections in the last 10 s (too many clients)' 400
	cat "$T/out"
	[ "$(grep -c 'control socket' "$T/out")" -eq 2 ]
	grep -q "control socket $T/ctl.sock: refusing a connection from uid 1000: clients other than root hold 24 connections already, the most they may (8 more are kept for root)" "$T/out"
	# and the member's own read-only requests still work once it lets go
	kill "$BG_PIDS"
	wait "$BG_PIDS" 2>/dev/null || true
	BG_PIDS=""
	run -0 ctl_as 1000 4242 - health
}

# Audit F8: connect() on a unix socket blocks while the listener's queue is full, and dind-ctl
# connected with a blocking socket: with dind-init stopped (or flooded), --timeout was not kept.
@test "dind-ctl keeps its time limit when dind-init's queue of clients is full (dind-init stopped)" {
	write_config <<EOF2
$(ctl_init)
[service:s]
command = sleep 1000
EOF2
	start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/out" 'service s is ready'
	ctl_link
	kill -STOP "$INIT_PID"
	# clients that connect and wait fill the queue of the stopped dind-init (16 + 1)
	"$PYTHON" -c '
import socket, sys, time
socks = []
while len(socks) < 1000:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        print("full after %d" % len(socks), flush=True)
        break
    socks.append(s)
time.sleep(600)' "$T/ctl.sock" >"$T/filler" 2>&1 &
	BG_PIDS=$!
	wait_for_line "$T/filler" '^full after'
	# status has its own limit (30 s); wait has --timeout; timeout(1) is only the outer guard
	timeout --kill-after=5 90 "$T/dind-ctl" -s "$T/ctl.sock" status >"$T/status.out" 2>&1 &
	status_pid=$!
	BG_PIDS="$BG_PIDS $status_pid"
	run timeout --kill-after=5 60 "$T/dind-ctl" -s "$T/ctl.sock" wait --timeout 2s
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"dind-init at $T/ctl.sock did not take the connection within 2s: its queue of clients waiting to be accepted is full (is dind-init stopped, or flooded with connections?)"* ]]
	st=0
	wait "$status_pid" || st=$?
	cat "$T/status.out"
	[ "$st" -eq 1 ]
	grep -q 'did not take the connection within 30s' "$T/status.out"
	# and once dind-init goes on, so does everything
	kill -CONT "$INIT_PID"
	kill -KILL $BG_PIDS 2>/dev/null || true
	BG_PIDS=""
	run ctl status s
	[ "$status" -eq 0 ]
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
}

# Audit C1: `dind-init status` typed for `dind-ctl status` in a running container started a second
# containerd and dockerd, took the first one's control and notify sockets, and removed them when it
# exited: dind-ctl could not reach the real one, and a restarted service's READY=1 was lost.
@test "a second dind-init beside a running one starts nothing and leaves its sockets alone" {
	service_script n "echo started >>\$EVENTS; exec $HELPERS/notifier"
	write_config <<EOF
$(ctl_init)
[service:n]
command = $T/n
ready = notify
EOF
	start_ns -c "$T/dind-init.ini"
	ctl wait --timeout 20s
	ctl_ino=$(stat -c %i "$T/ctl.sock")
	notify_ino=$(stat -c %i "$T/run/n.notify")
	# the same config, as a mistyped command would read it (not PID 1: no setup either way)
	run -3 timeout 20 "$DIND_INIT" -c "$T/dind-init.ini" status
	echo "$output"
	[[ "$output" == *"another dind-init already serves $T/ctl.sock: this one starts nothing; to ask it, run: dind-ctl status"* ]]
	run -3 timeout 20 "$DIND_INIT" -c "$T/dind-init.ini" -- sh -c 'echo main-ran >>$EVENTS'
	[[ "$output" == *"another dind-init already serves $T/ctl.sock: this one starts nothing (its services would take over the running ones)"* ]]
	# the second one's own control socket, the same runtime_dir: its notify socket is the
	# first one's, refused the same way
	sed "s|^control_socket = .*|control_socket = $T/ctl2.sock|" "$T/dind-init.ini" >"$T/second.ini"
	run -3 timeout 20 "$DIND_INIT" -c "$T/second.ini" -- sh -c 'echo main-ran >>$EVENTS'
	echo "$output"
	[[ "$output" == *"another process serves $T/run/n.notify"* ]]
	[ ! -e "$T/ctl2.sock" ]
	# nothing started twice, the sockets are the same files, and they still work: a restart's
	# READY=1 reaches the first dind-init
	[ "$(grep -c started "$EVENTS")" -eq 1 ]
	refute grep -q main-ran "$EVENTS"
	[ "$(stat -c %i "$T/ctl.sock")" = "$ctl_ino" ]
	[ "$(stat -c %i "$T/run/n.notify")" = "$notify_ino" ]
	ctl restart n
	wait_for_count "$EVENTS" started 2
	ctl wait --timeout 20s n
	[ "$(svc_field n state)" = ready ]
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
}

# Audit C2: with no services (a plain init, as tini is), a control socket that cannot be made
# (--user, --read-only) failed the container with exit 3.
@test "a plain init with no services runs its command where the control socket cannot be made" {
	# a folder nobody can read through ($T's parents are root's alone)
	P=$(mktemp -d /tmp/dind-init-plain.XXXXXX)
	chmod 755 "$P"
	mkdir "$P/ro"
	chmod 555 "$P/ro"
	printf '[init]\ncontrol_socket = %s\n' "$P/ro/ctl.sock" >"$P/plain.ini"
	chmod 644 "$P/plain.ini"
	run timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$DIND_INIT" -c "$P/plain.ini" -- sh -c 'echo ran; exit 7'
	plain_status=$status plain_output=$output
	# with services it stays an error
	printf '[service:s]\ncommand = /bin/true\n' >>"$P/plain.ini"
	run timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups "$DIND_INIT" --no-setup -c "$P/plain.ini" -- true
	rm -rf "$P"
	echo "$plain_output"
	[ "$plain_status" -eq 7 ]
	[[ "$plain_output" == *ran* ]]
	[[ "$plain_output" == *"cannot create the control socket $P/ro/ctl.sock: dind-ctl will not answer (there are no services to ask about"* ]]
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot create the control socket $P/ro/ctl.sock (set [init] control_socket"* ]]
}

# listen_at PATH [SETPRIV-ARGS...]: a process that listens on the unix socket PATH and never
# answers (as root, or as another user with setpriv's arguments); its pid in LISTENER. With
# DGRAM=1, a datagram socket bound there (what a notify socket is).
listen_at() {
	local path=$1
	shift
	# shellcheck disable=SC2016
	"$@" "$PYTHON" -c 'import socket, sys, time
dgram = sys.argv[2] == "1"
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM if dgram else socket.SOCK_STREAM)
s.bind(sys.argv[1])
if not dgram:
    s.listen(0)
time.sleep(120)' "$path" "${DGRAM:-0}" &
	LISTENER=$!
	for _ in $(seq 100); do
		[ -S "$path" ] && return 0
		sleep 0.05
	done
	return 1
}

# Audit E1/E2: a process that listens at the control socket's path (a CI job in a /var/run it
# shares with the dind container, or a second dind-init that slipped in while PID 1 was setting
# up) kept PID 1 from starting (exit 3 "another dind-init"); dind-ctl asked it and waited.
@test "PID 1 takes its sockets over from whoever serves them; dind-ctl does not ask a process of another user" {
	P=$(mktemp -d /tmp/dind-init-shared.XXXXXX)
	chmod 1777 "$P"
	# someone else's listener: dind-ctl (root) does not ask it
	listen_at "$P/job.sock" setpriv --reuid=65534 --regid=65534 --clear-groups
	ctl_link
	run -1 timeout 20 "$T/dind-ctl" -s "$P/job.sock" health
	echo "$output"
	[[ "$output" == *"dind-ctl: $P/job.sock is served by a process of uid 65534, not by dind-init (root): not asking it"* ]]
	kill "$LISTENER"
	# a root listener at PID 1's control socket and one at a notify socket: taken over
	listen_at "$P/ctl.sock"
	root_listener=$LISTENER
	mkdir -p "$P/run"
	DGRAM=1 listen_at "$P/run/n.notify"
	service_script n "exec $HELPERS/notifier"
	printf '[init]\ncontrol_socket = %s\nruntime_dir = %s\n[service:n]\ncommand = %s\nready = notify\n' \
		"$P/ctl.sock" "$P/run" "$T/n" >"$T/dind-init.ini"
	start_ns -c "$T/dind-init.ini"
	run -0 timeout 30 "$T/dind-ctl" -s "$P/ctl.sock" wait --timeout 20s
	kill -TERM "$INIT_PID"
	wait_ns
	kill "$root_listener" "$LISTENER" || true
	rm -rf "$P"
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	grep -q "the control socket $P/ctl.sock was served by another process (uid 0): replaced by this dind-init's" "$T/out"
	grep -q "service n's notify socket $P/run/n.notify was served by another process (uid 0): replaced" "$T/out"
}

@test "a dind-init that is not PID 1 takes over a socket another user serves, and refuses one of its own user's" {
	P=$(mktemp -d /tmp/dind-init-shared.XXXXXX)
	chmod 1777 "$P"
	listen_at "$P/ctl.sock" setpriv --reuid=65534 --regid=65534 --clear-groups
	printf '[init]\ncontrol_socket = %s\nruntime_dir = %s\n[service:s]\ncommand = sleep 1000\n' \
		"$P/ctl.sock" "$P/run" >"$T/dind-init.ini"
	run timeout 30 "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	kill "$LISTENER" || true
	first_status=$status first_output=$output
	listen_at "$P/ctl.sock"
	run timeout 30 "$DIND_INIT" --no-setup -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	kill "$LISTENER" || true
	rm -rf "$P"
	echo "$first_output"
	[ "$first_status" -eq 0 ]
	[[ "$first_output" == *main-ran* ]]
	[[ "$first_output" == *"was served by another process (uid 65534): replaced"* ]]
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"another dind-init already serves $P/ctl.sock"* ]]
	[[ "$output" != *main-ran* ]]
}

# Audit F3/F4: a dind-init orphaned to a dind-init PID 1 (parent pid 1) counted as "the
# container's init" and took PID 1's sockets over; a root dind-init took over a user= service's
# notify socket (its file is that user's); when it exited, PID 1 had neither.
@test "a dind-init whose parent is a dind-init PID 1, or that meets a user's notify socket, takes nothing over" {
	service_script n "exec $HELPERS/notifier"
	write_config <<EOF
$(ctl_init)
[service:n]
command = $T/n
user = nobody
ready = notify
EOF
	chmod 755 "$T"
	# the second one is orphaned before its exec: its parent is PID 1
	start_ns -c "$T/dind-init.ini" -- sh -c "setsid -f sh -c 'sleep 0.3; exec $DIND_INIT --no-setup -c $T/dind-init.ini -- true >$T/inner.out 2>&1'; exec sleep 1000"
	ctl wait --timeout 20s
	ctl_ino=$(stat -c %i "$T/ctl.sock")
	notify_ino=$(stat -c %i "$T/run/n.notify")
	wait_for_line "$T/inner.out" 'another dind-init already serves'
	# and one with its own control socket, the same runtime_dir: the notify socket is nobody's
	sed "s|^control_socket = .*|control_socket = $T/ctl2.sock|" "$T/dind-init.ini" >"$T/second.ini"
	run -3 timeout 20 "$DIND_INIT" --no-setup -c "$T/second.ini" -- true
	echo "$output"
	[[ "$output" == *"another process serves $T/run/n.notify"* ]]
	[ "$(stat -c %i "$T/ctl.sock")" = "$ctl_ino" ]
	[ "$(stat -c %i "$T/run/n.notify")" = "$notify_ino" ]
	ctl restart n
	ctl wait --timeout 20s n
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/inner.out"
	refute grep -q 'replaced' "$T/inner.out"
	[ "$STATUS" -eq 143 ] || [ "$STATUS" -eq 0 ]
}

# Audit F7a: a folder at the control socket's path (docker run -v of a missing host path) was
# reported as "another dind-init already serves".
@test "a folder at the control socket's path is named as such, not as another dind-init" {
	mkdir "$T/ctl.sock"
	service_script s 'exec sleep 1000'
	printf '[init]\ncontrol_socket = %s\n[service:s]\ncommand = %s\n' "$T/ctl.sock" "$T/s" >"$T/dind-init.ini"
	run -3 in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[[ "$output" == *"cannot create the control socket $T/ctl.sock (something that is not a socket is there, a folder perhaps"* ]]
	refute grep -q 'another dind-init' <<<"$output"
}
