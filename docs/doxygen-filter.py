#!/usr/bin/env python3
"""Doxygen's input filter for mnsim's public headers (docs/Doxyfile).

The headers document every function in plain C comments; this filter shows
them to Doxygen as documentation comments without rewriting the headers:

- the opening comment of a header ("mnsim: ... (floor: X)") documents the
  file;
- a comment on lines of its own documents the declaration after it;
- a comment after a declaration on the same line documents that
  declaration (a struct member, an enum value);
- section rulers ("/* ---- name ---- */") stay plain comments.

Lines are neither added nor removed, so Doxygen's line numbers stay right."""
import re
import sys

RULER = re.compile(r"^\s*/\*\s*-{3,}")
OWN_LINE = re.compile(r"^(\s*)/\*(?![*!])")
TRAILING = re.compile(r"^(\s*\S.*?)/\*(?![*!<])")


def convert(lines):
    out = []
    first = True  # before the header's opening comment
    in_comment = in_file_comment = False
    for line in lines:
        if in_comment:
            if "*/" in line:
                in_comment = False
                if in_file_comment:
                    line = line.replace("*/", "@file */", 1)
                    in_file_comment = False
            out.append(line)
            continue
        if first and line.startswith("/*"):
            line = "/**" + line[2:]
            first = False
            if "*/" in line:
                line = line.replace("*/", "@file */", 1)
            else:
                in_file_comment = in_comment = True
            out.append(line)
            continue
        elif RULER.match(line):
            pass
        elif OWN_LINE.match(line):
            line = OWN_LINE.sub(r"\1/**", line, count=1)
        elif "/*" in line and not line.lstrip().startswith(("#", "*")):
            line = TRAILING.sub(r"\1/**<", line, count=1)
        if line.strip():
            first = False
        start = line.rfind("/*")
        in_comment = start >= 0 and "*/" not in line[start:]
        out.append(line)
    return out


with open(sys.argv[1], encoding="utf-8") as f:
    sys.stdout.write("".join(convert(f.readlines())))
