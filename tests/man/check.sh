#!/usr/bin/env bash
# The man pages (man/*.[58]) against lint and against the rest of the tree:
#   - `mandoc -Tlint` has nothing to say about any page (style messages included);
#   - each page's .TH names this version of dind-init;
#   - dind-init.ini(5) defines exactly the keys of README.md's "Configuration reference"
#     (its ini blocks and "| key" tables), and exactly the keys of the parser's tables
#     (config/keys.c); every key the default config sets or shows is among them;
#   - the rendered page (what `man dind-init.ini` shows) has a "KEY = ..." line for each, on
#     one line (a .TP tag continued on the next source line falls into the entry's body);
#   - strict_config says what the loader does: only `yes` in the file, DIND_INIT_STRICT_CONFIG=no
#     from the environment;
#   - the OPTIONS of dind-init(8) and dind-ctl(8) hold every option of the programs' --help and
#     of their parsers' tables (init/main.c, supervisor/control_proto.c); dind-init(8)'s
#     ENVIRONMENT names every variable the code reads by name (getenv("NAME"));
#   - dind-ctl(8)'s example output has README.md's header line.
#
#   tests/man/check.sh [SOURCE_DIR [VERSION [DIND_INIT]]]
#       default: this tree, no version check, SOURCE_DIR/build/dind-init (the binary whose --help
#       is read, as dind-init and as dind-ctl)
set -euo pipefail

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
version=${2:-}
bin=${3:-$src/build/dind-init}
keys="python3 $src/tests/man/keys.py"
fail=0

bad() {
	echo "FAIL: $*" >&2
	fail=1
}

command -v mandoc >/dev/null || {
	echo "tests/man/check.sh: mandoc is missing: apt-get install mandoc (tests/run.sh installs it)" >&2
	exit 1
}

pages=("$src"/man/*.[58])
[ -e "${pages[0]}" ] || {
	echo "tests/man/check.sh: no man pages in $src/man" >&2
	exit 1
}
for p in "${pages[@]}"; do
	lint=$(mandoc -Tlint -W style "$p" 2>&1 || true)
	[ -z "$lint" ] || bad "mandoc -Tlint ${p#"$src"/}:
$lint"
	if [ -n "$version" ] && ! grep -q "^\.TH .*\"dind-init $version\"" "$p"; then
		bad "${p#"$src"/}: its .TH line does not say \"dind-init $version\" (the project's version): $(grep '^\.TH' "$p")"
	fi
done
for want in dind-init.8 dind-ctl.8 dind-certs.8 dind-init.ini.5; do
	[ -f "$src/man/$want" ] || bad "man/$want is missing"
done

# compare NAME_A FILE_A NAME_B FILE_B: the two key lists are the same
compare() {
	local only_a only_b
	only_a=$(comm -23 "$2" "$4" | tr '\n' ' ')
	only_b=$(comm -13 "$2" "$4" | tr '\n' ' ')
	[ -z "$only_a" ] || bad "keys in $1 but not in $3: $only_a"
	[ -z "$only_b" ] || bad "keys in $3 but not in $1: $only_b"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
man5=$src/man/dind-init.ini.5
$keys readme "$src/README.md" >"$tmp/readme"
$keys man "$man5" >"$tmp/man"
$keys source "$src"/config/*.c >"$tmp/source"
$keys ini "$src/config/dind-init.ini" >"$tmp/ini"
# A list this short means the extraction broke, not the documentation.
for l in readme man source; do
	[ "$(wc -l <"$tmp/$l")" -ge 40 ] || bad "only $(wc -l <"$tmp/$l") keys found in the $l list: has its format changed? (tests/man/keys.py reads it)"
done
compare "README.md's Configuration reference" "$tmp/readme" "dind-init.ini(5)" "$tmp/man"
compare "the parser's key tables (config/*.c)" "$tmp/source" "dind-init.ini(5)" "$tmp/man"
missing=$(comm -23 "$tmp/ini" "$tmp/man" | tr '\n' ' ')
[ -z "$missing" ] || bad "keys of config/dind-init.ini that dind-init.ini(5) does not describe: $missing"

# What a reader sees: each key at the start of an entry of the rendered page.
mandoc -Tascii "$man5" | sed "s/.\x08//g" >"$tmp/rendered"
while read -r k; do
	grep -Eq "^ +$k = " "$tmp/rendered" || bad "the rendered dind-init.ini(5) has no '$k = ...' entry"
done <"$tmp/readme"

# A .TP tag is one line: a tag that ends in '|' or ',' went on to the next line, which then
# renders as the start of the entry's text (seccomp's PATH did).
for p in "${pages[@]}"; do
	awk -v f="${p#"$src"/}" 'prev == ".TP" && /[|,][ \t]*$/ { print f ":" NR ": a .TP tag continued on the next line: " $0 } { prev = $0 }' "$p" >"$tmp/tags"
	[ ! -s "$tmp/tags" ] || bad "$(cat "$tmp/tags")"
done
grep -Eq '^ +seccomp = none \| default \| deny:SYSCALL,\.\.\. \| PATH$' "$tmp/rendered" ||
	bad "the rendered dind-init.ini(5) has no tag line 'seccomp = none | default | deny:SYSCALL,... | PATH'"

# entry KEY: the rendered text of KEY's entry in dind-init.ini(5), joined into one line
entry() {
	awk -v k="$1" '$0 ~ "^ +" k " = " { on = 1; print; next } on && (/^ +[a-z_]+ = / || /^[A-Z]/) { exit } on' \
		"$tmp/rendered" | tr -s ' \n' '  '
}
strict=$(entry strict_config)
grep -Eq '^ +strict_config = yes$' "$tmp/rendered" ||
	bad "dind-init.ini(5): strict_config offers more than yes (the file cannot say no: a load error): ${strict:0:80}"
[[ "$strict" == *"DIND_INIT_STRICT_CONFIG=no"* && "$strict" == *"load error"* ]] ||
	bad "dind-init.ini(5): strict_config does not say that no is a load error and that DIND_INIT_STRICT_CONFIG=no relaxes the check"
[[ "$strict" == *"seccomp allow-list"* ]] || bad "dind-init.ini(5): strict_config does not say that seccomp allow-lists are checked too"

# section PAGE NAME: the rendered text of section NAME of man/PAGE
section() {
	mandoc -Tascii "$src/man/$1" | sed "s/.\x08//g" | awk -v s="$2" '/^[A-Z]/ { on = ($0 == s); next } on'
}
# has WORD TEXT: WORD in TEXT as a word of its own (an option, a variable)
has() {
	grep -Eq -- "(^|[^A-Za-z0-9_-])$1([^A-Za-z0-9_-]|\$)" <<<"$2"
}
# help_options: the options in a --help text on stdin: after '[', '|', ', ' or a line's indent
help_options() {
	grep -oE '(\[|\||^ +|, )--?[a-zA-Z][a-zA-Z-]*' | sed -E 's/^(\[|\||[ ,]+)//' | sort -u
}
if [ ! -x "$bin" ]; then
	bad "no dind-init binary at $bin to read --help from (pass it as the third argument)"
else
	"$bin" --help >"$tmp/init-help"
	(exec -a dind-ctl "$bin" --help) >"$tmp/ctl-help"
	# The parsers' tables: main.c's long options; control_proto.c's options with a value, and
	# those it compares by name.
	{
		help_options <"$tmp/init-help"
		grep -oE '\{ "[a-z][a-z-]*", (no|required|optional)_argument' "$src/init/main.c" | sed -E 's/\{ "([^"]*)".*/--\1/'
	} | sort -u >"$tmp/init-opts"
	{
		help_options <"$tmp/ctl-help"
		grep -oE "\\{ '[a-z]', \"--[a-z-]+\"" "$src/supervisor/control_proto.c" | sed -E "s/\\{ '(.)', \"([^\"]*)\"/-\\1\\n\\2/"
		grep -oE 'strcmp\(w, "--?[a-z][a-z-]*"\)' "$src/supervisor/control_proto.c" | sed -E 's/.*"(.*)".*/\1/'
	} | sort -u >"$tmp/ctl-opts"
	for pair in "dind-init.8 init" "dind-ctl.8 ctl"; do
		set -- $pair
		opts=$(section "$1" OPTIONS)
		[ "$(wc -l <"$tmp/$2-opts")" -ge 4 ] || bad "only $(wc -l <"$tmp/$2-opts") options found for ${1%.8}: has --help's format changed?"
		while read -r o; do
			has "$o" "$opts" || bad "man/$1: OPTIONS does not describe $o (in ${1%.8} --help or its parser)"
		done <"$tmp/$2-opts"
	done
fi
# The variables read by name, and CFG_STRICT_ENV's.
env=$(section dind-init.8 ENVIRONMENT)
{
	grep -ohE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' "$src"/init/*.c "$src"/core/*.c "$src"/supervisor/*.c "$src"/config/*.c |
		sed -E 's/getenv\("(.*)"\)/\1/'
	sed -nE 's/^#define CFG_STRICT_ENV "(.*)"/\1/p' "$src/config/config.h"
} | sort -u >"$tmp/env"
[ "$(wc -l <"$tmp/env")" -ge 5 ] || bad "only $(wc -l <"$tmp/env") environment variables found in the source: has its form changed?"
while read -r v; do
	has "$v" "$env" || bad "man/dind-init.8: ENVIRONMENT does not name $v (the code reads it)"
done <"$tmp/env"

# dind-ctl(8)'s example output: README's header line.
header=$(grep -m1 -E '^SERVICE +STATE ' "$src/README.md" || true)
[ -n "$header" ] || bad "README.md has no 'SERVICE  STATE ...' example line"
mandoc -Tascii "$src/man/dind-ctl.8" | sed "s/.\x08//g" | sed -E 's/^ +//' >"$tmp/ctl-rendered"
grep -qxF -- "$header" "$tmp/ctl-rendered" ||
	bad "dind-ctl(8)'s example output has not README's header line: $header"

if [ "$fail" = 0 ]; then
	echo "man pages: ${#pages[@]} pages lint-clean; dind-init.ini(5), README.md and the parser agree on $(wc -l <"$tmp/man") keys"
fi
exit "$fail"
