#!/usr/bin/env python3
"""The layers of dind-init's source (ARCHITECTURE.md): which folder may include which, no
circle of files (a module is A.c and A.h together), no .c file over 1,000 lines.

A circle is looked for over includes and over calls: a function declared in one module's
header may be defined in another module's .c (init/setup.h declares what init/setup_net.c
defines), so a call to it is an edge to the module that defines it. A function handed over
as a value (a hook the caller registers) is no call: that is how a lower module tells a
higher one.

    tests/deps/check.py SOURCE_DIR

Exit status 0 when all holds; else 1, with every finding on stderr."""
import os
import re
import sys

# Each folder and what it may include besides itself: config/ (pure) <- supervisor/ (mechanism)
# <- init/ (PID-1 policy and main); core/ (log, event loop, small helpers) sits below
# supervisor/ and init/. config/ includes nothing of ours.
ALLOWED = {
    "core": set(),
    "config": set(),
    "supervisor": {"config", "core"},
    "init": {"supervisor", "config", "core"},
}
MAX_LINES = 1000
SIZE_CHECKED = ("core", "config", "supervisor", "init")
CIRCLE_CHECKED = ("core", "config", "supervisor", "init")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# A function definition: at the start of a line, not static, its body's brace on a line of its
# own (the .clang-format style).
DEFINITION = re.compile(r"^(?!static\b)[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\(([^;{}()]|\([^()]*\))*\)\s*\n\{",
                        re.M)
CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(\\.|[^"\\\n])*"|\'(\\.|[^\'\\\n])*\'', re.S)


def code_only(text):
    """The text without comments, strings and character constants (lines kept)."""
    return NOISE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def sources(root):
    for folder in ALLOWED:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield folder, f"{folder}/{name}"


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    problems = []
    edges = {}  # module -> {module: the file and the include or call that make the edge}
    texts = {}
    defined = {}  # function -> the module whose .c defines it
    for folder, path in sources(root):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            texts[path] = f.read()
        if path.endswith(".c") and folder in CIRCLE_CHECKED:
            for m in DEFINITION.finditer(code_only(texts[path])):
                defined.setdefault(m.group(1), path[:-2])
    for folder, path in sources(root):
        text = texts[path]
        if path.endswith(".c") and folder in SIZE_CHECKED:
            n = text.count("\n")
            if n > MAX_LINES:
                problems.append(f"{path}: {n} lines, more than {MAX_LINES}: split it by concern")
        module = path[:-2]
        for inc in INCLUDE.findall(text):
            top = inc.split("/")[0]
            if top not in ALLOWED:
                continue  # tests/, tls/: not a layer of dind-init
            if top != folder and top not in ALLOWED[folder]:
                problems.append(f'{path}: #include "{inc}": {folder}/ may include only '
                                f"{', '.join(sorted(ALLOWED[folder] | {folder}))}")
            target = inc[:-2] if inc.endswith(".h") else inc
            if target != module and folder in CIRCLE_CHECKED and top in CIRCLE_CHECKED:
                edges.setdefault(module, {}).setdefault(target, f'{path} includes "{inc}"')
        if path.endswith(".c") and folder in CIRCLE_CHECKED:
            for name in CALL.findall(code_only(text)):
                target = defined.get(name)
                if target and target != module:
                    edges.setdefault(module, {}).setdefault(
                        target, f"{path} calls {name}() of {target}.c")
    # A circle of files: module A includes B's header (from A.c or A.h) and B, maybe through
    # others, includes A's.
    state = {}
    stack = []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for t in sorted(edges.get(m, {})):
            if state.get(t) == "open":
                cycle = stack[stack.index(t):] + [t]
                why = "; ".join(edges[a][b] for a, b in zip(cycle, cycle[1:]))
                problems.append(f"circle of files: {' -> '.join(cycle)} ({why})")
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = "done"

    for m in sorted(edges):
        if m not in state:
            visit(m)
    for p in problems:
        print(f"tests/deps/check.py: {p}", file=sys.stderr)
    if problems:
        print(f"tests/deps/check.py: {len(problems)} problem(s); see ARCHITECTURE.md, "
              '"Layers"', file=sys.stderr)
        return 1
    print(f"layers ok: {len(edges)} modules, no circle, no file over {MAX_LINES} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
