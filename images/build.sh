#!/usr/bin/env bash
# Build one image variant.
#
#   images/build.sh [OPTIONS] VARIANT [TAG] [OPTIONS] [-- DOCKER-BUILD-ARGS...]
#
#   VARIANT      debian | bin | ubuntu-static | dood (a folder of images/)
#   TAG          default: dind-init:VARIANT
#   --make-base  when a base image is missing and cannot be pulled, make debian:trixie-slim (or
#                debian:bookworm-slim) locally with images/make-base.sh (debootstrap + docker
#                import; root, about a minute)
#   ubuntu-static only:
#   --docker-tgz FILE     Docker's static binaries from FILE (docker-VERSION.tgz, or any tarball
#                         in its layout: docker/dockerd, docker/containerd, ...) instead of the
#                         download; a symbolic link is followed
#   --docker-sha256 SUM   the tarball's sha256 (64 hex digits, `sha256:` before them allowed):
#                         required for the download (Docker publishes no checksum file for
#                         these archives: pin the one you verified), checked for a
#                         --docker-tgz FILE when given
#   --docker-version V    the version to download (default: the Dockerfile's, 28.2.2); the
#                         environment's DOCKER_VERSION is NOT read (docker:* images set it)
#
# The build context is the repository root, except for ubuntu-static, whose context is a
# temporary folder holding only the tarball (dind-init comes from the image BIN_IMAGE: when it
# is the default dind-init:bin and missing, images/bin is built as dind-init:bin first; any
# other BIN_IMAGE that is missing is pulled). Build arguments go after --, e.g. for
# ubuntu-static:
#   -- --build-arg BASE=debian:trixie-slim --build-arg BIN_IMAGE=my/dind-init:bin
#      --build-arg EXTRA_PACKAGES="libseccomp2 ..."
#
# Environment: DOCKER (the client to run, default: docker).
set -euo pipefail

prog=images/build.sh
repo=$(cd "$(dirname "$0")/.." && pwd)
docker=${DOCKER:-docker}

die() {
	echo "$prog: $*" >&2
	exit 1
}

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
}

make_base=0 docker_tgz= docker_sha256= docker_version= variant= tag=
while [ $# -gt 0 ]; do
	case "$1" in
	--make-base) make_base=1 ;;
	--docker-tgz)
		[ $# -ge 2 ] || die "--docker-tgz needs a FILE"
		docker_tgz=$2
		shift
		;;
	--docker-sha256)
		[ $# -ge 2 ] || die "--docker-sha256 needs a SUM"
		docker_sha256=$2
		shift
		;;
	--docker-version)
		[ $# -ge 2 ] || die "--docker-version needs a VERSION"
		docker_version=$2
		shift
		;;
	-h | --help) usage && exit 0 ;;
	--) shift && break ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*)
		if [ -z "$variant" ]; then
			variant=$1
		elif [ -z "$tag" ]; then
			tag=$1
		else
			die "unexpected argument '$1' (docker build's arguments go after --)"
		fi
		;;
	esac
	shift
done
[ -n "$variant" ] || { usage >&2 && exit 2; }
tag=${tag:-dind-init:$variant}
dockerfile=$repo/images/$variant/Dockerfile
[ -f "$dockerfile" ] || die "no such variant '$variant': expected $dockerfile"
if [ "$variant" != ubuntu-static ] &&
	{ [ -n "$docker_tgz" ] || [ -n "$docker_sha256" ] || [ -n "$docker_version" ]; }; then
	die "--docker-tgz, --docker-sha256 and --docker-version are for ubuntu-static only"
fi
if [ -n "$docker_sha256" ]; then
	# As `sha256sum` prints it, or as image digests write it (sha256:...).
	sum=${docker_sha256#sha256:}
	sum=${sum,,}
	[[ "$sum" =~ ^[0-9a-f]{64}$ ]] ||
		die "--docker-sha256 '$docker_sha256' is not a sha256: 64 hex digits (sha256sum FILE prints them), optionally after 'sha256:'"
	docker_sha256=$sum
fi
[ -z "$docker_version" ] || [[ "$docker_version" =~ ^[0-9A-Za-z][0-9A-Za-z.~+_-]*$ ]] ||
	die "--docker-version '$docker_version' is not a version such as 28.2.2"

"$docker" info >/dev/null 2>&1 ||
	die "cannot talk to dockerd with '$docker' (is it running? as root, tests/e2e/docker-env.sh starts one)"

# Build arguments: the Dockerfile's ARG defaults before its first FROM, then --build-arg
# NAME=VALUE after -- (they may name a FROM's image: FROM ${BASE}).
declare -A build_args=() arg_defaults=()
while read -r kw def; do
	case "${kw^^}" in
	FROM) break ;;
	ARG) [[ "$def" != *=* ]] || build_args[${def%%=*}]=${def#*=} ;;
	esac
done <"$dockerfile"
for name in "${!build_args[@]}"; do arg_defaults[$name]=${build_args[$name]}; done
pass=("$@")
for ((i = 0; i < ${#pass[@]}; i++)); do
	a=${pass[$i]}
	case "$a" in
	--build-arg) a=${pass[$((i + 1))]:-} ;;
	--build-arg=*) a=${a#--build-arg=} ;;
	*) continue ;;
	esac
	[[ "$a" != *=* ]] || build_args[${a%%=*}]=${a#*=}
done

# resolve WORD: ${NAME} and $NAME in a FROM's image, from the build arguments
resolve() {
	local w=$1 name
	while [[ "$w" =~ \$\{?([A-Za-z_][A-Za-z0-9_]*)\}? ]]; do
		name=${BASH_REMATCH[1]}
		w=${w/"${BASH_REMATCH[0]}"/${build_args[$name]:-}}
	done
	echo "$w"
}

# Base images: every FROM that is not scratch or an earlier stage's name.
ensure_base() {
	local image=$1 from=$2
	"$docker" image inspect "$image" >/dev/null 2>&1 && return 0
	# dind-init itself, for a variant that copies it from the bin image: build that first, but
	# only as the default local tag. Any other name is the user's (a registry's, say): pulled,
	# never replaced by a local build that a later push would publish under that name.
	if [[ "$from" == *BIN_IMAGE* ]] && [ "$image" = "${arg_defaults[BIN_IMAGE]:-}" ]; then
		echo "$prog: $image is missing: building images/bin as $image first" >&2
		"$0" bin "$image" >&2
		return
	fi
	echo "$prog: base image $image is missing, pulling it" >&2
	"$docker" pull "$image" >/dev/null && return 0
	if [[ "$from" == *BIN_IMAGE* ]]; then
		die "cannot pull $image (BIN_IMAGE, where dind-init comes from): check the name, log in to
its registry, or build it here: $0 bin $image (or leave BIN_IMAGE at its default,
${arg_defaults[BIN_IMAGE]:-dind-init:bin}, which is built when missing)"
	fi
	if [ "$image" = debian:trixie-slim ] || [ "$image" = debian:bookworm-slim ]; then
		if [ "$make_base" = 1 ]; then
			echo "$prog: cannot pull $image: making it with debootstrap (images/make-base.sh)" >&2
			"$repo/images/make-base.sh" "$image"
			return
		fi
		die "cannot pull $image (offline?). Make it locally from a Debian mirror, as root:
    $0 --make-base $variant
(debootstrap --variant=minbase ${image#debian:} + docker import; see images/README.md)"
	fi
	die "cannot pull $image (offline?). Load it from elsewhere ('docker save $image' on a connected
machine, then 'docker load' here), or choose another base (see images/README.md)"
}

context=$repo
args=()
if [ "$variant" = ubuntu-static ]; then
	[ -z "$docker_version" ] || args+=(--build-arg "DOCKER_VERSION=$docker_version")
	[ -z "$docker_sha256" ] || args+=(--build-arg "DOCKER_SHA256=$docker_sha256")
	# A context of its own: only the tarball (docker.tgz), or nothing for the download.
	context=$(mktemp -d)
	trap 'rm -rf "$context"' EXIT
	if [ -n "$docker_tgz" ]; then
		# The file itself, not a link to it: a link in the context dangles in the build.
		real=$(readlink -f -- "$docker_tgz") || real=
		if [ -L "$docker_tgz" ] && { [ -z "$real" ] || [ ! -e "$real" ]; }; then
			die "--docker-tgz $docker_tgz: a symbolic link to ${real:-$(readlink -- "$docker_tgz")}, which does not exist: give the tarball's path"
		fi
		[ -e "$docker_tgz" ] || die "--docker-tgz $docker_tgz: no such file: give the path of docker-VERSION.tgz"
		[ -f "$real" ] || die "--docker-tgz $docker_tgz: not a regular file: give the path of docker-VERSION.tgz"
		[ -s "$real" ] || die "--docker-tgz $docker_tgz: the file is empty (an interrupted download?)"
		ln -- "$real" "$context/docker.tgz" 2>/dev/null || cp -- "$real" "$context/docker.tgz"
	elif [ -z "$docker_sha256" ] && [ -z "${build_args[DOCKER_SHA256]:-}" ]; then
		die "ubuntu-static downloads Docker's static binaries, and needs their sha256 to check them:
    $0 ubuntu-static --docker-sha256 SUM      (the sha256 of docker-VERSION.tgz that you verified)
or use a tarball you have: $0 ubuntu-static --docker-tgz FILE (see images/ubuntu-static/README.md)"
	fi
fi

stages=()
while read -r kw image _as name; do
	[ "${kw^^}" = FROM ] || continue
	for s in "${stages[@]}"; do [ "$s" != "$image" ] || continue 2; done
	[ "$image" = scratch ] || ensure_base "$(resolve "$image")" "$image"
	[ -z "${name:-}" ] || stages+=("$name")
done <"$dockerfile"

"$docker" build -f "$dockerfile" -t "$tag" "${args[@]}" "$@" "$context"
