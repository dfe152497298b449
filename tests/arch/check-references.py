#!/usr/bin/python3
"""Evidence users can inspect: the citations of data/ against docs/references.md.

    python3 tests/arch/check-references.py [ROOT]

- docs/references.md: one entry per line, `- **key**: Authors. Title. ...`,
  sorted by key within each section; no key twice; every entry has authors,
  a title and a year (a four-digit year, or "n.d." for an undated page);
- every `[key]` in a quoted string or a comment of data/**/*.yaml (and of
  the population files examples/population-*.yaml), and every
  `reference:` of data/validation/*.yaml, is a key of docs/references.md;
- every `source:` value in data/**/*.yaml (a `source:` field, or an entry of
  a `sources:` map) cites at least one [key] or starts with `typical:` or
  `calibrated:`; a `calibrated:` value (in `source:` or `typical:`) cites the
  [keys] of the data it was fitted to;
- no text in data/ names a Markdown file other than docs/model.md and
  docs/references.md (files outside the project are not evidence).

Entries cited nowhere (data/, docs/, README.md) are reported as warnings.
Prints every problem and exits 1 if there is one; else a one-line summary.
The YAML is read line by line: data files keep each string on one line."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
problems = []
warnings = []

KEY = r"[a-z][a-z0-9-]*[a-z0-9]"
ENTRY_RE = re.compile(r"^- \*\*(" + KEY + r")\*\*:\s*(.*)$")
CITE_RE = re.compile(r"\[(" + KEY + r")\]")
YEAR_RE = re.compile(r"(?<![\d.:/-])(1[5-9]\d\d|20\d\d)(?!\d)|\bn\.d\.")
MD_RE = re.compile(r"[\w./-]*\w\.md\b")
ALLOWED_MD = {"docs/model.md", "docs/references.md"}


def rel(path):
    return os.path.relpath(path, root)


# ---- docs/references.md ----------------------------------------------------
refs_path = os.path.join(root, "docs", "references.md")
keys = {}
order = []
try:
    with open(refs_path, encoding="utf-8") as f:
        ref_lines = f.read().splitlines()
except OSError as e:
    print(f"check-references: cannot read {rel(refs_path)}: {e.strerror}")
    sys.exit(1)
section = 0
for n, line in enumerate(ref_lines, 1):
    if line.startswith("#"):
        section += 1
    if not line.startswith("- **"):
        continue
    where = f"docs/references.md:{n}"
    m = ENTRY_RE.match(line)
    if not m:
        problems.append(f"{where}: not an entry of the form '- **key**: Authors. Title. ...' "
                        "(keys: lower-case letters, digits and '-')")
        continue
    key, body = m.groups()
    if key in keys:
        problems.append(f"{where}: key '{key}' defined twice (first at line {keys[key]})")
        continue
    keys[key] = n
    order.append((section, key, where))
    authors, _, rest = body.partition(". ")
    title = re.split(r"(?<=[.?!]) ", rest, maxsplit=1)[0].rstrip(".") if rest else ""
    if not authors.strip() or ":" in authors:  # a title (or a journal) in the place of the authors
        problems.append(f"{where}: {key}: no authors")
    if not title.strip():
        problems.append(f"{where}: {key}: no title")
    undated = re.sub(r"doi:\S+|PMID \S+|PMCID \S+|URL \S+|\S+\.\w{2,4}/\S*", "", body)
    if not YEAR_RE.search(undated):
        problems.append(f"{where}: {key}: no year (a four-digit year, or n.d.)")
for (sa, a, _), (sb, b, where) in zip(order, order[1:]):
    if sa == sb and b < a:
        problems.append(f"{where}: '{b}' is out of order (the entries of a section are sorted "
                        f"by key; after '{a}')")


# ---- data/**/*.yaml ------------------------------------------------------------
def split_line(line):
    """The double-quoted strings of a YAML line, and its comment."""
    strings, comment = [], ""
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == '"':
            j, buf = i + 1, []
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(line[j])
                j += 1
            strings.append("".join(buf))
            i = j + 1
            continue
        if c == "#" and (i == 0 or line[i - 1] in " \t"):
            comment = line[i + 1:]
            break
        i += 1
    return strings, comment


def scalar(text):
    """The value after 'key:' on a line: a quoted string, or the plain rest."""
    text = text.strip()
    if text.startswith('"'):
        strings, _ = split_line(text)
        return strings[0] if strings else ""
    return text.split(" #", 1)[0].strip().strip("'")


SOURCE_RE = re.compile(r"^(\s*)(?:- )?source:\s*(.*)$")
TYPICAL_RE = re.compile(r"^\s*(?:- )?typical:\s*(\".*)$")
SOURCES_RE = re.compile(r"^(\s*)sources:\s*$")
MAP_ENTRY_RE = re.compile(r"^(\s*)([A-Za-z0-9_.-]+):\s*(.*)$")
REFERENCE_RE = re.compile(r"^\s*(?:- )?reference:\s*(.*)$")

cited = {}
n_sources = n_typical = n_calibrated = n_files = 0


def check_source(where, value, field="source"):
    global n_typical, n_calibrated
    cites = CITE_RE.findall(value)
    if value.startswith("calibrated:"):
        n_calibrated += 1
        if not cites:
            problems.append(f"{where}: {field} is calibrated but cites no [key] of the data it "
                            f"was fitted to: \"{value[:80]}\"")
    elif value.startswith("typical:"):
        n_typical += 1
    elif not cites:
        problems.append(f"{where}: {field} cites no [key] and does not start with typical: or "
                        f"calibrated:: \"{value[:80]}\"")


data_dir = os.path.join(root, "data")
yaml_files = []
for dirpath, dirnames, filenames in os.walk(data_dir):
    dirnames.sort()
    yaml_files += [os.path.join(dirpath, f) for f in sorted(filenames)
                   if f.endswith((".yaml", ".yml"))]
if not yaml_files:
    problems.append(f"{rel(data_dir)}: no YAML files")
# The population files of virtual trials (mnsim cohort): their
# distributions cite keys like data/ does.
ex_dir = os.path.join(root, "examples")
if os.path.isdir(ex_dir):
    yaml_files += [os.path.join(ex_dir, f) for f in sorted(os.listdir(ex_dir))
                   if f.startswith("population-") and f.endswith(".yaml")]

for path in yaml_files:
    n_files += 1
    is_validation = os.path.basename(os.path.dirname(path)) == "validation"
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    sources_indent = None
    for n, line in enumerate(lines, 1):
        where = f"{rel(path)}:{n}"
        strings, comment = split_line(line)
        for text in strings + [comment]:
            for key in CITE_RE.findall(text):
                cited.setdefault(key, where)
                if key not in keys:
                    problems.append(f"{where}: [{key}] is not a key of docs/references.md")
        for name in MD_RE.findall(line):
            if name not in ALLOWED_MD:
                problems.append(f"{where}: names '{name}': cite a publication of "
                                "docs/references.md, or docs/model.md")
        code = line.split(" #", 1)[0] if not line.lstrip().startswith("#") else ""
        if not code.strip():
            continue
        indent = len(code) - len(code.lstrip())
        if sources_indent is not None:
            m = MAP_ENTRY_RE.match(code)
            if indent > sources_indent and m:
                n_sources += 1
                check_source(where, scalar(m.group(3)), f"source of '{m.group(2)}'")
                continue
            sources_indent = None
        m = SOURCES_RE.match(code)
        if m:
            sources_indent = len(m.group(1))
            continue
        m = SOURCE_RE.match(code)
        if m:
            n_sources += 1
            check_source(where, scalar(m.group(2)))
            continue
        m = TYPICAL_RE.match(code)
        if m:
            value = scalar(m.group(1))
            if value.startswith("calibrated:") and not CITE_RE.search(value):
                problems.append(f"{where}: typical is calibrated but cites no [key] of the "
                                f"data it was fitted to: \"{value[:80]}\"")
            continue
        m = REFERENCE_RE.match(code)
        if m and is_validation:
            key = scalar(m.group(1))
            cited.setdefault(key, where)
            if key not in keys:
                problems.append(f"{where}: reference '{key}' is not a key of docs/references.md")

# ---- unused entries: cited nowhere in data/, docs/ or README.md (warning) ----
elsewhere = set()
doc_files = [os.path.join(root, "README.md")]
for dirpath, dirnames, filenames in os.walk(os.path.join(root, "docs")):
    doc_files += [os.path.join(dirpath, f) for f in filenames if f.endswith(".md")]
for path in doc_files:
    if os.path.abspath(path) == os.path.abspath(refs_path) or not os.path.exists(path):
        continue
    with open(path, encoding="utf-8") as f:
        elsewhere.update(CITE_RE.findall(f.read()))
for key in keys:
    if key not in cited and key not in elsewhere:
        warnings.append(f"docs/references.md:{keys[key]}: warning: '{key}' is cited nowhere")

for w in warnings:
    print(w)
for p in problems:
    print(p)
if problems:
    print(f"check-references: {len(problems)} problem(s)")
    sys.exit(1)
print(f"check-references: ok: {len(keys)} entries; {len(cited)} keys cited in {n_files} data "
      f"files; {n_sources} sources ({n_typical} typical, {n_calibrated} calibrated, the rest "
      f"cite publications); {len(warnings)} unused entr{'y' if len(warnings) == 1 else 'ies'}")
