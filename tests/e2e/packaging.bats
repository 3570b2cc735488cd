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

# readme_dockerfile [N]: the Nth (default: first) ```dockerfile block of README.md's "Add
# dind-init to your own image" section that is a whole Dockerfile (starts with FROM)
readme_dockerfile() {
	awk -v want="${1:-1}" '
		/^## / { sec = ($0 == "## Add dind-init to your own image") }
		sec && /^```dockerfile$/ { on = 1; first = 1; next }
		on && /^```$/ { if (found == want) exit; on = 0; next }
		on && first { first = 0; if ($1 != "FROM") { on = 0; next } found++ }
		on && found == want { print }
	' "$REPO/README.md"
}

# readme_block HEADING: the first ```dockerfile block under README.md's "### HEADING"
readme_block() {
	awk -v h="### $1" '
		/^##/ { sec = ($0 == h) }
		sec && /^```dockerfile$/ { on = 1; next }
		on && /^```$/ { exit }
		on { print }
	' "$REPO/README.md"
}

# deb_out DIR: the .deb of $E2E_DEB_IMAGE into DIR, as README.md says to get it; prints its name
deb_out() {
	local c
	c=$(d create "$E2E_DEB_IMAGE" x)
	d cp "$c:/" - | tar -C "$1" -xf - --wildcards '*.deb'
	d rm "$c" >/dev/null
	(cd "$1" && ls dind-init_*.deb)
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
	# The bin image's containerd config replaced Debian's (only ours disables the CRI plugin);
	# docker.io made group docker.
	run -0 d run --rm --entrypoint sh "$tag" -c 'grep -cxF "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]" /etc/containerd/config.toml; getent group docker'
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
	local dir=$BATS_TEST_TMPDIR/deb deb
	mkdir "$dir"
	deb=$(deb_out "$dir")
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
		dpkg -L dind-init | grep '^/usr/share/man/' | sort
		readlink /usr/sbin/dind-ctl
		test -x /usr/libexec/dind-init/stop-nested"
	[[ "$output" == *"dind-init 0."* ]]
	# The conffile names stop-nested where the package put it.
	[[ "$output" == *"/usr/libexec/dind-init/stop-nested 4"* ]]
	[[ "$output" == *"conffiles: /etc/dind-init.ini"* ]]
	# The postinst made group docker, with docker:dind's gid (the config's control_group).
	[[ "$output" == *"docker:x:2375:"* ]]
	# The man pages the package ships (what dpkg -L lists: the official images' dpkg excludes
	# /usr/share/man from what it unpacks, so ls would depend on the base).
	[[ "$output" == *"/usr/share/man/man5/dind-init.ini.5.gz"*"/usr/share/man/man8/dind-certs.8.gz"*"/usr/share/man/man8/dind-ctl.8.gz"*"/usr/share/man/man8/dind-init.8.gz"* ]]
	# dind-ctl is a link to dind-init.
	[[ "$output" == *$'\n'"dind-init" ]]
}

@test "README's .deb example: Debian's docker.io and the .deb run docker version with TLS, containerd without CRI; README's own-config COPY passes a 0666 file" {
	local ctx=$BATS_TEST_TMPDIR/ctx tag own=$BATS_TEST_TMPDIR/own
	tag=$(image_tag)
	mkdir "$ctx" "$own"
	readme_dockerfile 2 >"$ctx/Dockerfile"
	grep -q 'dind-init_\*\.deb' "$ctx/Dockerfile"
	deb_out "$ctx" >/dev/null
	build_image "$tag" "$ctx"
	run -0 d run --rm --entrypoint sh "$tag" -c 'grep -cxF "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]" /etc/containerd/config.toml; echo "certdir=$DOCKER_TLS_CERTDIR"'
	[ "$output" = "1
certdir=/certs" ]
	run -0 d inspect --format '{{json .Config.Volumes}}' "$tag"
	[[ "$output" == *'"/var/lib/docker"'* ]]
	run -0 dind_run "$(cname)" "$tag" docker version
	[[ "$output" == *"Client:"* ]]
	[[ "$output" == *"Server:"* ]]
	[[ "$output" == *"[certs] dind-certs: /certs: new CA"* ]]

	# A config whose mode in the build context is 0666 (a umask-000 checkout): refused as it
	# is, accepted through README's "Your own config" line.
	printf '[init]\n[service:s]\ncommand = sleep 100\n' >"$own/dind-init.ini"
	chmod 666 "$own/dind-init.ini"
	printf 'FROM %s\nCOPY dind-init.ini /etc/dind-init.ini\n' "$tag" >"$own/Dockerfile"
	DOCKER_BUILDKIT=1 d build -q -t "$tag-own" "$own" >/dev/null
	run -2 d run --rm --entrypoint dind-init "$tag-own" --check-config
	[[ "$output" == *"writable by group or others (mode 0666)"* ]]
	{ echo "FROM $tag"; readme_block "Your own config"; } >"$own/Dockerfile"
	grep -q '^COPY --chmod=644 dind-init.ini /etc/dind-init.ini$' "$own/Dockerfile"
	DOCKER_BUILDKIT=1 d build -q -t "$tag-own" "$own" >/dev/null
	run -0 d run --rm --entrypoint dind-init "$tag-own" --check-config
	[[ "$output" == *"sleep 100"* ]]
}

@test "the .deb's conffile without a terminal: --force-confold keeps a config that is there before the install and a changed one on upgrade, remove keeps it, purge deletes it" {
	local dir=$BATS_TEST_TMPDIR/deb deb
	mkdir "$dir"
	deb=$(deb_out "$dir")
	# The next version, whose default config differs: what makes dpkg ask on upgrade.
	run -0 d run --rm --network none -v "$dir:/pkg" "$BASE_IMAGE" sh -ec "
		cd /tmp && dpkg-deb -R /pkg/$deb next
		sed -i 's/^Version: .*/&.1/' next/DEBIAN/control
		echo '; the next default' >>next/etc/dind-init.ini
		(cd next && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum >DEBIAN/md5sums)
		dpkg-deb -b next /pkg/next.deb >/dev/null"
	# stdin is not a terminal and holds nothing, as in a Dockerfile's RUN.
	run -0 d run --rm --network none -v "$dir:/pkg:ro" "$BASE_IMAGE" sh -c "
		exec </dev/null
		step() { echo \"== \$*\"; }
		step a config there before the install, no option
		mkdir -p /etc && echo '; mine before' >/etc/dind-init.ini
		apt-get install -y /pkg/$deb >/tmp/apt.log 2>&1; echo status=\$?; grep -o 'end of file on stdin at conffile prompt' /tmp/apt.log | head -1
		dpkg --purge dind-init >/dev/null 2>&1; echo '; mine before' >/etc/dind-init.ini
		step the same with --force-confold
		apt-get install -y -o Dpkg::Options::=--force-confold /pkg/$deb >/tmp/apt.log 2>&1; echo status=\$?
		cat /etc/dind-init.ini
		step changed, then upgraded, no option
		echo '; mine changed' >/etc/dind-init.ini
		apt-get install -y /pkg/next.deb >/tmp/apt.log 2>&1; echo status=\$?; grep -o 'end of file on stdin at conffile prompt' /tmp/apt.log | head -1
		dpkg --purge dind-init >/dev/null 2>&1
		apt-get install -y -o Dpkg::Options::=--force-confold /pkg/$deb >/tmp/apt.log 2>&1 || cat /tmp/apt.log
		echo '; mine changed' >/etc/dind-init.ini
		step upgraded with --force-confold
		apt-get install -y -o Dpkg::Options::=--force-confold /pkg/next.deb >/tmp/apt.log 2>&1; echo status=\$?
		dpkg-query -W -f='\${Version}\n' dind-init
		cat /etc/dind-init.ini; tail -1 /etc/dind-init.ini.dpkg-dist
		step remove
		apt-get remove -y dind-init >/dev/null 2>&1; echo status=\$?
		cat /etc/dind-init.ini
		step purge
		dpkg --purge dind-init >/dev/null 2>&1; echo status=\$?
		ls /etc/dind-init.ini* 2>&1 | sed 's/:.*//'
		echo end"
	echo "$output"
	[ "$output" = "== a config there before the install, no option
status=100
end of file on stdin at conffile prompt
== the same with --force-confold
status=0
; mine before
== changed, then upgraded, no option
status=100
end of file on stdin at conffile prompt
== upgraded with --force-confold
status=0
$(dpkg-deb -f "$dir/next.deb" Version)
; mine changed
; the next default
== remove
status=0
; mine changed
== purge
status=0
ls
end" ]
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
		# (What the build prints about the group is not checked: a cached build prints nothing.)
		run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" -- \
			--build-arg BASE="$base" --build-arg BIN_IMAGE="$E2E_BIN_IMAGE"
		case $kind in
		docker-999)
			run -0 d run --rm --entrypoint getent "$tag" group docker
			[[ "$output" == "docker:x:999:"* ]]
			;;
		other-2375)
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
	# A relative symbolic link to the tarball: the build gets the tarball, not a dangling link
	# (--no-cache: the step that checks it runs, and prints its sum, again).
	ln -s docker.tgz "$BATS_TEST_TMPDIR/link.tgz"
	run -0 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$BATS_TEST_TMPDIR/link.tgz" \
		--docker-sha256 "sha256:$sum" "${base_args[@]}" --no-cache
	[[ "$output" == *"docker.tgz: sha256 $sum"* ]]

	fake_docker_tgz "$tgz" runc
	run -1 "$REPO/images/build.sh" ubuntu-static "$tag" --docker-tgz "$tgz" "${base_args[@]}"
	[[ "$output" == *"the tarball has no docker/runc"* ]]
}
