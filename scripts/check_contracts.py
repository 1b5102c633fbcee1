#!/usr/bin/env python3
"""Pins the compile-time messages of the policy contracts (include/vmfa/policies.hpp).

    check_contracts.py --cxx g++ --build DIR [--flag F ...]

For each contract (E-step, M-step, graph) a policy derived from the library's own hides one
member (a deleted function of the same name), and the compile must fail with the message that
names that member. A control translation unit, the same policies with nothing hidden, must
compile, so that the failures come from the missing members and nothing else.
"""
import argparse
import pathlib
import subprocess
import sys

PRELUDE = """#include <vmfa/vmfa.hpp>
#include <cstdint>
"""

CASES = {
    "estep": ("""struct Policy : vmfa::TruncatedEStep<float> {
  using TruncatedEStep::TruncatedEStep;
  HIDE(void run() = delete;)
};
template class vmfa::Model<float, Policy>;
""", "vmfa: E-step policy is missing: EStepSummary run("),
    "mstep": ("""struct Policy : vmfa::ClosedFormMStep<float> {
  using ClosedFormMStep::ClosedFormMStep;
  HIDE(void solve() const = delete;)
};
template class vmfa::Model<float, vmfa::TruncatedEStep<float>, Policy>;
""", "vmfa: M-step policy is missing: void solve("),
    "graph": ("""struct Policy : vmfa::KlNeighborGraph {
  using KlNeighborGraph::KlNeighborGraph;
  HIDE(void neighbors() const = delete;)
};
template class vmfa::TruncatedEStep<float, Policy>;
""", "vmfa: graph policy is missing: const std::int32_t* neighbors(Index c) const"),
}


def compile_source(args, name, source):
    build = pathlib.Path(args.build)
    build.mkdir(parents=True, exist_ok=True)
    path = build / f"{name}.cpp"
    path.write_text(source, encoding="utf-8")
    done = subprocess.run([args.cxx, "-std=c++17", "-fsyntax-only", *args.flag, str(path)],
                          capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--flag", action="append", default=[])
    args = ap.parse_args()
    failures = 0
    control = PRELUDE + "#define HIDE(...)\n" + "".join(
        f"namespace {name} {{\n{code.split('template class')[0]}}}\ntemplate class {code.split('template class')[1].strip().replace('Policy', name + '::Policy')}\n"
        for name, (code, _) in CASES.items())
    rc, out = compile_source(args, "control", control)
    if rc != 0:
        print("FAILED: the control (no member hidden) does not compile:\n" + out[-3000:])
        failures += 1
    else:
        print("ok: the policies compile with every member present")
    for name, (code, message) in CASES.items():
        rc, out = compile_source(args, name, PRELUDE + "#define HIDE(...) __VA_ARGS__\n" + code)
        if rc == 0:
            print(f"FAILED: {name}: compiled with a member hidden")
            failures += 1
        elif message not in out:
            print(f"FAILED: {name}: the compiler's output does not contain \"{message}\":\n" + out[-3000:])
            failures += 1
        else:
            print(f"ok: {name}: \"{message}\"")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
