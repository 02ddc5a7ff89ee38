#!/usr/bin/env python3
"""Writes PythonFormatCases.cs and PythonReprCases.cs next to this script.

The expected strings come from the Python that runs this script (str.format and
repr); the C# files record its version. Re-run with `python3 generate_python_cases.py`.
"""

import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = sys.version.split()[0]


def cs(s):
    """A C# regular string literal."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 32 or ord(ch) > 126:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.375, 2.5, 3.5, -2.5, 1.005, 2.675,
    0.1, 0.1 + 0.2, 1 / 3, 2 / 3, 123.456, -123.456, 1234567.891, 0.000123456,
    1e-05, 1e-5 * 3, 0.0001, 0.001, 1e16, 1e17, 1.5e16, 1234567890123456.0,
    12345678901234567.0, 1e22, 1e100, 1.7976931348623157e308, 5e-324,
    2.2250738585072014e-308, 9.999999, 99.995, 0.9999, 0.99999999, 999999.5,
    9999999.0, 100.0, 1e-7, 6.02214076e23, float("nan"), float("inf"),
    float("-inf"), 0.2345, 0.6931471805599453, 0.30103, 1e-4 + 1e-20,
    2.2712, 2.27,
]

FLOAT_SPECS = [
    "", "d", ".4f", ".2f", ".0f", ".1f", "f", ".10f", ".2e", ".0e", "e", "E",
    ".3g", "g", "G", ".0g", ".1g", ".10g", "%", ".1%", ".0%", ".3", ".1",
    ".5", ".12", "+", "+.3f", " .2f", "-.2f", "10.3f", "<10.3f", ">10.3f",
    "^10.3f", "=10.3f", "*^12.2e", "_<9", "010.3f", "+010.2f", "012", ",",
    ",.2f", "_.3f", "015,.2f", "z.2f", "z.1e", "#.0f", "#.0e", "#g", "#.3g",
    "F", ".3F", "n", ".3n", "<05", "^07.1f", "0=10.2f", "x>8.1f", "+e", "r",
    ".2d", ".4",
]

INTS = [0, 1, 3, 7, 10, 99, 100, 123, 1234, 65535, 1234567, -1, -5, -1234, 2**40]

INT_SPECS = [
    "", "d", "02d", "03d", "05d", "+d", " d", "5", "<5", ">5", "^5", "*^7",
    "=+6", "x", "X", "#x", "#X", "o", "#o", "b", "#b", ",", "_", ",d", "08,d",
    "_x", "e", ".2e", "f", ".2f", ".3g", "g", "%", ".1%", "n", "<05", "0>5",
    ".2", "s", "+08.3f",
]

TEMPLATES = [
    # (template, {name: value}) the way Keras fills ModelCheckpoint's filepath.
    ("ckpt-{epoch:02d}-{val_loss:.4f}.keras", {"epoch": 3, "val_loss": 0.123456}),
    ("weights.{epoch:02d}-{val_loss:.2f}.h5", {"epoch": 12, "val_loss": 0.125}),
    ("model_{epoch}_{loss}.keras", {"epoch": 1, "loss": 0.30000000000000004}),
    ("{epoch:03d}/{val_accuracy:.2%}", {"epoch": 7, "val_accuracy": 0.98765}),
    ("e{epoch}b{batch:02d}.keras", {"epoch": 2, "batch": 5}),
    ("{{literal}}-{epoch:02d}", {"epoch": 9}),
    ("{loss!r}-{loss!s}", {"loss": 1e-05}),
    ("{epoch!s:>4}|{epoch!r:<4}|", {"epoch": 5}),
    ("{lr:.2e}_{epoch:d}", {"lr": 0.001, "epoch": 10}),
    ("x{val_loss:.3g}y{val_loss:g}", {"val_loss": 1234567.0}),
    ("{a}{b}{a}", {"a": 1, "b": 2.5}),
    ("ckpt-{epoch:02d}-{val_loss:.4}.weights", {"epoch": 3, "val_loss": 2.2712}),
    ("ckpt-{epoch:02d}-{val_loss:.4}.weights", {"epoch": 4, "val_loss": 2.27}),
    ("no fields at all", {}),
    ("}}{{", {}),
]


# Whole templates Python rejects (with x = 1.5): bad braces, positional fields, bad conversions.
BAD_TEMPLATES = ["{x", "x}", "a{x}b}", "{0}", "{}", "{x!z}", "{x!}", "{x:.}", "{x:.2f", "{y}", "{x[0]}", "{x:=<>5}"]


def value_text(v):
    return repr(v)


def format_rows():
    rows, errors = [], []
    for spec in FLOAT_SPECS:
        for v in FLOATS:
            template = "{x:" + spec + "}" if spec != "r" else "{x!r}"
            try:
                rows.append((template, "x", value_text(v), template.format(x=v)))
            except (ValueError, TypeError) as e:
                errors.append((template, "x", value_text(v), type(e).__name__ + ": " + str(e)))
    for spec in INT_SPECS:
        for v in INTS:
            template = "{x:" + spec + "}"
            try:
                rows.append((template, "x", value_text(v), template.format(x=v)))
            except (ValueError, TypeError, OverflowError) as e:
                errors.append((template, "x", value_text(v), type(e).__name__ + ": " + str(e)))
    for template in BAD_TEMPLATES:
        try:
            template.format(x=1.5)
            raise SystemExit("expected Python to reject " + template)
        except (ValueError, TypeError, IndexError, KeyError) as e:
            errors.append((template, "x", "1.5", type(e).__name__ + ": " + str(e)))
    # Deduplicate errors per template: one value of each kind is enough to show the rejection.
    seen, unique_errors = set(), []
    for e in errors:
        key = (e[0], e[2].lstrip("-").isdigit())
        if key not in seen:
            seen.add(key)
            unique_errors.append(e)
    return rows, unique_errors


def template_rows():
    out = []
    for template, args in TEMPLATES:
        names = ";".join(f"{k}={value_text(v)}" for k, v in args.items())
        out.append((template, names, template.format(**args)))
    return out


def write_format_cases():
    rows, errors = format_rows()
    lines = [
        "// <auto-generated> by generate_python_cases.py with Python " + VERSION + "; do not edit by hand. </auto-generated>",
        "// Each expected string is what Python " + VERSION + "'s str.format produced for that template and value.",
        "namespace Coordinator.Callbacks.Tests.Formatting;",
        "",
        "public static class PythonFormatCases",
        "{",
        '    public const string PythonVersion = "' + VERSION + '";',
        "",
        "    /// <summary>(template, field name, Python repr of the value, expected text).</summary>",
        "    public static readonly TheoryData<string, string, string, string> Single = new()",
        "    {",
    ]
    for t, n, v, e in rows:
        lines.append(f"        {{ {cs(t)}, {cs(n)}, {cs(v)}, {cs(e)} }},")
    lines += [
        "    };",
        "",
        "    /// <summary>(template, field name, Python repr of the value, Python's error) for templates Python rejects.</summary>",
        "    public static readonly TheoryData<string, string, string, string> Rejected = new()",
        "    {",
    ]
    for t, n, v, e in errors:
        lines.append(f"        {{ {cs(t)}, {cs(n)}, {cs(v)}, {cs(e)} }},")
    lines += [
        "    };",
        "",
        "    /// <summary>(template, \"name=repr;...\", expected text): whole ModelCheckpoint-style templates.</summary>",
        "    public static readonly TheoryData<string, string, string> Templates = new()",
        "    {",
    ]
    for t, a, e in template_rows():
        lines.append(f"        {{ {cs(t)}, {cs(a)}, {cs(e)} }},")
    lines += ["    };", "}", ""]
    with open(os.path.join(HERE, "PythonFormatCases.cs"), "w", newline="\n") as f:
        f.write("\n".join(lines))
    return len(rows), len(errors)


def repr_doubles():
    rng = random.Random(20240607)
    values = []
    # 80 uniform in [0, 1), 40 scaled over many decades, 80 arbitrary bit patterns.
    values += [rng.random() for _ in range(80)]
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(40)]
    while len(values) < 200:
        bits = rng.getrandbits(64)
        d = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if d == d:  # skip NaN payloads: repr is just 'nan'
            values.append(d)
    fixed = [
        0.0, -0.0, 1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 1e-05, 0.0001, 0.00012345,
        1e16, 1e15, 9999999999999998.0, 1e17, 1.5e16, 123456789012345678.0, 1e22,
        1e23, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2.0 ** 53,
        2.0 ** 53 + 2, 0.5, 100.0, 1e100, 1.23e-100, -3.14159, 9.5367431640625e-07,
        float("nan"), float("inf"), float("-inf"), 4.35, 0.07, 2.675, 1e-4 + 1e-20,
        0.010000000149011612, 0.0010000000474974513, 0.10000000149011612,
    ]
    return fixed + values


def write_repr_cases():
    lines = [
        "// <auto-generated> by generate_python_cases.py with Python " + VERSION + "; do not edit by hand. </auto-generated>",
        "// Each expected string is Python " + VERSION + "'s repr() of the double with the given IEEE-754 bits",
        "// (fixed cases, then 200 doubles drawn with random.Random(20240607)).",
        "namespace Coordinator.Callbacks.Tests.Formatting;",
        "",
        "public static class PythonReprCases",
        "{",
        "    /// <summary>(IEEE-754 bits as hex, expected repr).</summary>",
        "    public static readonly TheoryData<string, string> Doubles = new()",
        "    {",
    ]
    seen = set()
    for d in repr_doubles():
        bits = struct.unpack("<Q", struct.pack("<d", d))[0]
        if bits in seen:
            continue
        seen.add(bits)
        lines.append(f'        {{ "{bits:016X}", {cs(repr(d))} }},')
    lines += ["    };", "}", ""]
    with open(os.path.join(HERE, "PythonReprCases.cs"), "w", newline="\n") as f:
        f.write("\n".join(lines))
    return len(seen)


if __name__ == "__main__":
    n, e = write_format_cases()
    r = write_repr_cases()
    print(f"Python {VERSION}: {n} format cases, {e} rejected templates, {r} repr cases")
