#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine, as root: installs the build and test
# dependencies, builds dind-init (warnings are errors), and runs every test through CTest:
# unit, integration, the static and sanitizer builds, libFuzzer runs of every parser (a bounded
# time each, label fuzz), the schema checks of the CI recipes (label recipes), the man pages
# (mandoc -Tlint; their keys against README.md and the parser), and end to end on a real Docker
# engine (the e2e fixture installs docker.io, starts containerd and dockerd, makes the base image and
# builds the images; see tests/e2e/docker-env.sh).
#   SKIP_DEPS=1 tests/run.sh    skip the apt-get step (dependencies already installed)
#   BUILD_DIR=dir               build folder (default: build)
#   CTEST_ARGS="-L unit"        pass arguments to ctest (e.g. a subset)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
	echo "tests/run.sh: run it as root (it installs packages, and the integration tests create PID namespaces)" >&2
	exit 1
fi

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	export DEBIAN_FRONTEND=noninteractive
	# node and npm for the recipe checks (tests/recipes), Debian's unless a node with its npm
	# is installed already (NodeSource's nodejs brings npm and conflicts with Debian's npm).
	node_pkgs="nodejs npm"
	if command -v node >/dev/null && command -v npm >/dev/null; then
		node_pkgs=
	fi
	apt-get update -qq
	# shellcheck disable=SC2086 # node_pkgs is a list of words, or nothing
	apt-get install -y -qq --no-install-recommends \
		build-essential cmake pkg-config file \
		libcap-dev libseccomp-dev libinih-dev libcmocka-dev libssl-dev \
		bats util-linux procps python3 iptables openssl strace iproute2 \
		clang libclang-rt-14-dev llvm mandoc $node_pkgs >/dev/null
	# The recipe checks' validators, as pinned in tests/recipes/package-lock.json.
	(cd tests/recipes && npm ci --no-audit --no-fund --loglevel=error)
fi

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DDIND_INIT_WERROR=ON
cmake --build "$build" -j "$(nproc)"
# shellcheck disable=SC2086 # CTEST_ARGS is a list of words on purpose
ctest --test-dir "$build" --output-on-failure ${CTEST_ARGS:-}
