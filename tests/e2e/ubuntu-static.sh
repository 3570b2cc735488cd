#!/usr/bin/env bash
# The core cases of dind.bats on the ubuntu-static image (Docker's static-binaries layout in
# /usr/local/bin, dind-init copied from the bin image): docker version as COMMAND, a nested run,
# a dockerd crash and restart, `docker restart` of the outer container, a clean `docker stop`,
# and stop-nested's kill of nested containers that ignore SIGTERM (ctr from the tarball).
#
#   tests/e2e/ubuntu-static.sh [BATS-ARGS...]
#
# Environment: E2E_USTATIC_IMAGE (default dind-init:e2e-ustatic, made by
# tests/e2e/build-images.sh), and those of common.bash.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
cases=(
	'docker version as COMMAND prints the Client and the Server sections and exits 0'
	'without COMMAND: dind-ctl wait, both services ready, a nested docker run prints its output'
	'kill -9 of dockerd: dind-init restarts it and the nested API answers again'
	'docker restart of the outer container: ready again and nested runs work'
	'docker stop: the nested container gets SIGTERM, dockerd then containerd stop, exit 0 with no SIGKILL'
	'docker stop with five nested containers that ignore SIGTERM: killed after their grace and logged, exit 0 within docker stop'"'"'s 10 s'
)
filter=
for c in "${cases[@]}"; do
	# the name as a regular expression, anchored
	filter+="${filter:+|}^$(sed 's/[][\\.*^$+?(){}|/]/\\&/g' <<<"$c")\$"
done
# A case renamed in dind.bats must not silently drop out of this list.
n=$(bats --count --filter "$filter" "$dir/dind.bats")
if [ "$n" != "${#cases[@]}" ]; then
	echo "tests/e2e/ubuntu-static.sh: $n of the ${#cases[@]} cases found in dind.bats: update the list (a test was renamed?)" >&2
	exit 1
fi
export E2E_IMAGE=${E2E_USTATIC_IMAGE:-dind-init:e2e-ustatic}
exec bats --filter "$filter" "$@" "$dir/dind.bats"
