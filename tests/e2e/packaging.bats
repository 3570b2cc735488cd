#!/usr/bin/env bats
# Getting dind-init into other images: the FROM scratch bin image (images/bin) for COPY --from,
# the README's example Dockerfile built on it, and the Debian package (images/bin's deb stage,
# made by cpack) installed with apt-get in a clean Debian.

load common

: "${E2E_BIN_IMAGE:=dind-init:e2e-bin}"
: "${E2E_DEB_IMAGE:=dind-init:e2e-deb}"
BASE_IMAGE=debian:trixie-slim
REPO=$(cd "$E2E_DIR/../.." && pwd)

# common.bash's setup_file and teardown, with this file's images and tags on top.
eval "common_$(declare -f setup_file)"
eval "common_$(declare -f teardown)"
setup_file() {
	common_setup_file || return 1
	local image
	for image in "$E2E_BIN_IMAGE" "$E2E_DEB_IMAGE" "$BASE_IMAGE"; do
		"$DOCKER" image inspect "$image" >/dev/null 2>&1 || {
			echo "image $image is missing: run tests/e2e/build-images.sh first" >&2
			return 1
		}
	done
}

# build_image TAG DIR: docker build of DIR/Dockerfile as TAG (removed by teardown_image)
build_image() {
	d build -q -t "$1" "$2" >"$BATS_TEST_TMPDIR/build.log" 2>&1 || {
		cat "$BATS_TEST_TMPDIR/build.log" >&2
		return 1
	}
}

# image_tag: a tag of this test's own (teardown removes it)
image_tag() {
	echo "dind-e2e-img-$$-$BATS_TEST_NUMBER:latest"
}

teardown() {
	common_teardown
	"$DOCKER" image rm -f "$(image_tag)" "$(image_tag)-own" "$(image_tag)-base" >/dev/null 2>&1 || true
}

# readme_dockerfile: the first ```dockerfile block of README.md's "Add dind-init to your own
# image" section that is a whole Dockerfile (starts with FROM)
readme_dockerfile() {
	awk '
		/^## / { sec = ($0 == "## Add dind-init to your own image") }
		sec && /^```dockerfile$/ { on = 1; first = 1; next }
		on && /^```$/ { if (found) exit; on = 0; next }
		on && first { first = 0; if ($1 != "FROM") { on = 0; next } found = 1 }
		on { print }
	' "$REPO/README.md"
}

# layer_files IMAGE: the paths in IMAGE's layers, with their type and mode (ls -l style)
layer_files() {
	local dir=$BATS_TEST_TMPDIR/save
	mkdir -p "$dir"
	d save "$1" | tar -C "$dir" -xf -
	# manifest.json names the layer archives (ID/layer.tar, or blobs/sha256/... in OCI layout).
	"$PYTHON" -c 'import json, sys; [print(l) for m in json.load(open(sys.argv[1])) for l in m["Layers"]]' \
		"$dir/manifest.json" | while read -r l; do tar -tvf "$dir/$l"; done |
		awk '{ print $1, $6, $7, $8 }' | sort -k2
}

@test "bin image: FROM scratch with only dind-init's files, static programs that run there" {
	run -0 layer_files "$E2E_BIN_IMAGE"
	# Only files (and their folders) of dind-init: what the default config names, at its paths.
	local files
	files=$(grep -v '^d' <<<"$output" | awk '{ print $2, $1, $4 }')
	[ "$files" = "etc/containerd/config.toml -rw-r--r-- 
etc/dind-init.ini -rw-r--r-- 
usr/local/bin/dind lrwxrwxrwx /usr/local/sbin/dind-init
usr/local/bin/docker-entrypoint.sh -rwxr-xr-x 
usr/local/bin/dockerd-entrypoint.sh lrwxrwxrwx /usr/local/sbin/dind-init
usr/local/libexec/dind-init/stop-nested -rwxr-xr-x 
usr/local/sbin/dind-certs -rwxr-xr-x 
usr/local/sbin/dind-ctl lrwxrwxrwx dind-init
usr/local/sbin/dind-init -rwxr-xr-x " ] || {
		echo "$files" >&2
		false
	}
	# Nothing else in it: no libraries, so the programs run only if they are static.
	run -0 d run --rm "$E2E_BIN_IMAGE" /usr/local/sbin/dind-init --version
	[[ "$output" == "dind-init "* ]]
	run -0 d run --rm "$E2E_BIN_IMAGE" /usr/local/sbin/dind-certs --help
	[[ "$output" == *"usage: dind-certs"* ]]
	# The default config, and what it names: stop-nested where it says.
	run -0 d run --rm -e DOCKER_GROUP_GID=0 "$E2E_BIN_IMAGE" /usr/local/sbin/dind-init --check-config
	[[ "$output" == *"/usr/local/libexec/dind-init/stop-nested 4"* ]]
}

@test "README's example: debian:trixie-slim with Debian's docker.io and COPY --from the bin image runs docker version as COMMAND" {
	local ctx=$BATS_TEST_TMPDIR/ctx tag
	tag=$(image_tag)
	mkdir "$ctx"
	readme_dockerfile >"$ctx/Dockerfile"
	grep -qx 'COPY --from=dind-init:bin / /' "$ctx/Dockerfile"
	sed -i "s|--from=dind-init:bin |--from=$E2E_BIN_IMAGE |" "$ctx/Dockerfile"
	build_image "$tag" "$ctx"
	# The bin image's containerd config replaced Debian's; docker.io made group docker.
	run -0 d run --rm --entrypoint sh "$tag" -c 'grep -c "^version = 2$" /etc/containerd/config.toml; getent group docker'
	[[ "$output" == "1"*"docker:x:"* ]]
	run -0 dind_run "$(cname)" "$tag" docker version
	[[ "$output" == *"Client:"* ]]
	[[ "$output" == *"Server:"* ]]
	# TLS on (DOCKER_TLS_CERTDIR=/certs): the static dind-certs made the certificates.
	[[ "$output" == *"[certs] dind-certs: /certs: new CA"* ]]
}

@test "COPY --from the bin image of /usr/local/sbin/ only: dind-init is a plain init around COMMAND" {
	local ctx=$BATS_TEST_TMPDIR/ctx tag
	tag=$(image_tag)
	mkdir "$ctx"
	printf 'FROM %s\nCOPY --from=%s /usr/local/sbin/ /usr/local/sbin/\nENTRYPOINT ["dind-init"]\n' \
		"$BASE_IMAGE" "$E2E_BIN_IMAGE" >"$ctx/Dockerfile"
	build_image "$tag" "$ctx"
	# No /etc/dind-init.ini: no services, no privileges needed; COMMAND's status is the exit status.
	run -7 d run --rm "$tag" sh -c 'ls /usr/local/sbin; exit 7'
	[[ "$output" == *"dind-certs"*"dind-ctl"*"dind-init"* ]]
}

@test "the .deb installs with apt-get in a clean debian:trixie-slim without network: no dependencies, a conffile, dind-init --version and --check-config" {
	local dir=$BATS_TEST_TMPDIR/deb c deb
	mkdir "$dir"
	c=$(d create "$E2E_DEB_IMAGE" x)
	d cp "$c:/" - | tar -C "$dir" -xf - --wildcards '*.deb'
	d rm "$c" >/dev/null
	deb=$(cd "$dir" && ls dind-init_*.deb)
	[ -n "$deb" ]
	# The static build depends on nothing.
	run -0 dpkg-deb -f "$dir/$deb" Package Depends Pre-Depends
	[ "$output" = "Package: dind-init" ]
	run -0 d run --rm --network none -v "$dir:/pkg:ro" "$BASE_IMAGE" sh -ec "
		apt-get install -y --no-install-recommends /pkg/$deb >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
		dind-init --version
		dind-init --check-config
		echo conffiles: \$(dpkg-query -W -f='\${Conffiles}' dind-init | awk '{ print \$1 }')
		getent group docker
		ls /usr/share/man/man5 /usr/share/man/man8 | grep dind
		readlink /usr/sbin/dind-ctl
		test -x /usr/libexec/dind-init/stop-nested"
	[[ "$output" == *"dind-init 0."* ]]
	# The conffile names stop-nested where the package put it.
	[[ "$output" == *"/usr/libexec/dind-init/stop-nested 4"* ]]
	[[ "$output" == *"conffiles: /etc/dind-init.ini"* ]]
	# The postinst made group docker, with docker:dind's gid (the config's control_group).
	[[ "$output" == *"docker:x:2375:"* ]]
	[[ "$output" == *"dind-init.ini.5.gz"*"dind-ctl.8.gz"*"dind-init.8.gz"* ]]
	# dind-ctl is a link to dind-init.
	[[ "$output" == *$'\n'"dind-init" ]]
}

@test "ubuntu-static on a base that has a group docker already, or another group with gid 2375: the build keeps the first and gives docker a free gid in the second" {
	local tgz=$BATS_TEST_TMPDIR/docker.tgz ctx=$BATS_TEST_TMPDIR/base tag base
	tag=$(image_tag)
	base=$tag-base
	fake_docker_tgz "$tgz"
	mkdir "$ctx"
	for kind in docker-999 other-2375; do
		printf 'FROM %s\nRUN groupadd --gid %s %s\n' "$BASE_IMAGE" "${kind#*-}" "${kind%-*}" >"$ctx/Dockerfile"
		build_image "$base" "$ctx"
		run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" -- \
			--build-arg BASE="$base" --build-arg BIN_IMAGE="$E2E_BIN_IMAGE"
		case $kind in
		docker-999)
			[[ "$output" == *"keeping the base's group docker: docker:x:999:"* ]]
			run -0 d run --rm --entrypoint getent "$tag" group docker
			[[ "$output" == "docker:x:999:"* ]]
			;;
		other-2375)
			[[ "$output" == *"gid 2375 is the base's group other: group docker got gid "*" instead"* ]]
			run -0 d run --rm --entrypoint sh "$tag" -c 'getent group docker | cut -d: -f3; getent group 2375 | cut -d: -f1'
			[[ "${lines[0]}" =~ ^[0-9]+$ ]]
			[ "${lines[0]}" != 2375 ]
			[ "${lines[1]}" = other ]
			;;
		esac
		# dind-init finds the group the config names, whatever its gid.
		run -0 d run --rm --entrypoint dind-init "$tag" --check-config
	done
}

# fake_docker_tgz FILE [MISSING]: a tarball in the layout of Docker's static one whose programs
# are small scripts (without docker/MISSING)
fake_docker_tgz() {
	local root=$BATS_TEST_TMPDIR/fake b
	rm -rf "$root"
	mkdir -p "$root/docker"
	for b in dockerd containerd containerd-shim-runc-v2 runc docker docker-proxy docker-init ctr; do
		[ "$b" = "${2:-}" ] && continue
		printf '#!/bin/sh\necho "fake %s $*"\n' "$b" >"$root/docker/$b"
		chmod 755 "$root/docker/$b"
	done
	tar -C "$root" -czf "$1" docker
}

@test "ubuntu-static's tarball: a download needs --docker-sha256, a wrong sum or a missing binary stops the build, a local one (or a link to it) is unpacked" {
	local tgz=$BATS_TEST_TMPDIR/docker.tgz sum tag base_args
	tag=$(image_tag)
	# Only the stage that unpacks the tarball: its checks are the point here.
	base_args=(-- --target docker --build-arg BASE="$BASE_IMAGE" --build-arg BIN_IMAGE="$E2E_BIN_IMAGE")
	export DOCKER
	run -1 "$REPO/images/build.sh" ubuntu-static "$tag" "${base_args[@]}"
	[[ "$output" == *"needs their sha256"*"--docker-sha256 SUM"*"--docker-tgz FILE"* ]]

	fake_docker_tgz "$tgz"
	run -1 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" \
		--docker-sha256 0000000000000000000000000000000000000000000000000000000000000000 "${base_args[@]}"
	[[ "$output" == *"does not have the sha256 0000000000000000000000000000000000000000000000000000000000000000"* ]]

	sum=$(sha256sum "$tgz" | cut -d' ' -f1)
	run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" --docker-sha256 "$sum" "${base_args[@]}"
	[[ "$output" == *"docker.tgz: sha256 $sum"* ]]
	run -0 d run --rm "$tag" /opt/docker/dockerd --version
	[ "$output" = "fake dockerd --version" ]
	# The sum as image digests write it, straight to the Dockerfile (a build by hand).
	run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" "${base_args[@]}" \
		--build-arg "DOCKER_SHA256=sha256:$sum"
	[[ "$output" == *"docker.tgz: sha256 $sum"* ]]
	# A relative symbolic link to the tarball: the build gets the tarball, not a dangling link.
	ln -s docker.tgz "$BATS_TEST_TMPDIR/link.tgz"
	run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$BATS_TEST_TMPDIR/link.tgz" \
		--docker-sha256 "sha256:$sum" "${base_args[@]}"
	[[ "$output" == *"docker.tgz: sha256 $sum"* ]]

	fake_docker_tgz "$tgz" runc
	run -1 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" "${base_args[@]}"
	[[ "$output" == *"the tarball has no docker/runc"* ]]
}
