#!/usr/bin/env bats
# Command line: config file resolution, --check-config, --version, --help, usage errors.

load common

@test "--check-config prints the services in start order and exits 0" {
	write_config <<EOF
[init]
main_after = web
[service:web]
command = /usr/bin/web --port "80 80"
depends_on = db, prep
[service:db]
command = /usr/bin/db
type = notify
[service:prep]
command = /bin/prep
type = oneshot
EOF
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"3 services, in start order"* ]]
	# db and prep (no dependencies, file order) come before web
	[ "$(grep -o '^ *[0-9]\. [a-z]*' <<<"$output" | tr -s ' ' | tr '\n' '|')" = " 1. db| 2. prep| 3. web|" ]
	grep -q "3\. web .*after db,prep.*/usr/bin/web --port '80 80'" <<<"$output"
	grep -q 'main command starts after: web' <<<"$output"
}

@test "--check-config reports every error with file:line and exits 2" {
	write_config <<EOF
[init]
log_level = loud
main_after = nope
[service:a]
command = /bin/true
depends_on = b
bogus_key = 1
[service:b]
command = "unterminated
depends_on = a
[service:a]
command = /bin/true
[weird]
[service:c]
restart = sometimes
stop_timeout = 10x
[service:d]
command = /bin/d
depends_on = ghost
EOF
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 2 ]
	f="$T/dind-init.ini"
	grep -q "^$f:2: bad value 'loud' for log_level" <<<"$output"
	grep -q "^$f:3: main_after names unknown service 'nope'" <<<"$output"
	grep -q "^$f:7: unknown key 'bogus_key' in \[service:a\]" <<<"$output"
	grep -q "^$f:9: bad command in \[service:b\]: unterminated double quote" <<<"$output"
	grep -q "^$f:11: duplicate section \[service:a\]: first defined at line 4" <<<"$output"
	grep -q "^$f:13: unknown section \[weird\]" <<<"$output"
	grep -q "^$f:15: bad value 'sometimes' for restart" <<<"$output"
	grep -q "^$f:16: bad duration '10x' for stop_timeout" <<<"$output"
	grep -q "^$f:14: service 'c' has no command" <<<"$output"
	# b's command line has an error of its own: not also reported as missing
	refute grep -q "service 'b' has no command" <<<"$output"
	grep -q "^$f:4: dependency cycle: a -> b -> a" <<<"$output"
	grep -q "^$f:19: service 'd' depends on unknown service 'ghost'" <<<"$output"
	grep -q "errors in $f" <<<"$output"
}

@test "a config error stops dind-init before anything starts: exit 2" {
	write_config <<EOF
[service:a]
command = /bin/true
restart = sometimes
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo ran >>$EVENTS'
	[ "$status" -eq 2 ]
	[ ! -s "$EVENTS" ]
}

@test "-c with a missing file is an error; so is DIND_INIT_CONFIG with a missing file" {
	run "$DIND_INIT" -c "$T/missing.ini" -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read the config file $T/missing.ini: No such file or directory"* ]]
	DIND_INIT_CONFIG="$T/missing2.ini" run "$DIND_INIT" -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"$T/missing2.ini"* ]]
}

@test "DIND_INIT_CONFIG selects the file; -c wins over it" {
	service_script s1 'echo from-env-config >>$EVENTS'
	service_script s2 'echo from-c-config >>$EVENTS'
	printf '[init]\nmain_after = s\n[service:s]\ncommand = %s\ntype = oneshot\n' "$T/s1" >"$T/env.ini"
	printf '[init]\nmain_after = s\n[service:s]\ncommand = %s\ntype = oneshot\n' "$T/s2" >"$T/c.ini"
	DIND_INIT_CONFIG="$T/env.ini" run in_ns -- true
	[ "$status" -eq 0 ]
	DIND_INIT_CONFIG="$T/env.ini" run in_ns -c "$T/c.ini" -- true
	[ "$status" -eq 0 ]
	[ "$(event_order)" = "from-env-config from-c-config" ]
}

@test "without any config file it is a plain init around the command" {
	# /etc/dind-init.ini is the default; hide any real one in a private mount namespace
	run env -u DIND_INIT_CONFIG timeout 30 unshare --mount --pid --fork --mount-proc sh -c \
		'mount -t tmpfs none /etc 2>/dev/null || true; exec "$0" -- sh -c "exit 9"' "$DIND_INIT"
	echo "$output"
	[ "$status" -eq 9 ]
}

@test "--version, --help and an unknown option" {
	run "$DIND_INIT" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^dind-init\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	run "$DIND_INIT" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: dind-init"*"--check-config"* ]]
	run "$DIND_INIT" --no-such-option
	[ "$status" -eq 2 ]
	[[ "$output" == *"dind-init --help"* ]]
}

@test "options after the command belong to the command" {
	run in_ns -q -- sh -c 'echo "$@"' sh -c -v --help
	[ "$status" -eq 0 ]
	[ "$output" = "-c -v --help" ]
}

@test "-v shows debug messages, -q hides info messages" {
	run in_ns -v -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *"debug: dind-init"*"running as pid 1"* ]]
	run in_ns -q -- true
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "cmake --install puts dind-init in sbin with dind-ctl as a symlink to it" {
	[ -n "${BUILD_DIR:-}" ] || skip "BUILD_DIR not set (run through CTest)"
	run cmake --install "$BUILD_DIR" --prefix "$T/inst"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -x "$T/inst/sbin/dind-init" ]
	[ -L "$T/inst/sbin/dind-ctl" ]
	[ "$(readlink "$T/inst/sbin/dind-ctl")" = dind-init ]
	run "$T/inst/sbin/dind-init" --version
	[ "$status" -eq 0 ]
}

@test "require_socket: a missing socket says how to mount it (exit 3); a socket or DOCKER_HOST is fine" {
	printf '[init]\nrequire_socket = %s\n' "$T/docker.sock" >"$T/dood.ini"
	run in_ns -c "$T/dood.ini" -- sh -c 'echo ran'
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$T/docker.sock is missing: this image uses the host's Docker; run it with -v $T/docker.sock:$T/docker.sock"* ]]
	refute grep -qx ran <<<"$output"

	touch "$T/docker.sock"
	run in_ns -c "$T/dood.ini" -- sh -c 'echo ran'
	[ "$status" -eq 3 ]
	[[ "$output" == *"is not a socket"* ]]

	DOCKER_HOST=tcp://127.0.0.1:1 run in_ns -c "$T/dood.ini" -- sh -c 'echo ran'
	[ "$status" -eq 0 ]
	grep -qx ran <<<"$output"

	rm "$T/docker.sock"
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/docker.sock"
	run in_ns -c "$T/dood.ini" -- sh -c 'echo ran'
	[ "$status" -eq 0 ]
	grep -qx ran <<<"$output"
}

@test "COMMAND arguments starting with '-' go to the args_to service; \$ARGS_ENV adds more" {
	printf '#!/bin/sh\necho "args: $*" >>"%s"\n' "$EVENTS" >"$T/daemon"
	chmod +x "$T/daemon"
	write_config <<EOF
[init]
args_to = d
main_after = d
[service:d]
command = $T/daemon --base
type = oneshot
args_env = D_ARGS
EOF
	# no main command then: dind-init runs the services until it is stopped
	D_ARGS="--from-env 'two words'" start_ns -c "$T/dind-init.ini" --debug --registry-mirror=x
	wait_for_line "$EVENTS" args
	kill -TERM "$INIT_PID"
	wait_ns
	cat "$T/out"
	[ "$STATUS" -eq 0 ]
	[ "$(cat "$EVENTS")" = "args: --base --debug --registry-mirror=x --from-env two words" ]
	grep -q "COMMAND starts with '--debug': its 2 arguments go to service d" "$T/out"

	# without args_to, an unknown option is a usage error that says so
	run in_ns -c /dev/null --debug
	[ "$status" -eq 2 ]
	[[ "$output" == *"'--debug' is not a dind-init option"* ]]

	# a bad \$D_ARGS is a usage error too
	D_ARGS="'unterminated" run in_ns -c "$T/dind-init.ini" -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *'bad $D_ARGS for service d: unterminated single quote'* ]]
}

@test "a config file on a read-only mount is accepted whatever its owner and mode; on a writable one the host-side fix is named" {
	# as bind-mounted from a host where the user is uid 1000 and the umask 002
	write_config <<EOF
[service:a]
command = /bin/true
type = oneshot
EOF
	chown 1000:1000 "$T/dind-init.ini"
	chmod 664 "$T/dind-init.ini"
	# -v FILE:/etc/dind-init.ini:ro: a read-only bind mount of the single file
	run timeout 30 unshare --mount sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$0" --check-config -c "$1"' \
		"$DIND_INIT" "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '1 service, in start order' <<<"$output"
	# and it runs, without a warning
	run timeout 30 unshare --mount --pid --fork --mount-proc sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$0" --no-setup -c "$1" -- echo main-ran' \
		"$DIND_INIT" "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
	refute grep -q 'warning' <<<"$output"

	# the same file read-write (-v without :ro): refused, saying to mount it read-only or fix it
	# on the host
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 2 ]
	grep -q "refusing a config file owned by uid 1000, not root: mount it read-only (docker run -v HOST-FILE:$T/dind-init.ini:ro), or chown root the file (on the host, if it is bind-mounted from there)" <<<"$output"
	grep -q "refusing a config file that is writable by group or others (mode 0664): mount it read-only (docker run -v HOST-FILE:$T/dind-init.ini:ro), or chmod go-w the file (on the host, if it is bind-mounted from there; in a Dockerfile, COPY --chmod=644)" <<<"$output"
}

# Audit D F7: a FIFO as the config file held dind-init in open() with every signal blocked: as
# PID 1, docker stop waited its 10 s and exited 137.
@test "a FIFO nobody writes to or a folder as the config file: exit 2, named, never waited on for good" {
	mkfifo "$T/fifo.ini"
	run -2 in_ns -c "$T/fifo.ini" -- true
	echo "$output"
	[[ "$output" == *"the config file $T/fifo.ini is a FIFO that nothing was written to within 5 s: give a file with -c or \$DIND_INIT_CONFIG"* ]]
	# a pipe with the config in it is read (-c <(...))
	run -0 "$DIND_INIT" --check-config -c <(printf '[service:a]\ncommand = /bin/true\ntype = oneshot\n')
	echo "$output"
	[[ "$output" == *"1 service, in start order:"* ]]
	[[ "$output" == *"1. a "*"oneshot"* ]]
	mkdir "$T/dir.ini"
	DIND_INIT_CONFIG=$T/dir.ini run -2 in_ns -- true
	[[ "$output" == *"the config file $T/dir.ini is not a regular file but a folder"*"docker run -v makes a folder when the host file it names does not exist"* ]]
	# /dev/null stays "no services"
	run -0 in_ns -c /dev/null -- true
}
