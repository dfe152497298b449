#!/usr/bin/python3
"""The house rules (docs/architecture.md), checked on the source tree:

- every public header says its floor in its opening comment ("floor: X");
- no file includes a header of a floor above its own, nor of a sibling floor
  (report and store stand side by side above data: they may read input
  files through data, never each other);
- a .c file's floor is its folder under src/; a public header's floor is
  its tag; private headers (src/X/*.h) belong to their folder;
- with a build directory as second argument, the same on the symbols the
  compiled files define and use (nm): no file calls into a floor above it
  or a sibling floor, and no two files call each other in a circle (a
  module split in two must have a direction);
- the web app (src/web, a front end the command starts) never prints: no
  printf, puts, perror, no write to stdout or stderr (the command prints);
- no file under src/ is longer than 1,000 lines, and no function in src/cli
  longer than 150 lines;
- every file is written through src/base/file.c (no rename(), no fopen()
  for writing, no PLplot file name elsewhere), and GSL's process-wide error
  handler is set only by src/base/gsl_errors.c, once;
- only src/cli/cohort_mpi.c, the process layer of `mnsim cohort`, calls MPI
  (the library and the rest of the command run without it).

Prints every violation and exits 1 if there is one."""
import os
import re
import sys

RANK = {"base": 0, "model": 1, "therapy": 2, "data": 3, "report": 4, "store": 4, "web": 5,
        "cli": 6}
MAX_FILE_LINES = 1000
MAX_CLI_FUNCTION_LINES = 150

# Calls that only one file may make: files are written whole or not at all
# through src/base/file.c (mnsim/file.h); GSL's process-wide error handler
# is set once, by src/base/gsl_errors.c (mnsim/error.h).
OWNED_CALLS = [
    (r"\brename\s*\(", "src/base/file.c", "renames a file"),
    (r"\bfopen\s*\([^;]*?,\s*\"[wa]", "src/base/file.c", "opens a file for writing"),
    (r"\bplsfnam\s*\(", "src/base/file.c", "gives PLplot a file name to open"),
    (r"\bgsl_set_error_handler", "src/base/gsl_errors.c", "sets GSL's error handler"),
    # MPI is a front end's business: only the process layer of `mnsim
    # cohort` (built with or without MPI) calls it; the library never does.
    (r"\bMPI_[A-Z][a-z_]*\s*\(|#\s*include\s*<mpi\.h>", "src/cli/cohort_mpi.c",
     "calls MPI"),
]

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
problems = []


def header_floor(path):
    with open(path, encoding="utf-8") as f:
        head = f.read(2000)
    m = re.search(r"floor: (\w+)", head)
    return m.group(1) if m else None


floor_of = {}
for name in sorted(os.listdir(os.path.join(root, "include", "mnsim"))):
    if not name.endswith(".h") or name == "mnsim.h":  # the umbrella header: for programs
        continue
    fl = header_floor(os.path.join(root, "include", "mnsim", name))
    if fl not in RANK or fl in ("cli", "web"):
        problems.append(f"include/mnsim/{name}: no 'floor: X' (X one of base, model, therapy, data, report, store) in its opening comment")
    else:
        floor_of["mnsim/" + name] = fl


umbrella = open(os.path.join(root, "include", "mnsim", "mnsim.h"), encoding="utf-8").read()
for name in floor_of:
    if f'#include "{name}"' not in umbrella:
        problems.append(f"include/mnsim/mnsim.h: does not include {name} (every public header belongs in it)")


def allowed(me, dep):
    return me == dep or RANK[dep] < RANK[me]


def check_includes(path, me):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines, 1):
        m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
        if not m:
            continue
        inc = m.group(1)
        if inc == "mnsim/mnsim.h":
            if me != "cli":
                problems.append(f"{path}:{i}: includes the umbrella header mnsim/mnsim.h (only the command may)")
            continue
        if inc.startswith("mnsim/"):
            dep = floor_of.get(inc)
            if dep is None:
                problems.append(f"{path}:{i}: includes {inc}, which has no floor")
            elif not allowed(me, dep):
                problems.append(f"{path}:{i}: a file of floor '{me}' includes {inc} of floor '{dep}'")


private_includes = {}
for name, fl in sorted(floor_of.items()):
    check_includes(os.path.join(root, "include", name), fl)
src = os.path.join(root, "src")
for folder in sorted(os.listdir(src)):
    d = os.path.join(src, folder)
    if not os.path.isdir(d):
        continue
    if folder not in RANK:
        problems.append(f"src/{folder}: not a floor of docs/architecture.md")
        continue
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if not name.endswith((".c", ".h")):
            continue
        rel = f"src/{folder}/{name}"
        check_includes(p, folder)
        with open(p, encoding="utf-8") as f:
            text = f.read()
        n = text.count("\n")
        if n > MAX_FILE_LINES:
            problems.append(f"{rel}: {n} lines (at most {MAX_FILE_LINES})")
        if folder == "web":
            for m in re.finditer(r"\b(printf|puts|perror|putchar)\s*\(|\b(stdout|stderr)\b", text):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel}:{line}: prints (the web app never prints; the command does)")
        for pattern, owner, what in OWNED_CALLS:
            if rel != owner:
                for m in re.finditer(pattern, text):
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"{rel}:{line}: {what} (only {owner} may)")
        private_includes[rel] = [
            f"src/{folder}/{m}" for m in re.findall(r'#\s*include\s+"([^"/]+\.[ch])"', text)]
        if folder == "cli" and name.endswith(".c"):
            # A function starts at a line beginning with a type or name and
            # an opening parenthesis, its body at "{" in column 0 and ends
            # at "}" in column 0.
            lines = text.split("\n")
            start = None
            for i, line in enumerate(lines):
                if line.startswith("{"):
                    start = i
                    j = i - 1
                    while j > 0 and not re.match(r"^[A-Za-z_].*\(", lines[j]):
                        j -= 1
                    fname = re.search(r"(\w+)\s*\(", lines[j])
                    fname = fname.group(1) if fname else "?"
                elif line.startswith("}") and start is not None:
                    length = i - start + 1
                    if length > MAX_CLI_FUNCTION_LINES:
                        problems.append(f"{rel}:{start + 1}: function {fname} is {length} lines (at most {MAX_CLI_FUNCTION_LINES})")
                    start = None


def symbol_graph(build):
    """File -> files whose functions or data it uses, from the objects' symbols."""
    import subprocess
    objdir = os.path.join(build, "CMakeFiles", "mnsim_objects.dir", "src")
    # The web app is compiled into the command (mnsim_cli), beside src/cli.
    clidir = os.path.join(build, "CMakeFiles", "mnsim_cli.dir", "src")
    defined, used = {}, {}
    folders = [(objdir, f) for f in sorted(os.listdir(objdir))]
    if os.path.isdir(os.path.join(clidir, "web")):
        folders += [(clidir, "web"), (clidir, "cli")]
    for objdir, folder in folders:
        for name in sorted(os.listdir(os.path.join(objdir, folder))):
            if not name.endswith(".c.o"):
                continue
            rel = f"src/{folder}/{name[:-2]}"
            out = subprocess.run(["nm", "-P", os.path.join(objdir, folder, name)],
                                 capture_output=True, text=True, check=True).stdout
            used[rel] = set()
            for line in out.splitlines():
                parts = line.split()
                if len(parts) < 2:
                    continue
                sym, kind = parts[0], parts[1]
                if kind == "U":
                    used[rel].add(sym)
                elif kind in "TDRBC":
                    defined[sym] = rel
    return {f: sorted({defined[s] for s in syms if s in defined and defined[s] != f})
            for f, syms in used.items()}


def strongly_connected(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if len(sys.argv) > 2:
    graph = symbol_graph(sys.argv[2])
    for f, deps in sorted(graph.items()):
        me = f.split("/")[1]
        for d in deps:
            dep = d.split("/")[1]
            if not allowed(me, dep):
                problems.append(f"{f}: a file of floor '{me}' calls into {d} of floor '{dep}'")
    for comp in strongly_connected(graph):
        problems.append("files that call each other in a circle: " + ", ".join(comp))
    print(f"check-floors: {len(graph)} compiled files checked by their symbols")

for p in problems:
    print(p)
print(f"check-floors: {len(floor_of)} public headers, {len(private_includes)} source files, {len(problems)} problems")
sys.exit(1 if problems else 0)
