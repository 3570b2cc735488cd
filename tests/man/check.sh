#!/usr/bin/env bash
# The man pages (man/*.[58]) against lint and against the rest of the tree:
#   - `mandoc -Tlint` has nothing to say about any page (style messages included);
#   - each page's .TH names this version of dind-init;
#   - dind-init.ini(5) defines exactly the keys of README.md's "Configuration reference"
#     (its ini blocks and "| key" tables), and exactly the keys of the parser's tables
#     (config/keys.c); every key the default config sets or shows is among them;
#   - the rendered page (what `man dind-init.ini` shows) has a "KEY = ..." line for each.
#
#   tests/man/check.sh [SOURCE_DIR [VERSION]]     default: this tree, no version check
set -euo pipefail

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
version=${2:-}
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

if [ "$fail" = 0 ]; then
	echo "man pages: ${#pages[@]} pages lint-clean; dind-init.ini(5), README.md and the parser agree on $(wc -l <"$tmp/man") keys"
fi
exit "$fail"
