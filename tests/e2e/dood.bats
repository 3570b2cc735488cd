#!/usr/bin/env bats
# The Docker-outside-of-Docker image (images/dood): the docker client and dind-init as a plain
# init, talking to the host's dockerd through its socket. No privileges needed.

load common

@test "dood with the host's socket mounted: docker version prints the Client and the Server" {
	local c
	c=$(cname)
	run -0 d run --rm --name "$c" -v /var/run/docker.sock:/var/run/docker.sock "$E2E_DOOD_IMAGE" \
		docker version
	[[ "$output" == *"Client:"* ]]
	[[ "$output" == *"Server:"* ]]
	# The server is the host's own dockerd.
	[[ "$output" == *"$(d version --format '{{.Server.Version}}')"* ]]
}

@test "dood without the socket: exits non-zero and says how to mount it" {
	local c
	c=$(cname)
	run d run --rm --name "$c" "$E2E_DOOD_IMAGE" docker version
	[ "$status" -ne 0 ]
	[[ "$output" == *"-v /var/run/docker.sock:/var/run/docker.sock"* ]]
}
