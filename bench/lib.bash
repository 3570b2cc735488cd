# Shared by the bench/*.sh scripts: paths, builds, statistics and the result rows.
#
# A benchmark script prints its results on stdout, one tab-separated row per figure:
#   row  NAME  MEDIAN  MIN  MAX  RATIO  TARGET  MET
# (already formatted with units; empty fields are "-"), and its progress on stderr. bench/run
# turns the rows of all scripts into one table.
#
# Environment (all optional):
#   BENCH_QUICK=1     the --quick sizes (bench/run --quick sets it)
#   BENCH_ROUNDS      rounds of each interleaved comparison (default 5)
#   BENCH_REF         a git ref to benchmark (git archive of it) instead of the work tree
#   BENCH_CACHE       builds kept between runs (default /var/tmp/dind-init-bench)
#   E2E_IMAGE         the Docker-in-Docker image (default dind-init:e2e)
#   E2E_RUN_FLAGS     docker run flags, one per line (default: tests/e2e/docker-env.sh --run-flags)

# shellcheck disable=SC2034 # DIND_INIT, DIND_INIT_INI, FLAGS, RATIO_TXT are for the scripts
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
DOCKER=/usr/bin/docker
: "${BENCH_QUICK:=0}"
: "${BENCH_ROUNDS:=5}"
: "${BENCH_CACHE:=/var/tmp/dind-init-bench}"
: "${E2E_IMAGE:=dind-init:e2e}"
PROG=bench/$(basename "$0")

die() {
	echo "$PROG: $*" >&2
	exit 1
}

note() {
	echo "$PROG: $*" >&2
}

# bench_tmp: a fresh folder in $WORK, removed on exit (with whatever cleanup_hook adds)
bench_tmp() {
	WORK=$(mktemp -d /tmp/dind-init-bench.XXXXXX)
	trap bench_exit EXIT
	trap 'exit 130' INT TERM
}

bench_exit() {
	local rc=$?
	if declare -F cleanup_hook >/dev/null; then
		cleanup_hook || true
	fi
	rm -rf "$WORK"
	return "$rc"
}

# need_tools CMD...: each must be installed; the Debian package that has it is installed if not
need_tools() {
	local c pkg missing=()
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 && continue
		case "$c" in
		catatonit | tini | strace | gcc | cmake | git) pkg=$c ;;
		tini-static) pkg=tini ;;
		unshare) pkg=util-linux ;;
		*) die "$c is missing" ;;
		esac
		missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		die "missing: ${missing[*]} (apt-get install them)"
	fi
	note "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
		{ cat "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# helper NAME [LIB...]: path of bench/helpers/NAME.c compiled (cached; rebuilt when newer):
# statically, or, with LIBs (-lssl ...), linked with them dynamically (helpers run on the host)
helper() {
	local src=$BENCH_DIR/helpers/$1.c out=$BENCH_CACHE/helpers/$1 link=(-static)
	shift
	[ $# -eq 0 ] || link=("$@")
	mkdir -p "$BENCH_CACHE/helpers"
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		gcc -O2 -Wall -Wextra -o "$out.tmp" "$src" "${link[@]}" >&2 || die "compiling $src failed"
		mv "$out.tmp" "$out"
	fi
	echo "$out"
}

# build_dind_init: sets DIND_INIT (a static MinSizeRel build, as the images make it, of the
# work tree, or of $BENCH_REF)
# and DIND_INIT_INI (that tree's config/dind-init.ini). Incremental: the build folder is kept.
build_dind_init() {
	local src build log
	if [ -n "${BENCH_REF:-}" ]; then
		local commit
		commit=$(git -C "$REPO" rev-parse --verify "$BENCH_REF^{commit}") ||
			die "BENCH_REF=$BENCH_REF is not a commit"
		src=$BENCH_CACHE/src-ref
		build=$BENCH_CACHE/build-ref
		if [ "$(cat "$src/.commit" 2>/dev/null)" != "$commit" ]; then
			rm -rf "$src" "$build"
			mkdir -p "$src"
			git -C "$REPO" archive "$commit" | tar -x -C "$src"
			echo "$commit" >"$src/.commit"
		fi
	else
		src=$REPO
		build=$BENCH_CACHE/build
	fi
	log=$BENCH_CACHE/build.log
	mkdir -p "$BENCH_CACHE"
	if ! { cmake -S "$src" -B "$build" -DDIND_INIT_STATIC=ON -DCMAKE_BUILD_TYPE=MinSizeRel \
		-DDIND_INIT_TESTS=OFF && cmake --build "$build" -j "$(nproc)"; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "building dind-init from $src failed (log: $log)"
	fi
	DIND_INIT=$build/dind-init
	# dind-init refuses a config file that group or others may write (strict_config): a copy
	# with the mode the images give it, whatever the umask of the checkout or the archive.
	DIND_INIT_INI=$BENCH_CACHE/dind-init.ini
	install -m 644 "$src/config/dind-init.ini" "$DIND_INIT_INI"
}

# docker_env: FLAGS (the privileged run flags for this host); checks the image
docker_env() {
	[ "$(id -u)" = 0 ] || die "run it as root (it drives the host's dockerd)"
	local flags=${E2E_RUN_FLAGS:-}
	if [ -z "$flags" ]; then
		flags=$("$REPO/tests/e2e/docker-env.sh" --run-flags) || die "no Docker engine (tests/e2e/docker-env.sh failed)"
	fi
	FLAGS=()
	mapfile -t FLAGS <<<"$flags"
	"$DOCKER" image inspect "$E2E_IMAGE" >/dev/null 2>&1 ||
		die "image $E2E_IMAGE is missing: run tests/e2e/build-images.sh first"
}

# now_ns: CLOCK_REALTIME in ns, without a fork
now_ns() {
	local t=${EPOCHREALTIME/./}
	echo "${t}000"
}

# summary FILE: "median min max" of the numbers in FILE, one per line
summary() {
	sort -g "$1" | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.17g %.17g %.17g\n", m, v[1], v[NR]
		}'
}

# ratios FILE_A FILE_B OUT: line i of OUT is a_i / b_i (rounds measured next to each other)
ratios() {
	paste "$1" "$2" | awk '$2 > 0 { printf "%.17g\n", $1 / $2 }' >"$3"
}

# scale VALUE DIVISOR DECIMALS: VALUE / DIVISOR, formatted
scale() {
	awk -v v="$1" -v d="$2" -v p="$3" 'BEGIN { if (v == "nan") print "nan"; else printf "%.*f\n", p, v / d }'
}

# met VALUE OP LIMIT: yes or no (OP: le, ge, lt)
met() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v == "nan") { print "no"; exit }
		ok = (op == "le" && v <= l) || (op == "ge" && v >= l) || (op == "lt" && v < l)
		print ok ? "yes" : "no" }'
}

# row NAME MEDIAN MIN MAX [RATIO [TARGET [MET]]]
row() {
	printf 'row\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" "${6:--}" "${7:--}"
}

# row_from FILE NAME DIVISOR DECIMALS UNIT [RATIO [TARGET [MET]]]: a row from the numbers in FILE
row_from() {
	local file=$1 name=$2 div=$3 dec=$4 unit=$5 med min max
	read -r med min max < <(summary "$file")
	row "$name" "$(scale "$med" "$div" "$dec") $unit" "$(scale "$min" "$div" "$dec") $unit" \
		"$(scale "$max" "$div" "$dec") $unit" "${6:-}" "${7:-}" "${8:-}"
}

# ratio_text FILE: sets RATIO_MED (the median of the ratios in FILE) and RATIO_TXT
# ("median [min–max]"); no output, so call it outside $(...)
ratio_text() {
	local min max
	read -r RATIO_MED min max < <(summary "$1")
	RATIO_TXT="$(scale "$RATIO_MED" 1 2) [$(scale "$min" 1 2)–$(scale "$max" 1 2)]"
}
