#!/usr/bin/env bash
# Build-variant checks run by CTest (label `build`):
#   build-variant.sh static    DIR  fully static binary: `file` says so, and it runs
#   build-variant.sh sanitize  DIR  AddressSanitizer + UBSan build; unit and integration tests under it
set -euo pipefail
variant=$1
dir=$2
src=$(cd "$(dirname "$0")/.." && pwd)

case "$variant" in
static)
	cmake -S "$src" -B "$dir" -DDIND_INIT_STATIC=ON -DDIND_INIT_WERROR=ON -DDIND_INIT_TESTS=OFF >/dev/null
	cmake --build "$dir" -j "$(nproc)" >/dev/null
	file -L "$dir/dind-init"
	file -L "$dir/dind-init" | grep -q 'statically linked'
	size=$(stat -c %s "$dir/dind-init")
	echo "static dind-init: $size bytes"
	out=$("$dir/dind-init" -c /dev/null -q -- sh -c 'echo static-ok; exit 3') && rc=0 || rc=$?
	[ "$out" = static-ok ] && [ "$rc" = 3 ]
	;;
sanitize)
	cmake -S "$src" -B "$dir" -DDIND_INIT_SANITIZE=ON -DDIND_INIT_WERROR=ON -DDIND_INIT_BUILD_CHECKS=OFF >/dev/null
	cmake --build "$dir" -j "$(nproc)" >/dev/null
	# Any sanitizer report fails the run: abort on the first one.
	export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
	ctest --test-dir "$dir" -L 'unit|integration' --output-on-failure
	;;
*)
	echo "usage: $0 static|sanitize DIR" >&2
	exit 2
	;;
esac
