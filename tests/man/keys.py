#!/usr/bin/env python3
"""The configuration keys that README.md, dind-init.ini(5), the parser and the default config
name, each as a sorted list (tests/man/check.sh compares them).

    keys.py readme README.md        keys of the "Configuration reference" section: its ini
                                    blocks and the first column of its "| key" tables
    keys.py man man/dind-init.ini.5 the keys the man page defines: .TP entries whose tag line
                                    starts with \fBKEY\fR =
    keys.py source config/keys.c    the names in the parser's key table ({ "name", TYPE(...) ... })
    keys.py ini config/dind-init.ini    keys set or shown (";key = ...") in a config file
"""
import re
import sys

KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def readme(text):
    m = re.search(r"^## Configuration reference$(.*?)^### dind-ctl$", text, re.M | re.S)
    if not m:
        sys.exit("README.md: no '## Configuration reference' section ending at '### dind-ctl'")
    keys = set()
    in_ini = False
    key_table = False
    for line in m.group(1).splitlines():
        if line.startswith("```"):
            in_ini = line.strip() == "```ini"
            continue
        if in_ini:
            k = re.match(r"^([a-z][a-z0-9_]*)\s*=", line)
            if k:
                keys.add(k.group(1))
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if re.match(r"^-+$", cells[0]):
                continue
            if cells[0].startswith("key"):
                key_table = True
                continue
            if key_table:
                for tok in re.findall(r"`([^`]*)`", cells[0]):
                    tok = re.sub(r"^\[[^]]*\]\s*", "", tok)
                    if KEY.match(tok):
                        keys.add(tok)
        else:
            key_table = False
    return keys


def man(text):
    return set(re.findall(r"^\.TP\n\\fB([a-z][a-z0-9_]*)\\fR = ", text, re.M))


def source(text):
    return set(re.findall(r'\{\s*"([a-z][a-z0-9_]*)",\s*[A-Z][A-Z_]*\(', text))


def ini(text):
    return set(re.findall(r"^;?([a-z][a-z0-9_]*)\s*=", text, re.M))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("readme", "man", "source", "ini"):
        sys.exit(__doc__)
    keys = set()
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            keys |= globals()[sys.argv[1]](f.read())
    for k in sorted(keys):
        print(k)


main()
