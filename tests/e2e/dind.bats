#!/usr/bin/env bats
# The Docker-in-Docker image (images/debian) on a real dockerd: containerd and dockerd supervised
# by dind-init, nested `docker run`s, crashes, restarts, stops, dockerd arguments, privileges.

load common

# config_cgroups_v2 FILE: the image's /etc/dind-init.ini with `cgroups = v2` in [init]
config_cgroups_v2() {
	local c tmp=$BATS_TEST_TMPDIR/image.ini
	c=$(cname cfg)
	d create --name "$c" "$E2E_IMAGE" >/dev/null
	d cp "$c:/etc/dind-init.ini" "$tmp"
	d rm -v "$c" >/dev/null
	if grep -q '^\[init\]' "$tmp"; then
		awk '
			sec == "init" && /^[ \t]*cgroups[ \t]*=/ { next }
			{ print }
			/^\[/ { sec = /^\[init\]/ ? "init" : "other"; if (sec == "init") print "cgroups = v2" }
		' "$tmp" >"$1"
	else
		{ printf '[init]\ncgroups = v2\n\n' && cat "$tmp"; } >"$1"
	fi
}

# health_is NAME STATUS: docker's health status of the container is STATUS
health_is() {
	local s
	s=$(d inspect "$1" --format '{{.State.Health.Status}}') || return 1
	[ "$s" = "$2" ] || {
		echo "health status: $s" >&2
		return 1
	}
}

@test "docker version as COMMAND prints the Client and the Server sections and exits 0" {
	run -0 dind_run "$(cname)" "$E2E_IMAGE" docker version
	[[ "$output" == *"Client:"* ]]
	[[ "$output" == *"Server:"* ]]
	[[ "$output" == *"Engine:"* ]]
}

@test "the exit status of COMMAND is the container's: sh -c 'exit 7' exits 7" {
	run -7 dind_run "$(cname)" "$E2E_IMAGE" sh -c 'exit 7'
}

@test "without COMMAND: dind-ctl wait, both services ready, a nested docker run prints its output" {
	local c
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	run -0 dind_wait "$c"
	[ "$(svc_field "$c" containerd state)" = ready ]
	[ "$(svc_field "$c" dockerd state)" = ready ]
	run -0 d exec "$c" dind-ctl status
	[[ "$output" =~ containerd\ +ready ]]
	[[ "$output" =~ dockerd\ +ready ]]
	# No COMMAND means no main command, not an attempt to run an empty one.
	[[ "$output" == *"main command: none"* ]]
	# dockerd runs without --debug unless asked (see the --debug test).
	[ "$(d exec "$c" docker info --format '{{.Debug}}')" = false ]
	load_tiny "$c"
	run -0 d exec "$c" docker run --rm "$E2E_TINY_IMAGE" echo hello-from-nested
	[ "$output" = hello-from-nested ]
}

@test "HEALTHCHECK: dind-ctl health exits 0 once ready, and docker reports the container healthy" {
	local c
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	run -0 d exec "$c" dind-ctl health
	# The image's HEALTHCHECK runs dind-ctl health every 10 s.
	wait_until 60 1 health_is "$c" healthy
}

@test "cgroup v2 (--cgroupns private, cgroups = v2): dockerd sees cgroup v2 and a nested run works" {
	local c cfg=$BATS_TEST_TMPDIR/dind-init.ini
	c=$(cname)
	config_cgroups_v2 "$cfg"
	grep -q '^cgroups = v2$' "$cfg"
	dind_start "$c" --cgroupns private -v "$cfg:/etc/dind-init.ini:ro" "$E2E_IMAGE"
	run -0 dind_wait "$c"
	# On a v1 or hybrid host, v2 gets no controllers: the setup says what that means.
	d logs "$c" >"$BATS_TEST_TMPDIR/logs" 2>&1
	if grep -q 'setup: cgroup v2.* 0 controllers enabled' "$BATS_TEST_TMPDIR/logs"; then
		grep -q 'cgroup v2 has no controllers here.*nested containers get no memory, CPU or pids limits' \
			"$BATS_TEST_TMPDIR/logs"
	fi
	run -0 d exec "$c" docker info --format '{{.CgroupVersion}}'
	[ "$output" = 2 ]
	load_tiny "$c"
	run -0 d exec "$c" docker run --rm "$E2E_TINY_IMAGE" echo hello-from-nested
	[ "$output" = hello-from-nested ]
}

@test "kill -9 of dockerd: dind-init restarts it and the nested API answers again" {
	local c old new
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	old=$(svc_field "$c" dockerd pid)
	[ "$(svc_field "$c" dockerd restarts)" = 0 ]
	d exec "$c" kill -9 "$old"
	# Until dind-init has seen the exit, dockerd is still "ready": wait for the restart first.
	wait_until 120 0.5 restarted "$c" dockerd
	run -0 dind_wait "$c" dockerd
	new=$(svc_field "$c" dockerd pid)
	[ "$new" != "$old" ]
	run -0 d exec "$c" docker version
	[[ "$output" == *"Server:"* ]]
	[ "$(svc_field "$c" dockerd restarts)" -ge 1 ]
}

@test "kill -9 of containerd: dind-init restarts it, dockerd keeps running and nested runs work again" {
	local c old dockerd_pid
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	nested_hello "$c"
	old=$(svc_field "$c" containerd pid)
	dockerd_pid=$(svc_field "$c" dockerd pid)
	d exec "$c" kill -9 "$old"
	wait_until 120 0.5 restarted "$c" containerd
	run -0 dind_wait "$c" containerd
	[ "$(svc_field "$c" containerd pid)" != "$old" ]
	# dockerd reconnects to the new containerd by itself, after a moment.
	wait_until 30 2 nested_hello "$c"
	# A dependency's restart does not restart its dependents.
	[ "$(svc_field "$c" dockerd pid)" = "$dockerd_pid" ]
}

@test "docker restart of the outer container: ready again and nested runs work" {
	local c
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	nested_hello "$c"
	d restart "$c" >/dev/null
	run -0 dind_wait "$c"
	# The volume kept the loaded image.
	nested_hello "$c"
	[ "$(d inspect "$c" --format '{{.RestartCount}} {{.State.Running}}')" = "0 true" ]
}

@test "docker kill + docker start (stale pid files and sockets left behind): ready again" {
	local c
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	# SIGKILL to the whole container: nothing gets to clean up docker.pid, containerd's pid
	# file or the sockets, and the container's filesystem keeps them for the next start.
	d kill "$c" >/dev/null
	d start "$c" >/dev/null
	run -0 dind_wait "$c"
	nested_hello "$c"
}

@test "docker stop: the nested container gets SIGTERM, dockerd then containerd stop, exit 0 with no SIGKILL" {
	local c shared=$BATS_TEST_TMPDIR/shared
	c=$(cname)
	mkdir "$shared"
	dind_start "$c" -v "$shared:/shared" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	# /shared in the nested -v is the outer container's, which is $shared on this host.
	d exec "$c" docker run -d --name trapper -v /shared:/shared "$E2E_TINY_IMAGE" \
		sh -c 'trap "echo got-TERM >>/shared/events; exit 0" TERM
echo started >>/shared/events
while :; do sleep 1; done' >/dev/null
	wait_until 60 0.5 grep -qx started "$shared/events"
	# docker stop's default: SIGTERM, then SIGKILL after 10 s. An exit status of 0 (not 137)
	# means the container exited by itself before that.
	d stop "$c" >/dev/null
	[ "$(d inspect "$c" --format '{{.State.Running}} {{.State.ExitCode}}')" = "false 0" ]
	[ "$(cat "$shared/events")" = "started
got-TERM" ]
	d logs "$c" >"$BATS_TEST_TMPDIR/logs" 2>&1
	# (dockerd logs a "Daemon shutdown complete" of its own.)
	in_order "$BATS_TEST_TMPDIR/logs" '^\[dind-init\] stopping service dockerd' \
		'^\[dind-init\] stopping service containerd' '^\[dind-init\] shutdown complete'
	refute grep -i "sending SIGKILL" "$BATS_TEST_TMPDIR/logs"
}

@test "arguments starting with - go to dockerd: IMAGE --debug, and DOCKERD_ARGS=--debug" {
	local a b c
	a=$(cname args)
	b=$(cname env)
	# Both at once: the waits overlap.
	dind_start "$a" "$E2E_IMAGE" --debug
	dind_start "$b" -e DOCKERD_ARGS=--debug "$E2E_IMAGE"
	for c in "$a" "$b"; do
		run -0 dind_wait "$c"
		run -0 d exec "$c" docker info --format '{{.Debug}}'
		[ "$output" = true ]
		run -0 d exec "$c" ps -o args= -C dockerd
		[[ "$output" == *dockerd*--debug* ]]
	done
	# --debug went to dockerd, not to a main command.
	run -0 d exec "$a" dind-ctl status
	[[ "$output" == *"main command: none"* ]]
}

@test "without privileges: exits 3 before starting anything and says to use --privileged" {
	local c
	c=$(cname)
	run -3 d run --rm --name "$c" -v "$c:/var/lib/docker" "$E2E_IMAGE" docker version
	[[ "$output" == *--privileged* ]]
	refute grep -q 'service .* started' <<<"$output"
}

@test "[main] user = nobody with seccomp = default: nested docker run works, mount does not" {
	local c cfg=$BATS_TEST_TMPDIR/dind-init.ini img=$BATS_TEST_TMPDIR/image.ini
	c=$(cname)
	# the image's own config, plus privileges for the main command
	d create --name "$c-cfg" "$E2E_IMAGE" >/dev/null
	d cp "$c-cfg:/etc/dind-init.ini" "$img"
	d rm -v "$c-cfg" >/dev/null
	{
		cat "$img"
		printf '\n[main]\nuser = nobody\nsupplementary_groups = docker\nseccomp = default\n'
	} >"$cfg"
	chmod 644 "$cfg"
	cp "$E2E_TINY_TAR" "$BATS_TEST_TMPDIR/tiny.tar"
	chmod 644 "$BATS_TEST_TMPDIR/tiny.tar"
	run dind_run "$c" -v "$cfg:/etc/dind-init.ini:ro" -v "$BATS_TEST_TMPDIR/tiny.tar:/tiny.tar:ro" \
		"$E2E_IMAGE" sh -c "id -u; docker load -i /tiny.tar >/dev/null && docker run --rm $E2E_TINY_IMAGE echo nested-as-nobody; mkdir -p /tmp/m; mount -t tmpfs none /tmp/m && echo mount=ok || echo mount=refused; grep Seccomp: /proc/self/status"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 65534 <<<"$output"
	grep -qx nested-as-nobody <<<"$output"
	grep -qx mount=refused <<<"$output"
	grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$output"
}

@test "docker run --init: the setup runs under Docker's tini, a nested run works, docker stop exits 0 in order" {
	local c
	c=$(cname)
	dind_start "$c" --init "$E2E_IMAGE"
	run -0 dind_wait "$c"
	# dind-init is a child of docker-init (tini), PID 1
	[ "$(d exec "$c" cat /proc/1/comm)" = docker-init ]
	load_tiny "$c"
	nested_hello "$c"
	# docker stop: SIGTERM to tini, which forwards it to dind-init
	d stop "$c" >/dev/null
	[ "$(d inspect "$c" --format '{{.State.Running}} {{.State.ExitCode}}')" = "false 0" ]
	d logs "$c" >"$BATS_TEST_TMPDIR/logs" 2>&1
	grep -q "setup: dind-init is pid [0-9]* under docker-init, the container's init (docker run --init)" "$BATS_TEST_TMPDIR/logs"
	refute grep -q 'setup: skipped' "$BATS_TEST_TMPDIR/logs"
	in_order "$BATS_TEST_TMPDIR/logs" '^\[dind-init\] received SIGTERM' '^\[dind-init\] stopping service dockerd' \
		'^\[dind-init\] stopping service containerd' '^\[dind-init\] shutdown complete, exiting with status 0'
	refute grep -i "sending SIGKILL" "$BATS_TEST_TMPDIR/logs"
}

@test "docker stop with five nested containers that ignore SIGTERM: killed after their grace and logged, exit 0 within docker stop's 10 s" {
	local c i id5 start end
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	for i in 1 2 3 4 5; do
		# deaf1 should come back with the next start, as after any daemon restart; deaf5 has
		# a stop timeout shorter than stop-nested's grace, so dockerd kills it itself
		d exec "$c" docker run -d --name "deaf$i" $([ "$i" = 1 ] && echo --restart=unless-stopped) \
			$([ "$i" = 5 ] && echo --stop-timeout=1) \
			"$E2E_TINY_IMAGE" sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null
	done
	[ "$(d exec "$c" docker ps -q | wc -l)" -eq 5 ]
	id5=$(d exec "$c" docker inspect deaf5 --format '{{.Id}}')
	start=$(date +%s.%N)
	# docker stop's default: SIGKILL to the whole container after 10 s. Exit status 0, not 137,
	# means the ordered stop finished by itself before that.
	d stop "$c" >/dev/null
	end=$(date +%s.%N)
	echo "docker stop took $(echo "$end - $start" | bc) s" >&3
	[ "$(d inspect "$c" --format '{{.State.Running}} {{.State.ExitCode}}')" = "false 0" ]
	d logs "$c" >"$BATS_TEST_TMPDIR/logs" 2>&1
	for i in 1 2 3 4; do
		grep -q "^\[stop-nested\] nested container deaf$i ([0-9a-f]\{12\}) still runs 4 s after its stop signal: killing it" "$BATS_TEST_TMPDIR/logs"
	done
	# dockerd's own line for the one it killed is in the outer container's log too
	grep -q "^\[dockerd\] .*Container failed to exit within 1s of signal 15 - using the force.*container=$id5" "$BATS_TEST_TMPDIR/logs"
	refute grep -q 'nested container deaf5' "$BATS_TEST_TMPDIR/logs"
	in_order "$BATS_TEST_TMPDIR/logs" '^\[dind-init\] stopping service dockerd' \
		'^\[stop-nested\] nested container deaf' '^\[dind-init\] service dockerd stopped' \
		'^\[dind-init\] stopping service containerd' '^\[dind-init\] shutdown complete, exiting with status 0'
	refute grep -i "sending SIGKILL" "$BATS_TEST_TMPDIR/logs"
	refute grep -q "shutdown_timeout .* reached" "$BATS_TEST_TMPDIR/logs"

	# Killed while dockerd shut down, not stopped through its API: the restart policy holds.
	d start "$c" >/dev/null
	dind_wait "$c"
	wait_until 60 0.5 d exec "$c" sh -c '[ "$(docker inspect deaf1 --format {{.State.Running}})" = true ]'
	[ "$(d exec "$c" docker inspect deaf2 --format '{{.State.Running}}')" = false ]
}

@test "stop-nested stopped alone (dockerd running) leaves the nested containers alone" {
	local c
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	d exec "$c" docker run -d --name deaf "$E2E_TINY_IMAGE" sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null
	run -0 d exec "$c" dind-ctl stop stop-nested
	wait_until 40 0.5 d exec "$c" sh -c 'dind-ctl status | grep -q "stop-nested *stopped"'
	[ "$(d exec "$c" docker inspect deaf --format '{{.State.Running}}')" = true ]
	refute grep -q 'killing it' <<<"$(d logs "$c" 2>&1)"
}

@test "containerd runs without its CRI plugin and logs warnings only: no 'failed to load cni', few lines" {
	local c
	c=$(cname)
	run -0 dind_run "$c" "$E2E_IMAGE" docker version
	echo "$output" >"$BATS_TEST_TMPDIR/out"
	refute grep -q 'failed to load cni' "$BATS_TEST_TMPDIR/out"
	refute grep -q 'cri' "$BATS_TEST_TMPDIR/out"
	refute grep -q '^\[containerd\] .*level=info' "$BATS_TEST_TMPDIR/out"
	[[ "$output" == *"Server:"* ]]

	c=$(cname daemon)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	run -0 d exec "$c" ctr plugins ls
	[[ "$output" == *io.containerd.grpc.v1*tasks* ]]
	refute grep -qw cri <<<"$output"
}

@test "containerd's root and state are under dockerd's data root: its data is on the /var/lib/docker volume" {
	local c mnt
	c=$(cname)
	dind_start "$c" "$E2E_IMAGE"
	dind_wait "$c"
	load_tiny "$c"
	nested_hello "$c"
	run -0 d exec "$c" ps -o args= -C containerd
	[[ "$output" == *"--root /var/lib/docker/containerd/daemon --state /var/run/docker/containerd/daemon"* ]]
	# the metadata and the task bundles of the nested run, on the volume; nothing in the image
	d exec "$c" test -s /var/lib/docker/containerd/daemon/io.containerd.metadata.v1.bolt/meta.db
	d exec "$c" test -d /var/lib/docker/containerd/daemon/io.containerd.runtime.v2.task
	refute d exec "$c" test -e /var/lib/containerd
	mnt=$(d volume inspect "$c" --format '{{.Mountpoint}}')
	[ -s "$mnt/containerd/daemon/io.containerd.metadata.v1.bolt/meta.db" ]
}

@test "--read-only root filesystem with volumes on /var/lib/docker and /certs: nested runs work (--tmpfs /run /tmp optional)" {
	local c
	c=$(cname)
	cp "$E2E_TINY_TAR" "$BATS_TEST_TMPDIR/tiny.tar"
	run -0 dind_run "$c" --read-only -v "$(cname certs):/certs" -v "$BATS_TEST_TMPDIR/tiny.tar:/tiny.tar:ro" "$E2E_IMAGE" \
		sh -c "docker load -i /tiny.tar >/dev/null && docker run --rm $E2E_TINY_IMAGE echo nested-on-read-only"
	grep -qx nested-on-read-only <<<"$output"
	refute grep -q 'read-only file system' <<<"$output"

	# TLS off needs no /certs
	run -0 dind_run "$c" --read-only --tmpfs /run --tmpfs /tmp -e DOCKER_TLS_CERTDIR= "$E2E_IMAGE" \
		sh -c "docker run --rm $E2E_TINY_IMAGE echo again-on-read-only"
	grep -qx again-on-read-only <<<"$output"

	# TLS on without a writable /certs: dind-certs says what to do, and dockerd never starts
	run -4 dind_run "$c" --read-only "$E2E_IMAGE" docker version
	echo "$output"
	grep -q 'dind-certs: error: cannot .*/certs.*Read-only file system.*mount a writable volume on /certs.*DOCKER_TLS_CERTDIR=' <<<"$output"
	refute grep -q 'service dockerd started' <<<"$output"
}

@test "a read-only /var/lib/docker: exit 3 before anything starts, naming it and the fix" {
	local c
	c=$(cname)
	run -3 d run --rm --name "$c" "${FLAGS[@]}" --read-only -v "$c:/var/lib/docker:ro" "$E2E_IMAGE" docker version
	echo "$output"
	[[ "$output" == *"setup: /var/lib/docker is on /var/lib/docker, which is mounted read-only, but dockerd writes there: mount it read-write"* ]]
	refute grep -q 'service .* started' <<<"$output"
}

@test "docker run --user 1000: exit 3 saying dind-init must run as root, not that capabilities are missing" {
	local c
	c=$(cname)
	run -3 d run --rm --name "$c" --user 1000 "${FLAGS[@]}" -v "$c:/var/lib/docker" "$E2E_IMAGE" docker version
	echo "$output"
	[[ "$output" == *"dind-init runs as uid 1000, but must run as root (uid 0)"*"[main] user"* ]]
	refute grep -q 'lacks CAP_' <<<"$output"
}

@test "a config file bind-mounted read-only from the host is accepted whatever its owner and mode" {
	local c cfg=$BATS_TEST_TMPDIR/dind-init.ini
	c=$(cname)
	d create --name "$c-cfg" "$E2E_IMAGE" >/dev/null
	d cp "$c-cfg:/etc/dind-init.ini" "$cfg"
	d rm -v "$c-cfg" >/dev/null
	# a host user's file, with umask 002
	chown 1000:1000 "$cfg"
	chmod 664 "$cfg"
	run -0 dind_run "$c" -v "$cfg:/etc/dind-init.ini:ro" "$E2E_IMAGE" docker version --format '{{.Server.Version}}'
	refute grep -q refusing <<<"$output"

	# read-write, it is refused with the fix
	run -2 dind_run "$c" -v "$cfg:/etc/dind-init.ini" "$E2E_IMAGE" true
	[[ "$output" == *"refusing a config file owned by uid 1000, not root: mount it read-only (docker run -v HOST-FILE:/etc/dind-init.ini:ro)"* ]]
}
