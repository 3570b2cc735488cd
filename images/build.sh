#!/usr/bin/env bash
# Build one image variant with the repository root as the build context.
#
#   images/build.sh [--make-base] VARIANT [TAG] [-- DOCKER-BUILD-ARGS...]
#
#   VARIANT      debian | ubuntu-static | dood (a folder of images/)
#   TAG          default: dind-init:VARIANT
#   --make-base  when a base image is missing and cannot be pulled, make debian:trixie-slim (or
#                debian:bookworm-slim) locally with images/make-base.sh (debootstrap + docker
#                import; root, about a minute)
#
# Environment: DOCKER_VERSION (ubuntu-static: which docker-VERSION.tgz to use), DOCKER (the
# client to run, default: docker).
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

make_base=0
while [ $# -gt 0 ]; do
	case "$1" in
	--make-base) make_base=1 ;;
	-h | --help) usage && exit 0 ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || { usage >&2 && exit 2; }
variant=$1
shift
tag=dind-init:$variant
if [ $# -gt 0 ] && [ "$1" != -- ]; then
	tag=$1
	shift
fi
[ "${1:-}" != -- ] || shift
dockerfile=$repo/images/$variant/Dockerfile
[ -f "$dockerfile" ] || die "no such variant '$variant': expected $dockerfile"

"$docker" info >/dev/null 2>&1 ||
	die "cannot talk to dockerd with '$docker' (is it running? as root, tests/e2e/docker-env.sh starts one)"

# Base images: every FROM that is not an earlier stage's name.
ensure_base() {
	local image=$1
	"$docker" image inspect "$image" >/dev/null 2>&1 && return 0
	echo "$prog: base image $image is missing, pulling it" >&2
	"$docker" pull "$image" >/dev/null && return 0
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
machine, then 'docker load' here); see images/README.md"
}

args=()
if [ "$variant" = ubuntu-static ]; then
	version=${DOCKER_VERSION:-$(sed -n 's/^ARG DOCKER_VERSION=//p' "$dockerfile")}
	tgz=$repo/images/ubuntu-static/docker-$version.tgz
	[ -s "$tgz" ] || die "missing $tgz; download it first:
    curl -fsSL -o $tgz https://download.docker.com/linux/static/stable/x86_64/docker-$version.tgz"
	args+=(--build-arg "DOCKER_VERSION=$version")
fi

stages=()
while read -r kw image _as name; do
	[ "${kw^^}" = FROM ] || continue
	for s in "${stages[@]}"; do [ "$s" != "$image" ] || continue 2; done
	ensure_base "$image"
	[ -z "${name:-}" ] || stages+=("$name")
done <"$dockerfile"

exec "$docker" build -f "$dockerfile" -t "$tag" "${args[@]}" "$@" "$repo"
