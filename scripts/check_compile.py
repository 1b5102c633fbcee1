#!/usr/bin/env python3
"""Compile-checks sources without building them: every entry of a CMake compile_commands.json whose
file lies under one of the given folders is run again with -fsyntax-only in place of its output
(parsing, semantic checks and template instantiation with the target's real flags, no
optimisation or code generation). Exits non-zero, with the compiler's messages, if any fails.

    python3 scripts/check_compile.py BUILD/compile_commands.json FOLDER [FOLDER ...] [-j JOBS]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def syntax_only(entry):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        out.append(a)
    return out + ["-fsyntax-only"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("database")
    ap.add_argument("folders", nargs="+")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    with open(a.database) as f:
        entries = json.load(f)
    folders = [os.path.realpath(d) + os.sep for d in a.folders]
    chosen = [e for e in entries
              if any(os.path.realpath(os.path.join(e["directory"], e["file"])).startswith(d) for d in folders)]
    if not chosen:
        print(f"check_compile.py: no source of {a.database} lies under {', '.join(a.folders)}", file=sys.stderr)
        return 2

    def run(e):
        r = subprocess.run(syntax_only(e), cwd=e["directory"], capture_output=True, text=True)
        return e["file"], r.returncode, r.stderr

    failed = 0
    with ThreadPoolExecutor(max_workers=max(1, a.j)) as pool:
        for name, rc, err in pool.map(run, chosen):
            print(f"{'ok  ' if rc == 0 else 'FAIL'} {os.path.relpath(name)}")
            if err:
                sys.stderr.write(err)
            failed += rc != 0
    print(f"{len(chosen) - failed} of {len(chosen)} sources compile")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
