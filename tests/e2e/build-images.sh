#!/usr/bin/env bash
# Build the images the end-to-end tests run, from this repository. Quiet: prints nothing on
# success and the build log on failure. Run it after tests/e2e/docker-env.sh (which starts
# dockerd and makes the base image); a rebuild after a source change takes seconds (the apt
# layers are cached).
#
#   tests/e2e/build-images.sh [VARIANT...]     default: debian dood bin deb ubuntu-static rootless
#
#   debian         images/debian                      as $E2E_IMAGE (dind-init:e2e)
#   dood           images/dood                        as $E2E_DOOD_IMAGE (dind-init:e2e-dood)
#   bin            images/bin                         as $E2E_BIN_IMAGE (dind-init:e2e-bin)
#   deb            images/bin's deb stage (the .deb)  as $E2E_DEB_IMAGE (dind-init:e2e-deb)
#   ubuntu-static  images/ubuntu-static on debian:trixie-slim, from a tarball in the layout of
#                  Docker's static one assembled from the Debian binaries of $E2E_IMAGE (see
#                  docker_tgz below), dind-init from $E2E_BIN_IMAGE, as $E2E_USTATIC_IMAGE
#                  (dind-init:e2e-ustatic); needs debian and bin built first
#   rootless       images/rootless                    as $E2E_ROOTLESS_IMAGE (dind-init:e2e-rootless)
#
# Environment:
#   E2E_IMAGE, E2E_DOOD_IMAGE, E2E_BIN_IMAGE, E2E_DEB_IMAGE, E2E_USTATIC_IMAGE,
#   E2E_ROOTLESS_IMAGE                                                           the tags above
#   DIND_E2E_LOG     where the build logs go (default: /var/log/dind-init-e2e)
#   DIND_E2E_CACHE   where the assembled tarball is kept (default: /var/cache/dind-init-e2e)
set -euo pipefail

prog=tests/e2e/build-images.sh
repo=$(cd "$(dirname "$0")/../.." && pwd)
log_dir=${DIND_E2E_LOG:-/var/log/dind-init-e2e}
cache_dir=${DIND_E2E_CACHE:-/var/cache/dind-init-e2e}
# Debian's client, as in docker-env.sh: another docker earlier in PATH may talk to another daemon.
export DOCKER=/usr/bin/docker

die() {
	echo "$prog: $*" >&2
	exit 1
}

tag_of() {
	case "$1" in
	debian) echo "${E2E_IMAGE:-dind-init:e2e}" ;;
	dood) echo "${E2E_DOOD_IMAGE:-dind-init:e2e-dood}" ;;
	bin) echo "${E2E_BIN_IMAGE:-dind-init:e2e-bin}" ;;
	deb) echo "${E2E_DEB_IMAGE:-dind-init:e2e-deb}" ;;
	ubuntu-static) echo "${E2E_USTATIC_IMAGE:-dind-init:e2e-ustatic}" ;;
	rootless) echo "${E2E_ROOTLESS_IMAGE:-dind-init:e2e-rootless}" ;;
	*) die "unknown variant '$1' (debian, dood, bin, deb, ubuntu-static or rootless)" ;;
	esac
}

# The binaries of Docker's static tarball, in its layout (docker/NAME).
static_names=(dockerd containerd containerd-shim-runc-v2 runc docker docker-proxy docker-init ctr)

# docker_tgz LOG: a tarball in the layout of Docker's static one (docker/dockerd, ...), made of
# the Debian binaries in the debian image; prints its path, then the packages that hold the
# shared libraries those binaries need (libc6 aside: every Debian base has it). The tarball's
# bytes depend only on the binaries (fixed owner, mode and time; gzip -n), so an unchanged
# image gives an unchanged tarball and the ubuntu-static build stays cached. The cache folder
# is shared by the runs of every worktree: each image has files of its own, named by its id
# (docker-static-debian-ID.tgz, and .pkgs beside it), each written to a mktemp file of the same
# folder and renamed into place, so that two runs never write the same file and a reader never
# sees half of one (.pkgs first: a tarball in place has its .pkgs).
docker_tgz() {
	local log=$1 image id found c tmp part out name path pkgs
	image=$(tag_of debian)
	id=$("$DOCKER" image inspect --format '{{.Id}}' "$image")
	id=${id#sha256:}
	out=$cache_dir/docker-static-debian-${id:0:16}.tgz
	# Made already from this very image: the tarball and the package list are still right.
	if [ -s "$out" ] && [ -e "$out.pkgs" ]; then
		echo "$out"
		cat "$out.pkgs"
		return
	fi
	found=$("$DOCKER" run --rm --entrypoint sh "$image" -c '
		for b in "$@"; do
			p=$(command -v "$b") || { echo "missing $b" >&2; exit 1; }
			echo "bin $b $p"
			ldd "$(readlink -f "$p")" 2>/dev/null | awk "/=> \\// { print \$3 }"
		done | while read -r a b c; do
			if [ "$a" = bin ]; then echo "$a $b $c"; else echo "lib $(dpkg -S "$(readlink -f "$a")" | cut -d: -f1)"; fi
		done' sh "${static_names[@]}" 2>>"$log") ||
		die "cannot find Docker's binaries in $image (see $log)"
	tmp=$(mktemp -d)
	c=$("$DOCKER" create --entrypoint true "$image")
	mkdir -p "$tmp/docker" "$cache_dir"
	while read -r kind name path; do
		[ "$kind" = bin ] || continue
		"$DOCKER" cp -L "$c:$path" "$tmp/docker/$name" >>"$log" 2>&1 ||
			die "docker cp $path out of $image failed (see $log)"
	done <<<"$found"
	"$DOCKER" rm "$c" >/dev/null
	chmod 755 "$tmp"/docker/*
	pkgs=$(awk '$1 == "lib" && $2 != "libc6" { print $2 }' <<<"$found" | sort -u | tr '\n' ' ')
	part=$(mktemp "$out.pkgs.XXXXXX")
	echo "$pkgs" >"$part"
	chmod 644 "$part"
	mv -f "$part" "$out.pkgs"
	part=$(mktemp "$out.XXXXXX")
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$tmp" -cf - docker |
		gzip -n >"$part"
	chmod 644 "$part"
	mv -f "$part" "$out"
	rm -rf "$tmp"
	echo "$out"
	echo "$pkgs"
}

build() {
	local variant=$1 tag log args=() tgz pkgs
	tag=$(tag_of "$variant")
	log=$log_dir/build-$variant.log
	: >"$log"
	case "$variant" in
	deb) args=(bin "$tag" -- --target deb) ;;
	ubuntu-static)
		for v in debian bin; do
			"$DOCKER" image inspect "$(tag_of "$v")" >/dev/null 2>&1 ||
				die "ubuntu-static needs $(tag_of "$v"): build the $v variant first"
		done
		tgz=$(docker_tgz "$log") || exit 1
		pkgs=$(sed -n 2p <<<"$tgz")
		tgz=$(sed -n 1p <<<"$tgz")
		args=(ubuntu-static "$tag" --docker-tgz "$tgz" -- --build-arg BASE=debian:trixie-slim
			--build-arg "BIN_IMAGE=$(tag_of bin)" --build-arg "EXTRA_PACKAGES=$pkgs")
		;;
	*) args=("$variant" "$tag") ;;
	esac
	if ! "$repo/images/build.sh" "${args[@]}" >>"$log" 2>&1; then
		echo "$prog: building images/${args[0]} as $tag failed; the build log ($log):" >&2
		cat "$log" >&2
		exit 1
	fi
}

case "${1:-}" in
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
	;;
esac
mkdir -p "$log_dir"
[ $# -gt 0 ] || set -- debian dood bin deb ubuntu-static rootless
for v in "$@"; do
	tag_of "$v" >/dev/null
	build "$v"
done
