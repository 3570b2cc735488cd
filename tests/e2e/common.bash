# Shared setup for the end-to-end tests: the real images, run by the host's dockerd, with real
# containerd and dockerd inside and nested `docker run`s of a tiny busybox image.
#
# Before the suite (CI does both; idempotent):
#   tests/e2e/docker-env.sh          host containerd + dockerd, base image
#   tests/e2e/build-images.sh        dind-init:e2e and dind-init:e2e-dood from this tree
#
# Environment (all optional):
#   E2E_IMAGE        the Docker-in-Docker image (default: dind-init:e2e)
#   E2E_DOOD_IMAGE   the Docker-outside-of-Docker image (default: dind-init:e2e-dood)
#   E2E_RUN_FLAGS    the `docker run` flags that give full privileges, one per line (default:
#                    what `tests/e2e/docker-env.sh --run-flags` prints: --privileged, or the
#                    fallback where --privileged is refused)
#   E2E_TINY_TAR     a `docker save` tarball of the nested image (default: made by
#                    `tests/e2e/docker-env.sh --tiny-image`)
#   E2E_TINY_IMAGE   the image name in that tarball (default: dind-init-e2e/tiny:latest)
#
# Each test names what it creates dind-e2e-<pid>-<test number>[-suffix] (containers and their
# /var/lib/docker volumes); teardown removes everything with that prefix.

bats_require_minimum_version 1.5.0

# Debian's client: another docker earlier in PATH (a static one in /usr/local/bin) may be another
# version, or talk to another daemon.
DOCKER=/usr/bin/docker
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${E2E_IMAGE:=dind-init:e2e}"
: "${E2E_DOOD_IMAGE:=dind-init:e2e-dood}"
: "${E2E_TINY_IMAGE:=dind-init-e2e/tiny:latest}"
if [ -x /usr/bin/python3 ]; then
	PYTHON=/usr/bin/python3
else
	PYTHON=$(command -v python3 || echo python3)
fi

# Upper bound for any one docker command, so a hung daemon fails the test instead of the suite.
# Outer waits are `dind-ctl wait --timeout 120s`, hence a little more.
CMD_TIMEOUT=180

setup_file() {
	if [ "$(id -u)" != 0 ]; then
		echo "end-to-end tests need root (they drive the host's dockerd)" >&2
		return 1
	fi
	if [ -z "${E2E_RUN_FLAGS:-}" ]; then
		E2E_RUN_FLAGS=$("$E2E_DIR/docker-env.sh" --run-flags) || return 1
	fi
	if [ -z "${E2E_TINY_TAR:-}" ]; then
		E2E_TINY_TAR=$("$E2E_DIR/docker-env.sh" --tiny-image) || return 1
	fi
	export E2E_RUN_FLAGS E2E_TINY_TAR
	local image
	for image in "$E2E_IMAGE" "$E2E_DOOD_IMAGE"; do
		"$DOCKER" image inspect "$image" >/dev/null 2>&1 || {
			echo "image $image is missing: run tests/e2e/build-images.sh first" >&2
			return 1
		}
	done
}

setup() {
	# Arrays cannot be exported from setup_file: the flags travel as lines.
	FLAGS=()
	mapfile -t FLAGS <<<"$E2E_RUN_FLAGS"
	PREFIX=dind-e2e-$$-$BATS_TEST_NUMBER
	# docker's name filters are regular expressions: test 1's must not match test 10's names.
	MINE="name=^$PREFIX(-.*)?\$"
}

teardown() {
	local ids c logs
	ids=$("$DOCKER" ps -aq --filter "$MINE" 2>/dev/null || true)
	if [ -z "${BATS_TEST_COMPLETED:-}" ]; then
		# The failure output shows what dind-init and the daemons said.
		for c in $("$DOCKER" ps -a --format '{{.Names}}' --filter "$MINE" 2>/dev/null); do
			logs=$(timeout 30 "$DOCKER" logs "$c" 2>&1 || true)
			echo "--- docker logs $c: dind-init's lines" >&2
			grep -v '^\[\(containerd\|dockerd\)\]' <<<"$logs" | tail -n 40 >&2
			echo "--- docker logs $c: the last lines" >&2
			tail -n 15 <<<"$logs" >&2
		done
	fi
	if [ -n "$ids" ]; then
		# shellcheck disable=SC2086
		timeout 120 "$DOCKER" rm -f -v $ids >/dev/null 2>&1 || true
	fi
	ids=$("$DOCKER" volume ls -q --filter "$MINE" 2>/dev/null || true)
	if [ -n "$ids" ]; then
		# shellcheck disable=SC2086
		timeout 60 "$DOCKER" volume rm -f $ids >/dev/null 2>&1 || true
	fi
}

# cname [SUFFIX]: a container name unique to this test (also the name of its volume)
cname() {
	echo "$PREFIX${1:+-$1}"
}

# d ARGS...: the host's docker client, bounded in time
d() {
	timeout --kill-after=10 "$CMD_TIMEOUT" "$DOCKER" "$@"
}

# dind_run NAME ARGS...: `docker run --rm` of a Docker-in-Docker container in the foreground,
# with the privileged flags and a named volume at /var/lib/docker; ARGS: more options, the
# image and its command
dind_run() {
	local name=$1
	shift
	d run --rm --name "$name" -v "$name:/var/lib/docker" "${FLAGS[@]}" "$@"
}

# dind_start NAME ARGS...: the same, detached, kept after it exits (for docker inspect/logs)
dind_start() {
	local name=$1
	shift
	d run -d --name "$name" -v "$name:/var/lib/docker" "${FLAGS[@]}" "$@" >/dev/null
}

# dind_wait NAME [SERVICE...]: until dind-init says those (default: all) services are ready
dind_wait() {
	local name=$1
	shift
	d exec "$name" dind-ctl wait --timeout 120s "$@"
}

# load_tiny NAME: load the tiny image into the nested dockerd
load_tiny() {
	d exec -i "$1" docker load <"$E2E_TINY_TAR" >/dev/null
}

# svc_field NAME SERVICE FIELD: one field of SERVICE in `dind-ctl status --json` inside NAME
svc_field() {
	d exec "$1" dind-ctl status --json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
s = [s for s in d["services"] if s["name"] == sys.argv[1]]
if not s:
    sys.exit("no service %s in the status" % sys.argv[1])
v = s[0][sys.argv[2]]
print("null" if v is None else v)' "$2" "$3"
}

# wait_until TRIES DELAY CMD...: run CMD until it succeeds, at most TRIES times, DELAY seconds
# apart; the last try's output is shown
wait_until() {
	local tries=$1 delay=$2
	shift 2
	for _ in $(seq $((tries - 1))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep "$delay"
	done
	"$@"
}

# restarted NAME SERVICE: SERVICE inside NAME has been restarted at least once
restarted() {
	local n
	n=$(svc_field "$1" "$2" restarts) || return 1
	[ "$n" -ge 1 ]
}

# nested_hello NAME: a nested `docker run` of the tiny image prints its output
nested_hello() {
	local out
	out=$(d exec "$1" docker run --rm "$E2E_TINY_IMAGE" echo hello-from-nested 2>&1) || {
		echo "$out" >&2
		return 1
	}
	[ "$out" = hello-from-nested ] || {
		echo "nested run printed: $out" >&2
		return 1
	}
}

# in_order FILE PATTERN...: the first lines of FILE matching each PATTERN exist and come in
# this order
in_order() {
	local file=$1 prev=0 n p
	shift
	for p in "$@"; do
		n=$(grep -n -m 1 -- "$p" "$file" | cut -d: -f1)
		if [ -z "$n" ] || [ "$n" -le "$prev" ]; then
			echo "expected in this order in $file: $*" >&2
			if [ -n "$n" ]; then
				echo "('$p' is at line $n, not after line $prev)" >&2
			else
				echo "('$p' is missing)" >&2
			fi
			cat "$file" >&2
			return 1
		fi
		prev=$n
	done
}

# refute CMD...: fail when CMD succeeds. A bare `! CMD` never fails a bats test (set -e ignores
# negated commands), so write `refute grep -q x file` instead.
refute() {
	if "$@"; then
		echo "expected to fail: $*" >&2
		return 1
	fi
}
