#!/usr/bin/env bash
# images/build.sh's argument handling and context preparation, against a fake docker client
# (DOCKER=...) that logs its calls, answers `image inspect` and `pull` from lists, and keeps a
# copy of what `docker build` would have sent as the context. No dockerd, no image is built.
#   - --docker-tgz LINK: the context holds the tarball itself (a regular file with its bytes),
#     not a link that dangles in the build; a dangling link is named as such;
#   - BIN_IMAGE: the default dind-init:bin is built from images/bin when missing; any other name
#     is pulled, never built locally and tagged with the user's (registry) name;
#   - the environment's DOCKER_VERSION (docker:* images set it) is not read; --docker-version is;
#   - --docker-sha256 takes `sha256:HEX` as well as HEX, and refuses what is not a sha256.
#
#   tests/package/build-sh.sh [SOURCE_DIR]
set -euo pipefail

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d /tmp/dind-init-build-sh.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# The fake client. FAKE_DIR/images: the local images, one a line; FAKE_DIR/registry: what
# `pull` finds; FAKE_DIR/calls: one line per call; FAKE_DIR/context-N: the Nth build's context,
# copied with its links as links (cp -a), and FAKE_DIR/context-N.types: `stat` of each entry.
cat >"$tmp/docker" <<'EOF'
#!/usr/bin/env bash
set -eu
echo "$*" >>"$FAKE_DIR/calls"
case "$1" in
info) exit 0 ;;
image) [ "$2" = inspect ] && grep -qxF -- "$3" "$FAKE_DIR/images" ;;
pull)
	grep -qxF -- "$2" "$FAKE_DIR/registry" || { echo "pull $2: not found" >&2; exit 1; }
	echo "$2" >>"$FAKE_DIR/images"
	;;
build)
	ctx=${!#}
	n=$(ls "$FAKE_DIR" | grep -c '^context-[0-9]*$' || true)
	cp -a "$ctx" "$FAKE_DIR/context-$n"
	(cd "$ctx" && find . -mindepth 1 -exec stat -c '%n %F' {} +) >"$FAKE_DIR/context-$n.types"
	# the tag: what `docker build -t TAG` makes
	while [ $# -gt 0 ]; do
		[ "$1" != -t ] || echo "$2" >>"$FAKE_DIR/images"
		shift
	done
	;;
*) echo "fake docker: unexpected call: $*" >&2; exit 1 ;;
esac
EOF
chmod 755 "$tmp/docker"
export DOCKER=$tmp/docker FAKE_DIR=$tmp/fake

# reset IMAGE...: a fresh fake with these local images
reset() {
	rm -rf "$FAKE_DIR"
	mkdir "$FAKE_DIR"
	printf '%s\n' "$@" >"$FAKE_DIR/images"
	: >"$FAKE_DIR/registry"
	: >"$FAKE_DIR/calls"
}

# run_build ARGS...: images/build.sh ARGS, its output in $out and its status in $rc
run_build() {
	rc=0
	out=$("$src/images/build.sh" "$@" 2>&1) || rc=$?
}

# build_call N: the Nth `docker build` call's arguments (from 1)
build_call() {
	grep '^build ' "$FAKE_DIR/calls" | sed -n "${1}p"
}

mkdir "$tmp/files"
head -c 4096 /dev/urandom >"$tmp/files/docker-real.tgz"
ln -s docker-real.tgz "$tmp/files/link.tgz"
ln -s missing.tgz "$tmp/files/dangling.tgz"
: >"$tmp/files/empty.tgz"
base=(ubuntu:22.04 dind-init:bin)

# 1. --docker-tgz through a relative symbolic link: the context gets the file itself.
reset "${base[@]}"
run_build ubuntu-static t:1 --docker-tgz "$tmp/files/link.tgz"
if [ "$rc" != 0 ]; then
	bad "--docker-tgz LINK failed ($rc): $out"
else
	grep -qx './docker.tgz regular file' "$FAKE_DIR/context-0.types" ||
		bad "--docker-tgz LINK: the context's docker.tgz is not a regular file: $(cat "$FAKE_DIR/context-0.types")"
	cmp -s "$tmp/files/docker-real.tgz" "$FAKE_DIR/context-0/docker.tgz" ||
		bad "--docker-tgz LINK: the context's docker.tgz does not hold the tarball the link names"
fi
reset "${base[@]}"
run_build ubuntu-static t:1 --docker-tgz "$tmp/files/dangling.tgz" --docker-sha256 "$(printf '%064d' 0)"
[ "$rc" = 1 ] && [[ "$out" == *"dangling.tgz: a symbolic link to $tmp/files/missing.tgz, which does not exist"* ]] ||
	bad "--docker-tgz DANGLING-LINK: not refused with a message naming the link ($rc): $out"
! grep -q '^build ' "$FAKE_DIR/calls" || bad "--docker-tgz DANGLING-LINK: docker build ran all the same"
for f in missing.tgz empty.tgz; do
	reset "${base[@]}"
	run_build ubuntu-static t:1 --docker-tgz "$tmp/files/$f"
	[ "$rc" = 1 ] && [[ "$out" == *"--docker-tgz $tmp/files/$f: "* ]] ||
		bad "--docker-tgz $f: not refused ($rc): $out"
done

# 2. BIN_IMAGE. The default, missing: images/bin is built as dind-init:bin, then ubuntu-static.
reset ubuntu:22.04 debian:trixie-slim
run_build ubuntu-static t:2 --docker-tgz "$tmp/files/docker-real.tgz"
[ "$rc" = 0 ] || bad "ubuntu-static with dind-init:bin missing failed ($rc): $out"
[[ "$(build_call 1)" == "build -f $src/images/bin/Dockerfile -t dind-init:bin "* ]] ||
	bad "dind-init:bin missing: images/bin was not built first: $(cat "$FAKE_DIR/calls")"
[[ "$(build_call 2)" == "build -f $src/images/ubuntu-static/Dockerfile -t t:2 "* ]] ||
	bad "dind-init:bin missing: no build of ubuntu-static after it: $(cat "$FAKE_DIR/calls")"
# Another name, missing here and in its registry: pulled, and the build stops; nothing built.
reg=registry.invalid/someone/dind-init:1.0
reset ubuntu:22.04 debian:trixie-slim
run_build ubuntu-static t:3 --docker-tgz "$tmp/files/docker-real.tgz" -- --build-arg "BIN_IMAGE=$reg"
[ "$rc" = 1 ] && [[ "$out" == *"cannot pull $reg (BIN_IMAGE"* ]] ||
	bad "BIN_IMAGE=$reg (missing): not refused with a message naming it ($rc): $out"
grep -qx "pull $reg" "$FAKE_DIR/calls" || bad "BIN_IMAGE=$reg: no docker pull: $(cat "$FAKE_DIR/calls")"
! grep -q '^build ' "$FAKE_DIR/calls" ||
	bad "BIN_IMAGE=$reg: a local build ran (and would be tagged $reg): $(grep '^build ' "$FAKE_DIR/calls")"
# ... in its registry: pulled, then ubuntu-static is built on it; images/bin is not built.
reset ubuntu:22.04 debian:trixie-slim
echo "$reg" >"$FAKE_DIR/registry"
run_build ubuntu-static t:3 --docker-tgz "$tmp/files/docker-real.tgz" -- --build-arg="BIN_IMAGE=$reg"
[ "$rc" = 0 ] || bad "BIN_IMAGE=$reg (in its registry) failed ($rc): $out"
grep -qx "pull $reg" "$FAKE_DIR/calls" || bad "BIN_IMAGE=$reg: no docker pull: $(cat "$FAKE_DIR/calls")"
[ "$(grep -c '^build ' "$FAKE_DIR/calls")" = 1 ] && [[ "$(build_call 1)" == *" -t t:3 "* ]] ||
	bad "BIN_IMAGE=$reg: builds other than ubuntu-static's: $(grep '^build ' "$FAKE_DIR/calls")"

# 3. The version to download: --docker-version, never the environment's DOCKER_VERSION.
reset "${base[@]}"
DOCKER_VERSION=20.10.0 run_build ubuntu-static t:4 --docker-sha256 "$(printf '%064d' 1)"
[ "$rc" = 0 ] || bad "ubuntu-static with DOCKER_VERSION in the environment failed ($rc): $out"
[[ "$(build_call 1)" != *DOCKER_VERSION* ]] ||
	bad "the environment's DOCKER_VERSION reached the build: $(build_call 1)"
reset "${base[@]}"
DOCKER_VERSION=20.10.0 run_build ubuntu-static t:4 --docker-version 27.5.1 --docker-sha256 "$(printf '%064d' 1)"
[[ "$(build_call 1)" == *" --build-arg DOCKER_VERSION=27.5.1 "* ]] ||
	bad "--docker-version 27.5.1 did not reach the build ($rc): $(build_call 1) $out"
reset "${base[@]}"
run_build debian t:4 --docker-version 27.5.1
[ "$rc" = 1 ] && [[ "$out" == *"are for ubuntu-static only"* ]] || bad "--docker-version for debian: not refused ($rc): $out"

# 4. --docker-sha256: HEX, sha256:HEX (upper case too) give the same build argument; junk is refused.
sum=$(sha256sum "$tmp/files/docker-real.tgz" | cut -d' ' -f1)
for given in "$sum" "sha256:$sum" "sha256:${sum^^}"; do
	reset "${base[@]}"
	run_build ubuntu-static t:5 --docker-tgz "$tmp/files/docker-real.tgz" --docker-sha256 "$given"
	[[ "$rc" = 0 && "$(build_call 1)" == *" --build-arg DOCKER_SHA256=$sum "* ]] ||
		bad "--docker-sha256 $given: not passed as DOCKER_SHA256=$sum ($rc): $(build_call 1) $out"
done
for given in "${sum:1}" "md5:$sum" "${sum}0" "sha256:"; do
	reset "${base[@]}"
	run_build ubuntu-static t:5 --docker-tgz "$tmp/files/docker-real.tgz" --docker-sha256 "$given"
	[ "$rc" = 1 ] && [[ "$out" == *"--docker-sha256 '$given' is not a sha256"* ]] ||
		bad "--docker-sha256 $given: not refused as no sha256 ($rc): $out"
done

[ "$fail" = 1 ] || echo "images/build.sh: links followed, BIN_IMAGE pulled unless the default, --docker-version and sha256: sums handled"
exit "$fail"
