#!/usr/bin/env bats
# The rootless image (images/rootless) on a real dockerd: dind-init as PID 1 and root, dockerd as
# the user rootless (uid 1000) inside RootlessKit, nested `docker run`s, crashes, restarts, stops,
# TLS through RootlessKit's port forwarding, docker:dind-rootless's variables, and the reduced
# set of `docker run` flags it needs.
#
# Environment: E2E_ROOTLESS_IMAGE (default dind-init:e2e-rootless, built by
# tests/e2e/build-images.sh rootless), and common.bash's.

load common

: "${E2E_ROOTLESS_IMAGE:=dind-init:e2e-rootless}"
DATA=/home/rootless/.local/share/docker
SOCK=/run/user/1000/docker.sock

# common.bash's teardown removes this test's containers and volumes; the networks go after them.
eval "common_$(declare -f teardown)"
teardown() {
	local ids
	common_teardown
	# (network name filters match substrings, not regular expressions)
	ids=$("$DOCKER" network ls --format '{{.Name}}' 2>/dev/null | grep -E "^$PREFIX(-.*)?\$" || true)
	if [ -n "$ids" ]; then
		# shellcheck disable=SC2086
		timeout 60 "$DOCKER" network rm $ids >/dev/null 2>&1 || true
	fi
}

# Only this file's image is needed (common.bash's setup_file wants the others too).
setup_file() {
	if [ "$(id -u)" != 0 ]; then
		echo "end-to-end tests need root (they drive the host's dockerd)" >&2
		return 1
	fi
	if [ -z "${E2E_RUN_FLAGS:-}" ]; then
		E2E_RUN_FLAGS=$("$E2E_DIR/docker-env.sh" --run-flags) || return 1
	fi
	if [ -z "${E2E_TINY_TAR:-}" ]; then
		E2E_TINY_TAR=$("$E2E_DIR/docker-env.sh" --tiny-image) || return 1
	fi
	export E2E_RUN_FLAGS E2E_TINY_TAR
	"$DOCKER" image inspect "$E2E_ROOTLESS_IMAGE" >/dev/null 2>&1 || {
		echo "image $E2E_ROOTLESS_IMAGE is missing: run tests/e2e/build-images.sh rootless first" >&2
		return 1
	}
}

# rootless_run NAME ARGS...: `docker run --rm` of the image in the foreground, with the
# privileged flags and a named volume on rootless's data folder; ARGS: more options, then the
# command (the image is added)
rootless_run() {
	local name=$1 opts=() a
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	d run --rm --name "$name" -v "$name:$DATA" "${FLAGS[@]}" "${opts[@]}" "$E2E_ROOTLESS_IMAGE" "$@"
}

# rootless_start NAME [OPTIONS...] [-- ARGS...]: the same, detached and kept (docker logs)
rootless_start() {
	local name=$1 opts=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -eq 0 ] || shift
	d run -d --name "$name" -v "$name:$DATA" "${FLAGS[@]}" "${opts[@]}" "$E2E_ROOTLESS_IMAGE" "$@" \
		>/dev/null
}

# pid_of NAME PROGRAM: the pid of PROGRAM (exact name) inside NAME, as the container sees it
pid_of() {
	d exec "$1" pgrep -x "$2"
}

# status_field NAME PID FIELD: a line of /proc/PID/status inside NAME, without its name
status_field() {
	d exec "$1" awk -v f="$3:" '$1 == f { $1 = ""; sub(/^ /, ""); print }' "/proc/$2/status"
}

@test "rootless: docker info as COMMAND shows the rootless security option and rootless's data, exits 0" {
	run -0 rootless_run "$(cname)" -- docker info --format \
		'{{range .SecurityOptions}}{{println .}}{{end}}root={{.DockerRootDir}}'
	grep -qx 'name=rootless' <<<"$output"
	grep -qx "root=$DATA" <<<"$output"
}

@test "rootless: COMMAND runs as rootless, with DOCKER_HOST on rootless's socket; its exit status is the container's" {
	run -0 rootless_run "$(cname)" -- sh -c 'echo "uid=$(id -u) host=$DOCKER_HOST"; docker version >/dev/null'
	grep -qx "uid=1000 host=unix://$SOCK" <<<"$output"
	run -7 rootless_run "$(cname exit)" -- sh -c 'exit 7'
}

@test "rootless: dockerd runs as uid 1000 in a user namespace of its own, with no capabilities outside it; a nested run works" {
	local c kit dockerd uids
	c=$(cname)
	rootless_start "$c"
	run -0 dind_wait "$c"
	[ "$(svc_field "$c" dockerd state)" = ready ]
	kit=$(svc_field "$c" dockerd pid)
	# The service's main process is RootlessKit; dockerd is its grandchild.
	[ "$(d exec "$c" cat "/proc/$kit/comm")" = rootlesskit ]
	dockerd=$(pid_of "$c" dockerd)
	run -0 d exec "$c" ps -o uid= -p "$dockerd"
	[ "$(echo $output)" = 1000 ]
	uids=$(status_field "$c" "$kit" Uid)
	[ "$uids" = "1000 1000 1000 1000" ]
	[ "$(status_field "$c" "$kit" CapEff)" = 0000000000000000 ]
	[ "$(status_field "$c" "$kit" CapPrm)" = 0000000000000000 ]
	# dockerd is root only in its own user namespace.
	[ "$(d exec "$c" readlink "/proc/$dockerd/ns/user")" != "$(d exec "$c" readlink /proc/1/ns/user)" ]
	run -0 d exec "$c" dind-ctl health
	load_tiny "$c"
	nested_hello "$c"
	# With these flags dind-init made /sys read-write, which a nested --privileged needs.
	run -0 d exec "$c" docker run --rm --privileged "$E2E_TINY_IMAGE" echo hello-privileged
	[ "$output" = hello-privileged ]
	# Seen from here, a nested container's root is rootless (uid 1000), its other users are
	# rootless's subordinate ids (uid 5 inside: 100004).
	d exec "$c" docker run -d --name as-root "$E2E_TINY_IMAGE" sleep 1001 >/dev/null
	d exec "$c" docker run -d --name as-5 --user 5 "$E2E_TINY_IMAGE" sleep 1005 >/dev/null
	run -0 d exec "$c" sh -c 'ps -o uid= -p "$(pgrep -f "^sleep 1001$")" -p "$(pgrep -f "^sleep 1005$")"'
	[ "$(echo $output)" = "1000 100004" ]
}

@test "rootless: kill -9 of dockerd, of its containerd, then of RootlessKit: restarted each time, ready again, nothing left of the old one" {
	local c old prog
	c=$(cname)
	rootless_start "$c"
	dind_wait "$c"
	load_tiny "$c"
	d exec "$c" docker run -d --name sleeper "$E2E_TINY_IMAGE" sleep 1000 >/dev/null
	# (containerd is dockerd-rootless's child beside dockerd: when it dies, dockerd is stopped
	# and the service restarts)
	for prog in dockerd containerd rootlesskit; do
		old=$(svc_field "$c" dockerd restarts)
		d exec "$c" pkill -9 -x "$prog"
		# Until dind-init has seen the exit, dockerd is still "ready": the restart first.
		wait_until 120 0.5 eval '[ "$(svc_field "$c" dockerd restarts)" -gt "$old" ]'
		run -0 dind_wait "$c" dockerd
		# One of each: the old instance's containerd, shims and nested processes died with
		# its PID namespace (RootlessKit's --pidns).
		run -0 d exec "$c" sh -c 'for p in rootlesskit dockerd containerd; do pgrep -xc $p; done;
			pgrep -c containerd-shim || true; pgrep -fc "^sleep 1000\$" || true'
		[ "$(echo $output)" = "1 1 1 0 0" ]
		nested_hello "$c"
	done
}

@test "rootless: docker stop: a nested container that ignores SIGTERM is killed after 4 s, everything stops in order, exit 0 with no SIGKILL" {
	local c logs=$BATS_TEST_TMPDIR/logs
	c=$(cname)
	rootless_start "$c"
	dind_wait "$c"
	load_tiny "$c"
	d exec "$c" docker run -d --name stubborn "$E2E_TINY_IMAGE" \
		sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null
	# docker stop's default: SIGTERM, SIGKILL after 10 s. Exit status 0 (not 137): the container
	# stopped by itself before that.
	d stop "$c" >/dev/null
	[ "$(d inspect "$c" --format '{{.State.Running}} {{.State.ExitCode}}')" = "false 0" ]
	d logs "$c" >"$logs" 2>&1
	in_order "$logs" '^\[dind-init\] stopping service dockerd' \
		'^\[stop-nested\] nested container stubborn (.*) still runs 4 s after its stop signal: killing it' \
		'^\[dind-init\] service dockerd stopped (exited with status 0)' \
		'^\[dind-init\] shutdown complete, exiting with status 0'
	refute grep -i 'sending SIGKILL\|killing nested container .* failed' "$logs"
}

@test "rootless: TLS on 2376 through RootlessKit's port forwarding, from another container with the client certificates" {
	local c net vol
	c=$(cname)
	net=$(cname net)
	vol=$(cname certs)
	d network create "$net" >/dev/null
	rootless_start "$c" --network "$net" --network-alias docker -v "$vol:/certs/client"
	dind_wait "$c"
	# dind-certs ran as rootless: dockerd, as rootless, reads the server's key.
	[ "$(d exec "$c" stat -c %U /certs/server/key.pem)" = rootless ]
	run -0 d run --rm --name "$(cname job)" --network "$net" -v "$vol:/certs/client:ro" \
		-e DOCKER_HOST=tcp://docker:2376 -e DOCKER_TLS_VERIFY=1 -e DOCKER_CERT_PATH=/certs/client \
		--entrypoint docker "$E2E_ROOTLESS_IMAGE" \
		info --format '{{range .SecurityOptions}}{{println .}}{{end}}'
	grep -qx 'name=rootless' <<<"$output"
}

@test "rootless: DOCKER_TLS_CERTDIR= : plain TCP on 2375 through RootlessKit, no certificates made" {
	local c net
	c=$(cname)
	net=$(cname net)
	d network create "$net" >/dev/null
	rootless_start "$c" --network "$net" --network-alias docker -e DOCKER_TLS_CERTDIR=
	dind_wait "$c"
	[ "$(svc_field "$c" certs state)" = skipped ]
	run -0 d run --rm --name "$(cname job)" --network "$net" -e DOCKER_HOST=tcp://docker:2375 \
		--entrypoint docker "$E2E_ROOTLESS_IMAGE" version --format '{{.Server.Version}}'
	[ -n "$output" ]
}

@test "rootless: DOCKERD_ROOTLESS_ROOTLESSKIT_MTU and _FLAGS reach RootlessKit; published ports answer; nested containers reach the outer network" {
	local c net dockerd web
	c=$(cname)
	net=$(cname net)
	web=$(cname web)
	d network create "$net" >/dev/null
	d run -d --name "$web" --network "$net" --entrypoint sh "$E2E_TINY_IMAGE" \
		-c 'mkdir /www && echo hello-outer >/www/index.html && httpd -f -p 8000 -h /www' >/dev/null
	rootless_start "$c" --network "$net" -e DOCKERD_ROOTLESS_ROOTLESSKIT_MTU=1400 \
		-e DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS='-p 0.0.0.0:8080:80/tcp --debug'
	dind_wait "$c"
	dockerd=$(pid_of "$c" dockerd)
	# RootlessKit's tap device, in dockerd's network namespace.
	run -0 d exec "$c" nsenter -t "$dockerd" -n ip -o link show tap0
	[[ "$output" == *" mtu 1400 "* ]]
	# 8080 of the container -> 80 in RootlessKit's namespace -> a nested web server on 80.
	load_tiny "$c"
	d exec "$c" docker run -d -p 80:80 --name web "$E2E_TINY_IMAGE" \
		sh -c 'mkdir /www && echo hello-through-rootlesskit >/www/index.html && httpd -f -p 80 -h /www' \
		>/dev/null
	wait_until 60 0.5 d run --rm --network "$net" --entrypoint wget "$E2E_TINY_IMAGE" \
		-qO- "http://$c:8080/"
	run -0 d run --rm --network "$net" --entrypoint wget "$E2E_TINY_IMAGE" -qO- "http://$c:8080/"
	[ "$output" = hello-through-rootlesskit ]
	# The nested -p 80:80 itself: dockerd publishes it on the container's own port 80, through
	# RootlessKit's port driver (rootlesskit-docker-proxy).
	run -0 d run --rm --network "$net" --entrypoint wget "$E2E_TINY_IMAGE" -qO- "http://$c:80/"
	[ "$output" = hello-through-rootlesskit ]
	# Outwards, through slirp4netns, with the outer network's names.
	run -0 d exec "$c" docker run --rm "$E2E_TINY_IMAGE" wget -qO- "http://$web:8000/"
	[ "$output" = hello-outer ]
}

@test "rootless: DOCKERD_ROOTLESS_ROOTLESSKIT_NET names the network driver (a missing one stops the start, named: exit 3)" {
	run -3 rootless_run "$(cname)" -e DOCKERD_ROOTLESS_ROOTLESSKIT_NET=vpnkit -- true
	[[ "$output" == *"preflight: rootless: vpnkit, RootlessKit's network driver, is missing from PATH"*"or choose another with DOCKERD_ROOTLESS_ROOTLESSKIT_NET"* ]]
	[[ "$output" == *"preflight: rootless: 1 of the things rootless dockerd needs is missing (see above); nothing was started"* ]]
}

@test "rootless: arguments starting with - go to dockerd (IMAGE --debug), and DOCKERD_ARGS too" {
	local a b c
	a=$(cname args)
	b=$(cname env)
	rootless_start "$a" -- --debug
	rootless_start "$b" -e DOCKERD_ARGS=--debug
	for c in "$a" "$b"; do
		run -0 dind_wait "$c"
		run -0 d exec "$c" docker info --format '{{.Debug}}'
		[ "$output" = true ]
	done
}

@test "rootless: Docker's default capabilities are enough with --tmpfs /run /tmp, seccomp, AppArmor and /proc unconfined" {
	local c
	c=$(cname)
	# No --cap-add, no --device, no device cgroup rule: the documented flags only.
	run -0 d run -i --rm --name "$c" -v "$c:$DATA" --tmpfs /run --tmpfs /tmp \
		--security-opt seccomp=unconfined --security-opt apparmor=unconfined \
		--security-opt systempaths=unconfined "$E2E_ROOTLESS_IMAGE" sh -c \
		'grep ^CapBnd: /proc/1/status && docker load -q >/dev/null && docker run --rm "$0" echo hello-from-nested' \
		"$E2E_TINY_IMAGE" <"$E2E_TINY_TAR"
	# Docker's default bounding set (no CAP_SYS_ADMIN, bit 21; no CAP_NET_ADMIN, bit 12).
	local bnd
	bnd=$(awk '$1 == "CapBnd:" { print $2 }' <<<"$output")
	[ $(((0x$bnd >> 21) & 1)) = 0 ]
	[ $(((0x$bnd >> 12) & 1)) = 0 ]
	grep -qx hello-from-nested <<<"$output"
}

@test "rootless: with Docker's default seccomp profile and masked /proc, the start stops (exit 3) naming both and the flags" {
	run -3 d run --rm --name "$(cname)" -v "$(cname):$DATA" --tmpfs /run --tmpfs /tmp \
		"$E2E_ROOTLESS_IMAGE" true
	[[ "$output" == *"preflight: rootless: rootless cannot make a user namespace"*"--security-opt seccomp=unconfined"* ]]
	[[ "$output" == *"preflight: rootless: parts of /proc are masked"*"--security-opt systempaths=unconfined"* ]]
	[[ "$output" == *"preflight: rootless: 2 of the things rootless dockerd needs are missing"* ]]
}

@test "rootless preflight: no subordinate ids for rootless in /etc/subuid: exit 3, named with the line to add" {
	# an empty regular file: a device there (-v /dev/null:/etc/subuid) is refused as such
	run -3 rootless_run "$(cname)" --entrypoint sh -- -c ': >/etc/subuid && exec dind-init true'
	refute grep -q "not a regular file" <<<"$output"
	[[ "$output" == *"preflight: rootless: rootless has no subordinate ids in /etc/subuid, which newuidmap maps into its user namespace: add a range (echo 'rootless:100000:65536' >>/etc/subuid)"* ]]
	[[ "$output" == *"preflight: rootless: 1 of the things rootless dockerd needs is missing (see above); nothing was started"* ]]
}

@test "rootless preflight: --cap-drop SETUID, and a data volume of someone else's: exit 3, each named" {
	local c
	c=$(cname)
	d volume create "$c" >/dev/null
	d run --rm -v "$c:/v" --entrypoint sh "$E2E_ROOTLESS_IMAGE" -c 'touch /v/x && chown -R 0:0 /v'
	# Docker's default capabilities and the documented flags (--privileged would ignore --cap-drop)
	run -3 d run --rm --name "$c" -v "$c:$DATA" --tmpfs /run --tmpfs /tmp \
		--security-opt seccomp=unconfined --security-opt apparmor=unconfined \
		--security-opt systempaths=unconfined --cap-drop SETUID "$E2E_ROOTLESS_IMAGE" true
	[[ "$output" == *"preflight: rootless: the container lacks CAP_SETUID, which newuidmap needs: do not --cap-drop SETUID"* ]]
	[[ "$output" == *"preflight: rootless: dockerd's data folder $DATA belongs to uid 0, not to rootless (uid 1000), and is not empty"* ]]
	[[ "$output" == *"preflight: rootless: 2 of the things rootless dockerd needs are missing"* ]]
}

@test "rootless preflight: newuidmap without its file capability (setuid root, no CAP_SYS_ADMIN): exit 3, the setcap to use" {
	local c
	c=$(cname)
	run -3 d run --rm --name "$c" -v "$c:$DATA" --tmpfs /run --tmpfs /tmp \
		--security-opt seccomp=unconfined --security-opt apparmor=unconfined \
		--security-opt systempaths=unconfined --entrypoint sh "$E2E_ROOTLESS_IMAGE" \
		-c 'setcap -r /usr/bin/newuidmap && chmod 4755 /usr/bin/newuidmap && exec dind-init true'
	[[ "$output" == *"preflight: rootless: /usr/bin/newuidmap is setuid root, which needs CAP_SYS_ADMIN to write a user namespace's id map, and this container lacks it: give it the file capability instead (chmod u-s /usr/bin/newuidmap && setcap cap_setuid=ep /usr/bin/newuidmap)"* ]]
}
