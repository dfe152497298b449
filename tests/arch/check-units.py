#!/usr/bin/python3
"""One written style of units, checked (docs/cli.md, "Units as mnsim writes them").

    python3 tests/arch/check-units.py [ROOT]     check the tree
    python3 tests/arch/check-units.py --self-test

What mnsim writes (the string literals of src/, outside comments) and the
documentation (README.md, docs/*.md, docs/mnsim.1, src/*/README.md):

- units are ASCII: no micro sign or Greek mu, no superscript digits, no
  degree sign, no HTML entity for them (&micro; &sup2; ...); powers are a
  digit after the unit (cm2, m3, um2/s), never a caret (cm^2);
- a unit after a number is the short one: s, min, h (not "hours", "mins",
  "secs"), um (not "microns"); concentrations mg/mL, ug/mL (capital L);
- names (JSON keys, CSV columns, key formats such as "%s_p5_pct") are
  lower-case ASCII snake_case; their unit is the last part (depth_um,
  dose_mg_cm2, flux_ug_cm2_h); a unit word in front of another part is an
  error (ready_days_p5), except `min` and `max` (minimum, maximum:
  depth_min_mm); percentiles are p5, p50, p95 (not p05); a name a quantity
  had before it got its one name (RETIRED) is not used again.

Input spellings stay accepted: the tables that list them (the unit tables of
src/base/units.c and src/data/compounds.c, the input-units table of
docs/cli.md) sit between the markers `units-check: input spellings` and
`units-check: end` (in a comment), and nothing between them is checked.
docs/research/ is left out: its notes quote their sources word for word.

Prints every problem and exits 1 if there is one; else a one-line summary.
--self-test plants a violation of every rule and checks that each is found."""
import glob
import os
import re
import sys

# ---- the rules ---------------------------------------------------------------

# Units as the last parts of a name.
UNIT_TOKENS = {
    "nm", "um", "mm", "cm", "m", "km", "um2", "mm2", "cm2", "m2", "cm3", "m3",
    "ng", "ug", "mg", "g", "kg", "ml", "l", "mol", "mm_s",
    "s", "min", "h", "days", "weeks", "months", "years",
    "n", "pa", "kpa", "mpa", "deg", "rad", "hz", "pct",
}
# Words for minimum and maximum, allowed before the unit.
NOT_UNITS_BEFORE_END = {"min"}
# Other spellings of a unit, never in a name.
FORBIDDEN_TOKENS = {
    "sec", "secs", "second", "seconds", "mins", "minute", "minutes", "hr", "hrs",
    "hour", "hours", "micron", "microns", "micrometer", "micrometers",
    "micrometre", "micrometres", "percent", "perc", "sqcm", "mcg",
}
# A quantity has one name: the names it had before, and the name it has.
RETIRED = {
    "channels_per_cm2": "density_per_cm2",
    "density_mean_per_cm2": "density_per_cm2",
    "punctures_per_cm2_per_pass": "density_per_pass_per_cm2",
    "channel_depth_um": "depth_um",
    "channel_width_um": "width_um",
    "depth_model_um": "depth_um",
    "depth_model_sd_um": "depth_sd_um",
    "depth_mean_um": "depth_sampled_um",
    "hit_earlier_fraction": "hit_fraction",
    "nn_p05_mm": "nn_p5_mm",
    "capillary_fraction": "bleeding_fraction",
    "in_dermis_ug_cm2": "dermis_ug_cm2",
    "sc_ug_cm2": "stratum_corneum_ug_cm2",
    "ve_ug_cm2": "viable_epidermis_ug_cm2",
    "t_min": "time_min",
    "intact_delivered_ug_cm2": "delivered_intact_ug_cm2",
    "intact_dermis_flux_ug_cm2_h": "dermis_flux_intact_ug_cm2_h",
    "intact_nerve_mg_ml": "nerve_intact_mg_ml",
    "vehicle_left_ug_cm2": "vehicle_ug_cm2",
    "open_fraction_end": "channels_open_at_end",
    "total_mm": "skin_total_um",
    "pih_risk": "hyperpigmentation_risk",
    "pih_index": "hyperpigmentation_index",
    "pih_high_share": "hyperpigmentation_high_share",
    "flagged": "overtreated",
    "flagged_share": "overtreated_share",
    "seconds": "elapsed_s",
    "seconds_total": "elapsed_s",
    "seconds_roll": "elapsed_roll_s",
    "seconds_heal": "elapsed_heal_s",
    "seconds_deliver": "elapsed_deliver_s",
    "seconds_output": "elapsed_output_s",
    "ready_days_p5": "ready_p5_days",
    "ready_days_p50": "ready_p50_days",
    "ready_days_p95": "ready_p95_days",
}

NUM = r"(?:\d|%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t)?[diouxXeEfgGaA])"
TEXT_RULES = [
    (re.compile("[\u00b5\u03bc]"), "micro sign or Greek mu: write um, ug"),
    (re.compile("[\u00b2\u00b3\u00b9\u2070-\u2079]"), "superscript digit: write cm2, m3"),
    (re.compile("\u00b0"), "degree sign: write deg (angles) or C"),
    (re.compile(r"&(?:micro|mu|sup[123]|deg|middot);"), "HTML entity for a unit: write um, cm2"),
    (re.compile(r"(?<![A-Za-z])(?:[kcmun]?m|mL|L|[kmun]?g|s)\^-?\d"), "caret power: write cm2, m3"),
    (re.compile(NUM + r"\s*(?:hours?|hrs?|minutes?|mins|seconds?|secs?|microns?)\b"),
     "long unit after a number: write h, min, s, um"),
    (re.compile(NUM + r"\s+d\b"), "days as d: write days"),
    (re.compile(r"\b[kmun]?g/ml\b"), "mg/ml: write mg/mL"),
]
MARK_OFF = "units-check: input spellings"
MARK_ON = "units-check: end"


def name_problems(name):
    """Why a name (JSON key, CSV column, key format) breaks the rule; [] if not."""
    n = name.replace("%s", "x")
    if not re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", n):
        return [f"'{name}' is not lower-case snake_case ASCII"]
    out = []
    if name in RETIRED:
        out.append(f"'{name}' is a retired name: the quantity is '{RETIRED[name]}'")
    tokens = n.split("_")
    bad = sorted(set(tokens) & FORBIDDEN_TOKENS)
    if bad:
        out.append(f"'{name}': write units as s, min, h, um, pct (not {', '.join(bad)})")
    for t in tokens:
        if re.fullmatch(r"p0\d", t):
            out.append(f"'{name}': percentiles are p5, p50, p95 (not {t})")
    end = len(tokens)
    while end > 0 and tokens[end - 1] in UNIT_TOKENS:
        end -= 1
    inner = [t for t in tokens[:end] if t in UNIT_TOKENS and t not in NOT_UNITS_BEFORE_END]
    if inner:
        out.append(f"'{name}': the unit ({', '.join(inner)}) must be the last part")
    return out


def text_problems(text):
    return [f"{why}: '{m.group(0)}'" for rx, why in TEXT_RULES for m in rx.finditer(text)]


# ---- reading C ---------------------------------------------------------------

def blank_comments(src):
    """Comments blanked (newlines kept), except the markers; strings kept."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            body = src[i:j]
            keep = MARK_OFF if MARK_OFF in body else MARK_ON if MARK_ON in body else ""
            out.append(re.sub(r"[^\n]", " ", body) if not keep else
                       "/*" + keep + "*/" + re.sub(r"[^\n]", " ", body)[len(keep) + 4:])
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            body = src[i:j]
            keep = MARK_OFF if MARK_OFF in body else MARK_ON if MARK_ON in body else ""
            out.append("/*" + keep + "*/" if keep else " " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def exempt_spans(src):
    """Character ranges between the markers."""
    spans, pos = [], 0
    while True:
        a = src.find(MARK_OFF, pos)
        if a < 0:
            return spans
        b = src.find(MARK_ON, a)
        b = len(src) if b < 0 else b
        spans.append((a, b))
        pos = b + 1


def c_unescape(body):
    raw = bytearray()
    i = 0
    simple = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, '"': 34, "'": 39, "a": 7,
              "b": 8, "f": 12, "v": 11, "?": 63}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            d = body[i + 1]
            if d == "x":
                m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
                raw.append(int(m.group(0), 16))
                i += 2 + len(m.group(0))
                continue
            raw.append(simple.get(d, ord(d)))
            i += 2
            continue
        raw.extend(c.encode("utf-8"))
        i += 1
    return raw.decode("utf-8", errors="replace")


LIT_RE = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ADJ_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*')


def literals(src):
    """(offset, text) of every string, adjacent literals joined."""
    for m in ADJ_RE.finditer(src):
        line_start = src.rfind("\n", 0, m.start()) + 1
        if src[line_start:m.start()].lstrip().startswith("#include"):
            continue
        yield m.start(), "".join(c_unescape(x) for x in LIT_RE.findall(m.group(0)))


def split_args(src, i):
    """Arguments of the call whose '(' is at src[i-1]; (args, end)."""
    depth, args, cur = 1, [], []
    while i < len(src) and depth:
        c = src[i]
        if c == '"':
            j = i + 1
            while src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            cur.append(src[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if depth == 1 and c == ",":
            args.append("".join(cur))
            cur = []
        elif depth:
            cur.append(c)
        i += 1
    args.append("".join(cur))
    return [a.strip() for a in args], i


JSON_CALL = re.compile(r"\bmn_json_(?:num|num_exact|int|str|bool|put)\s*\(")
KEY_PARAM_FN = re.compile(r"\n(?:static\s+)?[\w\s\*]+?\b(\w+)\s*\(([^;{)]*)\)\s*\{")


def names_in_c(src):
    """(offset, name) of every JSON key, key format and CSV column."""
    found = []
    # Functions taking a key: mn_json_* (key is argument 3) and the file's own
    # helpers with a parameter `key` (put_series, put_len, ...).
    key_at = {}
    for m in KEY_PARAM_FN.finditer(src):
        params = [p.strip() for p in m.group(2).split(",")]
        for k, p in enumerate(params):
            if re.search(r"\bkey$", p):
                key_at[m.group(1)] = k
    calls = [(m, 2) for m in JSON_CALL.finditer(src)]
    for fn, k in key_at.items():
        calls += [(m, k) for m in re.finditer(r"\b" + fn + r"\s*\(", src)
                  if not re.search(r"[\w*]\s*$", src[max(0, m.start() - 40):m.start()])]
    arrays = {}
    for m in re.finditer(r"\b(\w+)\s*\[\w*\]\s*=\s*\{([^}]*)\}", src):
        arrays[m.group(1)] = [(m.start(2) + x.start(), x.group(1))
                              for x in LIT_RE.finditer(m.group(2))]
    for m, k in calls:
        args, _ = split_args(src, m.end())
        if len(args) <= k:
            continue
        a = args[k]
        for x in LIT_RE.finditer(a):
            found.append((m.start(), c_unescape(x.group(1))))
        ref = re.fullmatch(r"(\w+)\s*\[.*\]", a)
        if ref and ref.group(1) in arrays:
            found += arrays[ref.group(1)]
    # Key formats: snprintf(key, ...).
    for m in re.finditer(r"\bsnprintf\s*\(\s*key\s*,", src):
        args, _ = split_args(src, src.index("(", m.start()) + 1)
        for x in LIT_RE.finditer(args[2] if len(args) > 2 else ""):
            found.append((m.start(), c_unescape(x.group(1))))
    # CSV header lines: column names separated by commas.
    for off, text in literals(src):
        t = text[:-1] if text.endswith("\n") else text
        if "%" in t.replace("%s", ""):
            continue
        if re.fullmatch(r",?[a-z%][a-z0-9_%]*(?:,[a-z%][a-z0-9_%]*)+|,[a-z%][a-z0-9_%]*", t):
            found += [(off, c) for c in t.split(",") if c]
    return found


# ---- the checks --------------------------------------------------------------

def check_c(path, src, problems):
    s = blank_comments(src)
    spans = exempt_spans(s)

    def exempt(off):
        return any(a <= off < b for a, b in spans)

    def where(off):
        return f"{path}:{s.count(chr(10), 0, off) + 1}"

    for off, text in literals(s):
        if not exempt(off):
            problems += [f"{where(off)}: {p}" for p in text_problems(text)]
    seen = set()
    for off, name in names_in_c(s):
        if exempt(off) or (off, name) in seen:
            continue
        seen.add((off, name))
        problems += [f"{where(off)}: {p}" for p in name_problems(name)]


def check_doc(path, text, problems, results_md=False, retired=False):
    """Text rules on every line; names in `code` spans (which may hold
    several, and run over lines): retired names, and in docs/results.md
    the naming rule. Nothing between the markers is checked."""
    kept, on = [], True
    for i, line in enumerate(text.split("\n"), 1):
        if MARK_OFF in line:
            on = False
        if MARK_ON in line:
            on = True
            kept.append("")
            continue
        if not on:
            kept.append("")
            continue
        kept.append(line)
        problems += [f"{path}:{i}: {p}" for p in text_problems(line)]
    body = re.sub(r"^```.*?^```", lambda m: re.sub(r"[^\n]", " ", m.group(0)),
                  "\n".join(kept), flags=re.S | re.M)
    for m in re.finditer(r"`([^`]+)`", body):
        line = body.count("\n", 0, m.start()) + 1
        for word in re.findall(r"[A-Za-z0-9_<>%]+", m.group(1)):
            if retired and "_" in word and word in RETIRED:
                problems.append(f"{path}:{line}: '{word}' is a retired name: "
                                f"the quantity is '{RETIRED[word]}'")
            if results_md and "_" in word:
                name = re.sub(r"<[a-z]+>", "%s", word)
                problems += [f"{path}:{line}: {p}" for p in name_problems(name)
                             if "retired" not in p]


def check_tree(root):
    problems = []
    for path in sorted(glob.glob(os.path.join(root, "src", "**", "*.[ch]"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            check_c(os.path.relpath(path, root), f.read(), problems)
    docs = [os.path.join(root, "README.md"), os.path.join(root, "docs", "mnsim.1")]
    docs += sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    docs += sorted(glob.glob(os.path.join(root, "src", "*", "README.md")))
    for path in docs:
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8") as f:
            check_doc(rel, f.read(), problems, results_md=rel == "docs/results.md",
                      retired=rel in ("docs/results.md", "docs/cli.md", "README.md"))
    return problems, len(docs)


# ---- proof that it bites ---------------------------------------------------------

PLANTED_C = [
    ('printf("%.0f \\xc2\\xb5m deep\\n", d);', "micro sign"),
    ('printf("%.0f um deep, 229 /cm^2\\n", d);', "caret power"),
    ('mn_rep_put(b, "<th>area cm&sup2;</th>");', "HTML entity"),
    ('printf("closed after %.1f hours\\n", t);', "long unit"),
    ('printf("%g mg/ml\\n", c);', "mg/ml"),
    ('snprintf(buf, n, "%.1f d", d);', "days as d"),
    ('mn_json_num(j, o, "ready_days_p5", x);', "must be the last part"),
    ('mn_json_num(j, o, "punctures_per_cm2_per_pass", x);', "must be the last part"),
    ('mn_json_num(j, o, "depthUm", x);', "snake_case"),
    ('mn_json_num(j, o, "closure_hours", x);', "write units as"),
    ('mn_json_num(j, o, "nn_p05_mm", x);', "percentiles"),
    ('mn_json_num(j, o, "channels_per_cm2", x);', "retired"),
    ('mn_json_num(j, o, density ? "density_per_cm2" : "channels_per_cm2", x);', "retired"),
    ('snprintf(key, sizeof key, "%s_pct_p5", name);', "must be the last part"),
    ('fprintf(f, "case,t_min,sc_ug_cm2\\n");', "retired"),
    ('static void put_series(mn_json *j, mn_jnode *o, const char *key, double v)\n{\n}\n'
     'void f(void) { put_series(j, o, "time_minutes", v); }', "write units as"),
]
CLEAN_C = [
    'printf("%.0f um deep, %.0f /cm2, %.3g ug/cm2/h, %g mg/mL\\n", a, b, c, d);',
    'mn_json_num(j, o, "dermis_flux_intact_ug_cm2_h", x);',
    'mn_json_num(j, o, "density_per_pass_per_cm2", x);',
    'mn_json_num(j, o, "depth_min_mm", x);',
    'snprintf(key, sizeof key, "%s_p95_pct", name);',
    'fprintf(f, "time_min,delivered_ug_cm2,nerve_mg_ml\\n");',
    '/* units-check: input spellings */\nstatic const char *u[] = {"cm^2/s", "\\xc2\\xb5m"};\n'
    '/* units-check: end */',
    '/* a comment may say cm^2 and \u00b5m */ int x;',
]


def self_test():
    failures = []
    for code, want in PLANTED_C:
        p = []
        check_c("planted.c", "\n" + code + "\n", p)
        if not any(want in x for x in p):
            failures.append(f"not found ({want}): {code!r} -> {p}")
    for code in CLEAN_C:
        p = []
        check_c("clean.c", "\n" + code + "\n", p)
        if p:
            failures.append(f"false alarm: {code!r} -> {p}")
    p = []
    check_doc("planted.md", "Channels 300 \u00b5m deep, 250/cm^2.\n"
              "| `closure_hours` | x |\nthe key `\"channels_per_cm2\"`\n",
              p, results_md=True, retired=True)
    for want in ("micro sign", "caret power", "write units as", "retired"):
        if not any(want in x for x in p):
            failures.append(f"doc: not found ({want}): {p}")
    p = []
    check_doc("clean.md", "<!-- units-check: input spellings -->\n| `um` (also `\u00b5m`), "
              "`cm^2` |\n<!-- units-check: end -->\n300 um, 250 /cm2\n", p)
    if p:
        failures.append(f"doc: false alarm: {p}")
    for f in failures:
        print(f"check-units self-test: {f}")
    if failures:
        return 1
    print(f"check-units self-test: {len(PLANTED_C) + 4} planted violations found, "
          f"{len(CLEAN_C) + 1} clean samples pass")
    return 0


def main():
    args = sys.argv[1:]
    if args[:1] == ["--self-test"]:
        return self_test()
    if self_test():
        return 1
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..")
    problems, n_docs = check_tree(root)
    for p in problems:
        print(p)
    if problems:
        print(f"check-units: {len(problems)} problem(s); the style: docs/cli.md, "
              "\"Units as mnsim writes them\"")
        return 1
    print(f"check-units: units and names of src/ and {n_docs} documents in one style")
    return 0


if __name__ == "__main__":
    sys.exit(main())
