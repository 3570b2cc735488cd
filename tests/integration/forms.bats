#!/usr/bin/env bats
# docker:dind's argument forms and the keys that express them: ${VAR} in command, when, args_if,
# and a COMMAND that is the args_to service's own command line (`dockerd --host=...`).

load common

# fake_daemon: $T/bin/dockerd records its arguments (one per line) in $T/args.N and runs until
# stopped; $T/bin/certs records that it ran
fake_daemon() {
	mkdir -p "$T/bin"
	cat >"$T/bin/dockerd" <<EOF
#!/bin/sh
n=\$(ls $T | grep -c '^args\.' || true)
printf '%s\n' "\$@" >$T/args.\$n
echo dockerd-started >>$T/events
trap 'exit 0' TERM
while :; do sleep 0.05; done
EOF
	printf '#!/bin/sh\necho certs "$@" >>%s/events\n' "$T" >"$T/bin/certs"
	chmod +x "$T/bin/dockerd" "$T/bin/certs"
	EVENTS=$T/events
}

# dind_config: the default config's shape, with fake programs
dind_config() {
	ctl_init
	cat <<EOF
args_to = dockerd
main_after = dockerd
[service:certs]
type = oneshot
command = $T/bin/certs --dir \${DOCKER_TLS_CERTDIR}
when = DOCKER_TLS_CERTDIR !replaced:dockerd
[service:dockerd]
command = $T/bin/dockerd --containerd=/run/c.sock --host=unix:///var/run/docker.sock
depends_on = certs
args_if = DOCKER_TLS_CERTDIR !replaced:dockerd !arg:--host !arg:-H :
    --host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=\${DOCKER_TLS_CERTDIR}/server/ca.pem
args_if = !DOCKER_TLS_CERTDIR !replaced:dockerd !arg:--host !arg:-H : --host=tcp://0.0.0.0:2375 --tls=false
args_if = replaced:dockerd !arg:--containerd : --containerd=/run/c.sock
args_if = replaced:dockerd !arg:--host=unix:///var/run/docker.sock !arg:-H=unix:///var/run/docker.sock : --host=unix:///var/run/docker.sock
args_if = DOCKER_MTU !arg:--mtu : --mtu=\${DOCKER_MTU}
EOF
}

@test "TLS on: the oneshot runs with \${DOCKER_TLS_CERTDIR} expanded, then dockerd with the TLS listener" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	DOCKER_TLS_CERTDIR=/certs start_ns -c "$T/dind-init.ini"
	wait_for_line "$T/events" dockerd-started
	ctl wait --timeout 20s
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	[ "$(head -n 1 "$T/events")" = "certs --dir /certs" ]
	[ "$(tr '\n' ' ' <"$T/args.0")" = "--containerd=/run/c.sock --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=/certs/server/ca.pem " ]
	grep -q 'service dockerd gets --host=tcp://0.0.0.0:2376' "$T/out"
}

@test "TLS off (DOCKER_TLS_CERTDIR empty): the oneshot is skipped, dockerd gets 2375 and --tls=false" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	DOCKER_TLS_CERTDIR= DOCKER_MTU=1400 start_ns -c "$T/dind-init.ini" -- --debug
	wait_for_line "$T/events" dockerd-started
	ctl wait --timeout 20s
	[ "$(svc_field certs state)" = skipped ]
	# A skipped service is no reason to call the container unhealthy.
	run -0 ctl health
	run -1 ctl start certs
	[[ "$output" == *"certs is skipped: when DOCKER_TLS_CERTDIR !replaced:dockerd did not hold"* ]]
	run -0 ctl status
	[[ "$output" =~ certs\ +skipped ]]
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	refute grep -q '^certs' "$T/events"
	# COMMAND's --debug right after the configured command, then the args_if words.
	[ "$(tr '\n' ' ' <"$T/args.0")" = "--containerd=/run/c.sock --host=unix:///var/run/docker.sock --debug --host=tcp://0.0.0.0:2375 --tls=false --mtu=1400 " ]
	grep -q 'service certs is skipped: when DOCKER_TLS_CERTDIR !replaced:dockerd does not hold' "$T/out"
}

@test "your own --host and --mtu keep control: no listener and no --mtu added" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	DOCKER_TLS_CERTDIR=/certs DOCKER_MTU=1400 start_ns -c "$T/dind-init.ini" -- -H tcp://127.0.0.1:9999 --mtu=1300
	wait_for_line "$T/events" dockerd-started
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$(tr '\n' ' ' <"$T/args.0")" = "--containerd=/run/c.sock --host=unix:///var/run/docker.sock -H tcp://127.0.0.1:9999 --mtu=1300 " ]
	# The certificates are still made: your --host may use them.
	grep -q '^certs --dir /certs' "$T/events"
}

@test "COMMAND 'dockerd ARGS' (ARC): it is dockerd's command line, no main command, no TLS, containerd kept" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	DOCKER_TLS_CERTDIR=/certs DOCKER_MTU=1450 start_ns -c "$T/dind-init.ini" dockerd --host=unix:///var/run/docker.sock --group=123
	wait_for_line "$T/events" dockerd-started
	ctl wait --timeout 20s
	run -0 ctl status
	[[ "$output" == *"main command: none"* ]]
	[ "$(svc_field certs state)" = skipped ]
	# dind-init still supervises it: kill it, it comes back with the same command line.
	ns_run kill -9 "$(svc_field dockerd pid)"
	wait_for_count "$T/events" dockerd-started 2
	kill -TERM "$INIT_PID"
	wait_ns
	[ "$STATUS" -eq 0 ]
	# The program that runs is the configured one ($T/bin/dockerd): COMMAND names it, the path
	# stays the service's. No TLS flags; --containerd and --mtu from args_if.
	for f in "$T/args.0" "$T/args.1"; do
		[ "$(tr '\n' ' ' <"$f")" = "--host=unix:///var/run/docker.sock --group=123 --containerd=/run/c.sock --mtu=1450 " ]
	done
	grep -q "COMMAND is dockerd's own command line" "$T/out"
}

@test "COMMAND '/usr/local/bin/dockerd --containerd=X' also replaces it; a COMMAND named otherwise is the main command" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini" /usr/local/bin/dockerd --containerd=/x.sock
	echo "$output"
	[[ "$output" == *"dockerd --containerd=/x.sock"* ]]
	[[ "$output" == *"args_if replaced:dockerd !arg:--containerd : --containerd=/run/c.sock  -> no"* ]]
	# Another program: the main command, started once dockerd is ready.
	DOCKER_TLS_CERTDIR= run -0 in_ns -c "$T/dind-init.ini" -- sh -c 'until grep -q dockerd-started $EVENTS; do sleep 0.05; done; echo main-ran >>$EVENTS'
	[ "$(tr '\n' ' ' <"$T/events")" = "dockerd-started main-ran " ]
}

@test "--check-config shows each condition and whether it holds now" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	DOCKER_TLS_CERTDIR=/certs run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[[ "$output" == *"when DOCKER_TLS_CERTDIR !replaced:dockerd  -> yes"* ]]
	[[ "$output" == *"--host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=\${DOCKER_TLS_CERTDIR}/server/ca.pem  -> yes"* ]]
	[[ "$output" == *"--tlscacert=/certs/server/ca.pem"* ]]
	DOCKER_TLS_CERTDIR= run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	[[ "$output" == *"SKIPPED"* ]]
	[[ "$output" == *"--host=tcp://0.0.0.0:2375 --tls=false  -> yes"* ]]
}

@test "bad when and args_if lines are config errors with file:line" {
	ctl_init >"$T/dind-init.ini"
	cat >>"$T/dind-init.ini" <<EOF
[service:a]
command = /bin/true \${oops
when = arg:--host
args_if = X --y
EOF
	run -2 "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[[ "$output" == *"dind-init.ini:5: bad command in [service:a]: unterminated \${"* ]]
	[[ "$output" == *"dind-init.ini:6: arg:--host in when of [service:a]: arg: conditions are for args_if only"* ]]
	[[ "$output" == *"dind-init.ini:7: bad args_if in [service:a]: expected CONDITIONS : WORDS"* ]]
}

@test "COMMAND naming this program (dockerd-entrypoint.sh, dind, dind-init) is not a second dind-init: the rest is COMMAND" {
	fake_daemon
	dind_config >"$T/dind-init.ini"
	# a pod's args: [dockerd-entrypoint.sh, --mtu=1400] with the image's entrypoint kept
	DOCKER_TLS_CERTDIR= start_ns -c "$T/dind-init.ini" /usr/local/bin/dockerd-entrypoint.sh --mtu=1400
	wait_for_line "$T/events" dockerd-started
	run -0 ctl status
	[[ "$output" == *"main command: none"* ]]
	kill -TERM "$INIT_PID"
	wait_ns
	grep -qx -- --mtu=1400 "$T/args.0"
	grep -q "COMMAND starts with /usr/local/bin/dockerd-entrypoint.sh, this program's own name" "$T/out"
	# `dind dockerd ARGS`: the dockerd ... form
	run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini" dind dockerd -H tcp://127.0.0.1:9999
	[[ "$output" == *"dockerd -H tcp://127.0.0.1:9999 --containerd=/run/c.sock --host=unix:///var/run/docker.sock"* ]]
	run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini" dind-init dind dockerd --host=unix:///var/run/docker.sock
	[[ "$output" == *"dockerd --host=unix:///var/run/docker.sock --containerd=/run/c.sock"* ]]
	[[ "$output" != *"--containerd=/run/c.sock --host=unix:///var/run/docker.sock"* ]]
}
