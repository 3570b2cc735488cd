#!/usr/bin/env bats
# images/docker-entrypoint.sh: docker:dind's client side, for the image used as a job image.

load common

# fake_docker: $T/bin/docker prints "docker ARGS" and the DOCKER_* variables; `docker help X`
# knows only version, ps, run and info, as the real one knows its subcommands
fake_docker() {
	mkdir -p "$T/bin"
	cat >"$T/bin/docker" <<'EOF'
#!/bin/sh
if [ "$1" = help ]; then
	case "$2" in version | ps | run | info) exit 0 ;; *) exit 1 ;; esac
fi
echo "docker $*"
env | grep '^DOCKER_' | sort
EOF
	chmod +x "$T/bin/docker"
}

# ep [NAME=VALUE...] -- ARGS...: the entrypoint in a clean environment holding only those
# variables, with a private empty /run (no docker.sock of the host's) and the fake docker first
# in PATH
ep() {
	local vars=()
	while [ "$1" != -- ]; do
		vars+=("$1")
		shift
	done
	shift
	unshare -m sh -c 'mount -t tmpfs none /run && exec "$@"' sh \
		env -i PATH="$T/bin:/usr/bin:/bin" HOME=/root "${vars[@]}" \
		"$TESTS_DIR/../images/docker-entrypoint.sh" "$@"
}

certs() {
	mkdir -p "$T/certs/client"
	for f in ca cert key; do echo x >"$T/certs/client/$f.pem"; done
}

@test "no DOCKER_HOST, client certificates there: tcp://docker:2376 with TLS; a subcommand implies docker" {
	fake_docker
	certs
	run -0 ep DOCKER_TLS_CERTDIR="$T/certs" -- version
	echo "$output"
	[ "${lines[0]}" = "docker version" ]
	grep -qx "DOCKER_HOST=tcp://docker:2376" <<<"$output"
	grep -qx "DOCKER_TLS_VERIFY=1" <<<"$output"
	grep -qx "DOCKER_CERT_PATH=$T/certs/client" <<<"$output"
}

@test "no DOCKER_HOST, no certificates: tcp://docker:2375 without TLS; an option implies docker" {
	fake_docker
	run -0 ep DOCKER_TLS_CERTDIR="$T/none" -- -v
	echo "$output"
	[ "${lines[0]}" = "docker -v" ]
	grep -qx "DOCKER_HOST=tcp://docker:2375" <<<"$output"
	refute grep -q "DOCKER_TLS_VERIFY" <<<"$output"
	# DOCKER_TLS_VERIFY without certificates still means the TLS port
	run -0 ep DOCKER_TLS_VERIFY=1 -- ps
	grep -qx "DOCKER_HOST=tcp://docker:2376" <<<"$output"
}

@test "a tcp DOCKER_HOST gets the TLS variables when the certificates are there; a unix one does not" {
	fake_docker
	certs
	run -0 ep DOCKER_HOST=tcp://localhost:2376 DOCKER_TLS_CERTDIR="$T/certs" -- docker ps
	[ "${lines[0]}" = "docker ps" ]
	grep -qx "DOCKER_HOST=tcp://localhost:2376" <<<"$output"
	grep -qx "DOCKER_TLS_VERIFY=1" <<<"$output"
	run -0 ep DOCKER_HOST=unix:///x.sock DOCKER_TLS_CERTDIR="$T/certs" -- ps
	grep -qx "DOCKER_HOST=unix:///x.sock" <<<"$output"
	refute grep -q "DOCKER_TLS_VERIFY" <<<"$output"
	# the user's own TLS settings stay
	run -0 ep DOCKER_CERT_PATH=/mine DOCKER_HOST=tcp://x:2376 DOCKER_TLS_CERTDIR="$T/certs" -- info
	grep -qx "DOCKER_CERT_PATH=/mine" <<<"$output"
	refute grep -q "DOCKER_TLS_VERIFY" <<<"$output"
}

@test "other commands run as they are; no arguments runs a shell; a local socket wins" {
	fake_docker
	run -0 ep -- sh -c 'echo "host=$DOCKER_HOST"'
	[ "$output" = "host=tcp://docker:2375" ]
	echo 'echo shell-ran' >"$T/stdin"
	run -0 ep -- <"$T/stdin"
	[ "$output" = shell-ran ]
	# /run/docker.sock a socket (a Docker-outside-of-Docker mount): the client uses it
	run -0 unshare -m sh -c "mount -t tmpfs none /run &&
		python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"/run/docker.sock\")' &&
		env -i PATH=$T/bin:/usr/bin:/bin $TESTS_DIR/../images/docker-entrypoint.sh sh -c 'echo \$DOCKER_HOST'"
	[ "$output" = "unix:///var/run/docker.sock" ]
}
