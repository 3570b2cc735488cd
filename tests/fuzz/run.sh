#!/usr/bin/env bash
# Build the libFuzzer targets with clang (if anything changed) and fuzz one of them for a bounded
# time; see tests/fuzz/README.md.
#   tests/fuzz/run.sh TARGET SECONDS [BUILD_DIR]
#     TARGET     config | argv | probe | values | notify | control | ctl | all
#     SECONDS    -max_total_time for each target; 0: only replay the seed corpus once
#     BUILD_DIR  build folder (default: build); everything goes into BUILD_DIR/fuzz/
#   FUZZ_SECONDS=N  overrides SECONDS (e.g. a longer run through ctest -L fuzz)
#   CC_FUZZ=clang-14, FUZZ_ARGS="-jobs=2 ..."  compiler and extra libFuzzer flags
# Exit status: 0 when no crash, leak, timeout or sanitizer report; else 1, with the reproducer.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
targets="config argv probe values notify control ctl"

usage() {
	echo "usage: $0 TARGET SECONDS [BUILD_DIR]   (TARGET: $targets | all)" >&2
	exit 2
}
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
target=$1
seconds=${FUZZ_SECONDS:-$2}
case " $targets all " in *" $target "*) ;; *) usage ;; esac
case $seconds in '' | *[!0-9]*) usage ;; esac
build=${3:-$src/build}
mkdir -p "$build/fuzz"
out=$(cd "$build/fuzz" && pwd)

# Largest input per target: a config file is longer than any one line or datagram.
max_len() {
	case $1 in
	config) echo 4096 ;;
	notify) echo 4160 ;; # NOTIFY_MSG_MAX (4096) and a bit over, for the size check
	*) echo 2048 ;;
	esac
}

find_cc() {
	local c
	for c in ${CC_FUZZ:-} clang clang-14 clang-15 clang-16 clang-19; do
		if command -v "$c" >/dev/null 2>&1; then
			echo "$c"
			return
		fi
	done
	echo "tests/fuzz/run.sh: clang not found: apt-get install clang libclang-rt-14-dev" >&2
	exit 1
}

# The pure library's sources, as the top-level CMakeLists.txt lists them for dind_config.
lib_sources() {
	sed -n '/^add_library(dind_config STATIC/,/)/p' "$src/CMakeLists.txt" |
		grep -o '[A-Za-z0-9_./-]*\.c'
}

build_all() {
	local cc sources stamp flags libs obj objs t s
	cc=$(find_cc)
	sources=$(lib_sources)
	if [ -z "$sources" ]; then
		echo "tests/fuzz/run.sh: no dind_config sources found in $src/CMakeLists.txt" >&2
		exit 1
	fi
	stamp="$out/.built"
	# Rebuild when any source, header, target or this script is newer than the last build.
	if [ -f "$stamp" ] && [ -z "$(find "$src/config" "$src/core" "$src/supervisor" "$src/init" "$here" \
		"$src/CMakeLists.txt" -newer "$stamp" \( -name '*.[ch]' -o -name '*.sh' -o \
		-name CMakeLists.txt \) -print -quit)" ]; then
		return
	fi
	echo "== building the fuzz targets with $cc into $out"
	# shellcheck disable=SC2054 # the commas belong to -fsanitize=
	flags=(-std=gnu11 -g -O1 -fno-omit-frame-pointer
		-fsanitize=address,undefined -fno-sanitize-recover=all
		-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
		-Wwrite-strings -fno-common
		-D_GNU_SOURCE "-DDIND_INIT_VERSION=\"fuzz\"" -I"$src")
	# Linked with all the project's libraries: the config loader resolves capability and
	# syscall names with libcap and libseccomp.
	# shellcheck disable=SC2207 # pkg-config output is a list of words
	libs=($(pkg-config --libs inih libcap libseccomp))
	# shellcheck disable=SC2207
	flags+=($(pkg-config --cflags inih libcap libseccomp))
	mkdir -p "$out/obj" "$out/bin"
	objs=()
	for s in $sources; do
		obj="$out/obj/$(echo "$s" | tr / _).o"
		"$cc" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$src/$s" -o "$obj"
		objs+=("$obj")
	done
	for t in $targets; do
		"$cc" "${flags[@]}" -fsanitize=fuzzer "$here/fuzz_$t.c" "${objs[@]}" "${libs[@]}" \
			-o "$out/bin/fuzz_$t"
	done
	touch "$stamp"
}

# Fuzz one target; 0 when clean.
fuzz_one() {
	local t=$1 bin="$out/bin/fuzz_$1" corpus="$out/corpus/$1" arts="$out/artifacts/$1"
	local log="$out/logs/$1.log" dict=() mode=() rc=0
	# A copy of the seeds: the corpus grows in the build folder, never in the repository.
	mkdir -p "$corpus" "$arts" "$out/logs"
	cp "$here/corpus/$t"/* "$corpus/"
	[ -f "$here/dict/$t.dict" ] && dict=("-dict=$here/dict/$t.dict")
	if [ "$seconds" = 0 ]; then
		mode=(-runs=0)
	else
		mode=("-max_total_time=$seconds")
	fi
	echo "== fuzz_$t: ${seconds}s, -max_len=$(max_len "$t"), corpus $corpus"
	# shellcheck disable=SC2086 # FUZZ_ARGS is a list of words on purpose
	"$bin" "${mode[@]}" "-max_len=$(max_len "$t")" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 "-artifact_prefix=$arts/" "${dict[@]}" ${FUZZ_ARGS:-} \
		"$corpus" >"$log" 2>&1 || rc=$?
	# Any sanitizer report counts, even if a future option lets the run go on after it.
	if [ "$rc" != 0 ] || grep -qE '^(==[0-9]+==)?ERROR: |runtime error: |contract broken' "$log"; then
		echo "FAIL fuzz_$t (exit $rc); log: $log" >&2
		if ! grep -E 'ERROR: |runtime error: |contract broken|SUMMARY: ' "$log" | head -n 5 >&2; then
			tail -n 5 "$log" >&2 # not a finding: a usage or setup error
		fi
		grep -A 40 -m 1 -E '^==[0-9]+==ERROR|runtime error: ' "$log" | grep -E '^ *#[0-9]' |
			head -n 12 >&2 || true
		grep -o 'Test unit written to .*' "$log" | sed 's/^Test unit written to /reproducer: /' >&2 || true
		echo "replay: $bin REPRODUCER" >&2
		return 1
	fi
	grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr '\n' ' ' || true
	echo
	echo "corpus: $(find "$corpus" -type f | wc -l) inputs"
	return 0
}

# One build at a time, should ctest run several targets in parallel.
exec 9>"$out/.lock"
flock 9
build_all
flock -u 9
exec 9>&-

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
	for s in llvm-symbolizer llvm-symbolizer-14 /usr/lib/llvm-*/bin/llvm-symbolizer; do
		if command -v "$s" >/dev/null 2>&1; then
			ASAN_SYMBOLIZER_PATH=$(command -v "$s")
			export ASAN_SYMBOLIZER_PATH
			break
		fi
	done
fi

status=0
if [ "$target" = all ]; then
	for t in $targets; do
		fuzz_one "$t" || status=1
	done
else
	fuzz_one "$target" || status=1
fi
exit $status
