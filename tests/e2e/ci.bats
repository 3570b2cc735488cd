#!/usr/bin/env bats
# The image as a network service for CI jobs, wired the way each platform wires docker:dind
# (there is no GitLab runner or Kubernetes here: Docker itself plays their part):
#   GitLab CI (docker executor)  a user-defined network, the service with --network-alias docker,
#                                 a shared /certs/client volume, the job's variables passed to the
#                                 service too, the runner's wait for the first exposed port
#   Kubernetes pod                the job in the service's network namespace (--network
#                                 container:...), tcp://localhost:2376, shared certificates
#   ARC                           `dockerd --host=unix:///var/run/docker.sock --group=123` as the
#                                 arguments, /var/run shared, a job as uid 1001 in group 123
# The job containers are this image too, as a job image (entrypoint docker-entrypoint.sh),
# without privileges.

load common

# common.bash's teardown removes this test's containers and volumes; the networks go after them
common_teardown() {
	:
}
eval "$(declare -f teardown | sed '1s/^teardown/common_teardown/')"
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

# job NAME ARGS...: a job container (no privileges) of this image as a job image, removed after;
# ARGS: docker run options, then the command
job() {
	local name=$1
	shift
	d run --rm --name "$name" --entrypoint docker-entrypoint.sh "$@"
}

# wait_port_script: what GitLab's runner does before the job: a TCP connect to the service's
# exposed ports until one answers (bash's /dev/tcp, at most 120 s)
wait_port_script() {
	cat <<'EOF'
for i in $(seq 1200); do
	for p in 2375 2376; do
		if (exec 3<>"/dev/tcp/$SERVICE_HOST/$p") 2>/dev/null; then echo "port $p answers"; break 2; fi
	done
	sleep 0.1
done
EOF
}

# gitlab_service NAME NETWORK VOLUME [ENV...]: the service as GitLab starts it; the job variables
# GitLab passes to services are given as ENV (-e ...)
gitlab_service() {
	local name=$1 net=$2 vol=$3
	shift 3
	d run -d --name "$name" --network "$net" --network-alias docker \
		-v "$name:/var/lib/docker" -v "$vol:/certs/client" "${FLAGS[@]}" "$@" "$E2E_IMAGE" >/dev/null
}

@test "the image's contract: ENV DOCKER_TLS_CERTDIR=/certs, /certs and /certs/client 1777, EXPOSE 2375 2376, the entrypoint names" {
	run -0 d image inspect "$E2E_IMAGE" --format '{{json .Config.ExposedPorts}} {{range .Config.Env}}{{println .}}{{end}}'
	[[ "$output" == *'"2375/tcp"'* ]]
	[[ "$output" == *'"2376/tcp"'* ]]
	grep -qx 'DOCKER_TLS_CERTDIR=/certs' <<<"$output"
	run -0 d run --rm --entrypoint sh "$E2E_IMAGE" -c 'stat -c "%a %n" /certs /certs/client;
		for n in dockerd-entrypoint.sh dind docker-entrypoint.sh dind-certs dind-ctl; do command -v $n; done;
		getent group docker; grep ^dockremap: /etc/subuid /etc/subgid'
	echo "$output"
	grep -qx '1777 /certs' <<<"$output"
	grep -qx '1777 /certs/client' <<<"$output"
	grep -q '/dockerd-entrypoint.sh$' <<<"$output"
	grep -q '^docker:x:2375:' <<<"$output"
	grep -q 'subuid:dockremap:165536:65536' <<<"$output"
}

@test "GitLab, TLS on: job reaches tcp://docker:2376 with the shared client certificates; nested run works" {
	local net svc jb vol
	net=$(cname net) svc=$(cname svc) jb=$(cname job) vol=$(cname certs)
	d network create "$net" >/dev/null
	# GitLab passes the job's variables to the service as well: they must not change it.
	gitlab_service "$svc" "$net" "$vol" -e DOCKER_TLS_CERTDIR=/certs -e DOCKER_HOST=tcp://docker:2376 \
		-e DOCKER_TLS_VERIFY=1 -e DOCKER_CERT_PATH=/certs/client -e DOCKER_DRIVER=overlay2
	cp "$E2E_TINY_TAR" "$BATS_TEST_TMPDIR/tiny.tar"
	run -0 job "$jb" --network "$net" -v "$vol:/certs/client" -v "$BATS_TEST_TMPDIR/tiny.tar:/tiny.tar:ro" \
		-e SERVICE_HOST=docker -e DOCKER_TLS_CERTDIR=/certs -e DOCKER_HOST=tcp://docker:2376 \
		-e DOCKER_TLS_VERIFY=1 -e DOCKER_CERT_PATH=/certs/client "$E2E_IMAGE" \
		bash -c "$(wait_port_script)
docker version --format 'server {{.Server.Version}}' && docker load -i /tiny.tar >/dev/null &&
docker run --rm $E2E_TINY_IMAGE echo hello-from-nested"
	echo "$output"
	grep -qx 'port 2376 answers' <<<"$output"
	grep -q '^server 26' <<<"$output"
	grep -qx hello-from-nested <<<"$output"
	# nothing listens on 2375 with TLS on
	run -0 d exec "$svc" sh -c 'cat /proc/net/tcp /proc/net/tcp6'
	refute grep -qi ':0947 ' <<<"$output"
	grep -qi ':0948 ' <<<"$output"
}

@test "GitLab, this image as the job image (entrypoint docker-entrypoint.sh), DOCKER_HOST unset: it finds tcp://docker:2376" {
	local net svc jb vol
	net=$(cname net) svc=$(cname svc) jb=$(cname job) vol=$(cname certs)
	d network create "$net" >/dev/null
	gitlab_service "$svc" "$net" "$vol"
	# The runner waits for the service's port, then starts the job with its entrypoint: here bash
	# does the wait and then runs the entrypoint, as the runner would after its own wait.
	run -0 d run --rm --name "$jb" --network "$net" -v "$vol:/certs/client" -e SERVICE_HOST=docker \
		-e DOCKER_TLS_CERTDIR=/certs --entrypoint bash "$E2E_IMAGE" \
		-c "$(wait_port_script)
docker-entrypoint.sh sh -c 'echo \$DOCKER_HOST \$DOCKER_TLS_VERIFY \$DOCKER_CERT_PATH'
docker-entrypoint.sh version --format 'server {{.Server.Version}}'"
	echo "$output"
	grep -qx 'tcp://docker:2376 1 /certs/client' <<<"$output"
	grep -q '^server 26' <<<"$output"
}

@test "GitLab, TLS off (DOCKER_TLS_CERTDIR empty): tcp://docker:2375, no 15 s pause, no certificates" {
	local net svc jb vol
	net=$(cname net) svc=$(cname svc) jb=$(cname job) vol=$(cname certs)
	d network create "$net" >/dev/null
	gitlab_service "$svc" "$net" "$vol" -e DOCKER_TLS_CERTDIR= -e DOCKER_HOST=tcp://docker:2375
	run -0 job "$jb" --network "$net" -e SERVICE_HOST=docker -e DOCKER_TLS_CERTDIR= \
		-e DOCKER_HOST=tcp://docker:2375 "$E2E_IMAGE" \
		bash -c "$(wait_port_script)
docker version --format 'server {{.Server.Version}}'"
	echo "$output"
	grep -qx 'port 2375 answers' <<<"$output"
	grep -q '^server 26' <<<"$output"
	run -0 d exec "$svc" ps -o args= -C dockerd
	[[ "$output" == *"--host=tcp://0.0.0.0:2375 --tls=false"* ]]
	run -0 d exec "$svc" dind-ctl status certs
	[[ "$output" =~ certs\ +skipped ]]
	run -0 d exec "$svc" ls -A /certs/client
	[ -z "$output" ]
	# dockerd 26 pauses 15 s for an unencrypted TCP listener unless --tls=false says it is meant,
	# and says so ("You can override this by explicitly specifying '--tls=false'..."); it still
	# warns and waits 1 s either way
	d logs "$svc" >"$BATS_TEST_TMPDIR/logs" 2>&1
	grep -q 'Binding to IP address without --tlsverify is insecure' "$BATS_TEST_TMPDIR/logs"
	refute grep -q 'You can override this by explicitly specifying' "$BATS_TEST_TMPDIR/logs"
}

@test "a client without a certificate, or with one from another CA, is refused; DOCKER_TLS_SAN is in the server certificate" {
	local net svc vol
	net=$(cname net) svc=$(cname svc) vol=$(cname certs)
	d network create "$net" >/dev/null
	gitlab_service "$svc" "$net" "$vol" -e DOCKER_TLS_SAN=DNS:dind.example.test,IP:10.123.45.67
	dind_wait "$svc"
	run -0 d exec "$svc" openssl x509 -in /certs/server/cert.pem -noout -ext subjectAltName
	echo "$output"
	[[ "$output" == *"DNS:dind.example.test"* ]]
	[[ "$output" == *"IP Address:10.123.45.67"* ]]
	[[ "$output" == *"DNS:docker"* ]]
	[[ "$output" == *"IP Address:127.0.0.1"* ]]
	# no client certificate at all
	run job "$(cname j1)" --network "$net" -e DOCKER_HOST=tcp://docker:2376 -e DOCKER_TLS_CERTDIR= "$E2E_IMAGE" \
		docker --tls version
	echo "$output"
	[ "$status" -ne 0 ]
	refute grep -q 'Server:' <<<"$output"
	# a client certificate of another CA (made by dind-certs in the job container), the real CA
	# to check the server with: the server must be the one that refuses
	run job "$(cname j2)" --network "$net" -v "$vol:/certs/client:ro" -e DOCKER_TLS_CERTDIR= \
		-e DOCKER_HOST=tcp://docker:2376 "$E2E_IMAGE" \
		sh -c 'dind-certs -q --dir /tmp/other && docker --tlsverify --tlscacert /certs/client/ca.pem \
			--tlscert /tmp/other/client/cert.pem --tlskey /tmp/other/client/key.pem version'
	echo "$output"
	[ "$status" -ne 0 ]
	refute grep -q 'Server:' <<<"$output"
	# (TLS 1.3: the client's handshake ends before the server has checked its certificate; the
	# server's alert may come after the client wrote its request, which then meets a reset)
	grep -qi 'bad certificate\|unknown certificate authority\|certificate required\|connection reset by peer' <<<"$output"
	# and the same command with the right client certificate works
	run -0 job "$(cname j3)" --network "$net" -v "$vol:/certs/client:ro" -e DOCKER_TLS_CERTDIR= \
		-e DOCKER_HOST=tcp://docker:2376 "$E2E_IMAGE" \
		docker --tlsverify --tlscacert /certs/client/ca.pem --tlscert /certs/client/cert.pem \
		--tlskey /certs/client/key.pem version --format '{{.Server.Version}}'
	grep -q '^26' <<<"$output"
}

@test "pod: the job in the service's network namespace uses tcp://localhost:2376 and the shared client certificates" {
	local svc jb
	svc=$(cname svc) jb=$(cname job)
	# as recipes/kubernetes/pod.yaml: only /certs/client is shared; the CA and server keys stay
	dind_start "$svc" -v "$(cname certs):/certs/client" "$E2E_IMAGE"
	run -0 job "$jb" --network "container:$svc" -v "$(cname certs):/certs/client:ro" \
		-e SERVICE_HOST=localhost -e DOCKER_HOST=tcp://localhost:2376 -e DOCKER_TLS_VERIFY=1 \
		-e DOCKER_CERT_PATH=/certs/client "$E2E_IMAGE" \
		bash -c "$(wait_port_script)
until docker version >/dev/null 2>&1; do sleep 0.2; done; docker info --format '{{.ServerVersion}}'"
	echo "$output"
	grep -q '^26' <<<"$output"
}

@test "ARC: 'dockerd --host=unix:///var/run/docker.sock --group=123', /var/run shared, a job as uid 1001 in group 123" {
	local svc jb sock
	svc=$(cname svc) jb=$(cname job) sock=$(cname sock)
	dind_start "$svc" -v "$sock:/var/run" -e DOCKER_GROUP_GID=123 "$E2E_IMAGE" \
		dockerd --host=unix:///var/run/docker.sock --group=123
	run -0 job "$jb" --user 1001:1001 --group-add 123 -v "$sock:/var/run" \
		-e DOCKER_HOST=unix:///var/run/docker.sock "$E2E_IMAGE" \
		sh -c 'id -u; dind-ctl wait --timeout 120s && docker version --format "server {{.Server.Version}}"'
	echo "$output"
	grep -qx 1001 <<<"$output"
	grep -q '^server 26' <<<"$output"
	# the job may look, not act
	run -1 job "$(cname j2)" --user 1001:1001 --group-add 123 -v "$sock:/var/run" "$E2E_IMAGE" dind-ctl restart dockerd
	[[ "$output" == *"permission denied"* ]]
	# dockerd runs with exactly ARC's arguments plus containerd's socket; no TLS, no TCP listener
	run -0 d exec "$svc" ps -o args= -C dockerd
	[[ "$output" == "dockerd --host=unix:///var/run/docker.sock --group=123 --containerd=/run/containerd/containerd.sock"* ]]
	refute grep -q -- '--tlsverify' <<<"$output"
	run -0 d exec "$svc" stat -c '%g' /var/run/docker.sock /run/dind-init.sock
	[ "$output" = "123
123" ]
}

@test "docker restart: the same CA, and an image loaded before is still there" {
	local svc ca1 ca2
	svc=$(cname svc)
	dind_start "$svc" "$E2E_IMAGE"
	dind_wait "$svc"
	load_tiny "$svc"
	ca1=$(d exec "$svc" sha256sum /certs/ca/cert.pem /certs/client/ca.pem)
	d restart "$svc" >/dev/null
	dind_wait "$svc"
	ca2=$(d exec "$svc" sha256sum /certs/ca/cert.pem /certs/client/ca.pem)
	[ "$ca1" = "$ca2" ]
	nested_hello "$svc"
}

@test "outer MTU 1400: nested containers get 1400, on the default bridge and on a user-defined network" {
	local net svc
	net=$(cname net) svc=$(cname svc)
	d network create -o com.docker.network.driver.mtu=1400 "$net" >/dev/null
	dind_start "$svc" --network "$net" "$E2E_IMAGE"
	dind_wait "$svc"
	load_tiny "$svc"
	run -0 d exec "$svc" docker run --rm "$E2E_TINY_IMAGE" cat /sys/class/net/eth0/mtu
	[ "$output" = 1400 ]
	d exec "$svc" docker network create nested >/dev/null
	run -0 d exec "$svc" docker run --rm --network nested "$E2E_TINY_IMAGE" cat /sys/class/net/eth0/mtu
	[ "$output" = 1400 ]
	d logs "$svc" >"$BATS_TEST_TMPDIR/logs" 2>&1
	grep -q 'MTU 1400' "$BATS_TEST_TMPDIR/logs"
}

@test "dual stack: on an IPv6 network the job reaches dockerd's TLS port over IPv6, and the address is in the certificate" {
	local net svc jb addr
	net=$(cname net6) svc=$(cname svc) jb=$(cname job)
	d network create --ipv6 --subnet fd42:d1d:1::/64 "$net" >/dev/null
	dind_start "$svc" --network "$net" -v "$(cname certs):/certs" "$E2E_IMAGE"
	dind_wait "$svc"
	addr=$(d inspect "$svc" --format "{{(index .NetworkSettings.Networks \"$net\").GlobalIPv6Address}}")
	[ -n "$addr" ]
	run -0 job "$jb" --network "$net" -v "$(cname certs):/certs:ro" -e DOCKER_HOST="tcp://[$addr]:2376" \
		-e DOCKER_TLS_VERIFY=1 -e DOCKER_CERT_PATH=/certs/client "$E2E_IMAGE" docker version --format '{{.Server.Version}}'
	echo "$output"
	grep -q '^26' <<<"$output"
}
