#!/usr/bin/env bash
# Build the images the end-to-end tests run, from this repository: images/debian as
# dind-init:e2e and images/dood as dind-init:e2e-dood. Quiet: prints nothing on success and the
# build log on failure. Run it after tests/e2e/docker-env.sh (which starts dockerd and makes the
# base image); a rebuild after a source change takes seconds (the apt layers are cached).
#
#   tests/e2e/build-images.sh [VARIANT...]     default: debian dood
#
# Environment:
#   E2E_IMAGE        tag for images/debian (default: dind-init:e2e)
#   E2E_DOOD_IMAGE   tag for images/dood (default: dind-init:e2e-dood)
#   DIND_E2E_LOG     where the build logs go (default: /var/log/dind-init-e2e)
set -euo pipefail

prog=tests/e2e/build-images.sh
repo=$(cd "$(dirname "$0")/../.." && pwd)
log_dir=${DIND_E2E_LOG:-/var/log/dind-init-e2e}
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
	*) die "unknown variant '$1' (debian or dood)" ;;
	esac
}

build() {
	local variant=$1 tag log
	tag=$(tag_of "$variant")
	log=$log_dir/build-$variant.log
	if ! "$repo/images/build.sh" "$variant" "$tag" >"$log" 2>&1; then
		echo "$prog: building images/$variant as $tag failed; the build log ($log):" >&2
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
[ $# -gt 0 ] || set -- debian dood
for v in "$@"; do
	tag_of "$v" >/dev/null
	build "$v"
done
