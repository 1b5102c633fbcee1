#!/usr/bin/env python3
"""Compiles the C++ code blocks of the README and the library guide, and runs the complete programs.

    check_snippets.py --cxx g++ --build DIR [--flag F ...] [--lib L ...] FILE.md ...

Every ```cpp block of each FILE becomes part of one translation unit (one compile for all); the
`#include` lines of every block go to its top:
- a block with `int main(` is a program: its `#include` lines go to the top, the rest into a namespace
  of its own with `main` renamed; the generated main runs each program and fails if one returns non-zero;
- a block that begins (after comments and blank lines) with `template`, `class` or `struct` holds
  declarations (e.g. a policy class): they are compiled at namespace scope, before every other block,
  so that fragments and programs can use them;
- any other block is a fragment of statements: it is compiled inside a function that provides what the
  documents' fragments assume, `vmfa::Options opt` and `Eigen::MatrixXf X`, and is not run.
Exits non-zero, naming the file and line of the block, when the compile or a program fails.
"""
import argparse
import pathlib
import re
import subprocess
import sys


def blocks(path):
    """(line number, code) of every ```cpp block in a Markdown file."""
    out, code, start = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if code is None and line.strip() == "```cpp":
            code, start = [], number + 1
        elif code is not None and line.strip() == "```":
            out.append((start, "\n".join(code)))
            code = None
        elif code is not None:
            code.append(line)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--flag", action="append", default=[])
    ap.add_argument("--lib", action="append", default=[], help="linker argument, after the source")
    ap.add_argument("files", nargs="+")
    args = ap.parse_intermixed_args()

    includes, declarations, bodies, programs = ["#include <vmfa/vmfa.hpp>", "#include <iostream>"], [], [], []
    count = 0
    for name in args.files:
        path = pathlib.Path(name)
        found = blocks(path)
        if not found:
            sys.exit(f"check_snippets: {name} has no ```cpp block")
        for line, code in found:
            count += 1
            where = f"{path.name}:{line}"
            tag = f"snippet_{count}"
            first = next((l.strip() for l in code.splitlines()
                          if l.strip() and not l.strip().startswith("//") and not l.startswith("#include")), "")
            if re.match(r"(template\b|class\b|struct\b)", first):
                own = [l for l in code.splitlines() if l.startswith("#include")]
                includes += [l for l in own if l not in includes]
                text = "\n".join("" if l.startswith("#include") else l for l in code.splitlines())
                declarations.append(f"// {where}\n#line {line} \"{path}\"\n{text}\n")
            elif re.search(r"\bint\s+main\s*\(", code):
                own = [l for l in code.splitlines() if l.startswith("#include")]
                rest = ["" if l.startswith("#include") else l for l in code.splitlines()]  # lines kept for #line
                includes += [l for l in own if l not in includes]
                text = "\n".join(rest)
                text = re.sub(r"\bint\s+main\s*\(\s*\)", "int program()", text)
                end = text.rindex("}")  # main's closing brace: main returns 0 when it falls off its end
                text = text[:end] + "  return 0;\n" + text[end:]
                bodies.append(f"// {where}\nnamespace {tag} {{\n#line {line} \"{path}\"\n{text}\n}}  // namespace {tag}\n")
                programs.append((tag, where))
            else:
                own = [l for l in code.splitlines() if l.startswith("#include")]
                includes += [l for l in own if l not in includes]
                code = "\n".join("" if l.startswith("#include") else l for l in code.splitlines())
                bodies.append(f"// {where}\nnamespace {tag} {{\n[[maybe_unused]] void fragment(vmfa::Options opt, "
                              f"const Eigen::MatrixXf& X) {{\n  (void)opt; (void)X;\n#line {line} \"{path}\"\n{code}\n}}\n}}  "
                              f"// namespace {tag}\n")
    runner = ["int main() {", "  int failures = 0;"]
    for tag, where in programs:
        runner += [f'  std::cerr << "== running the program of {where}" << std::endl;',
                   f"  if ({tag}::program() != 0) {{ std::cerr << \"FAILED: {where}\" << std::endl; ++failures; }}"]
    runner += ["  return failures == 0 ? 0 : 1;", "}"]
    source = "\n".join(includes) + "\n\n" + "\n".join(declarations) + "\n" + "\n".join(bodies) + "\n" + "\n".join(runner) + "\n"

    build = pathlib.Path(args.build)
    build.mkdir(parents=True, exist_ok=True)
    cpp, exe = build / "snippets.cpp", build / "snippets"
    cpp.write_text(source, encoding="utf-8")
    compile_cmd = [args.cxx, "-std=c++17", *args.flag, str(cpp), "-o", str(exe), *args.lib]
    print(f"check_snippets: {count} blocks from {', '.join(args.files)}; {len(programs)} programs", flush=True)
    if subprocess.run(compile_cmd).returncode != 0:
        sys.exit("check_snippets: the blocks do not compile (the #line markers name each block's file line)")
    if subprocess.run([str(exe)]).returncode != 0:
        sys.exit("check_snippets: a program failed")
    print("check_snippets: all blocks compile and every program ran")


if __name__ == "__main__":
    main()
