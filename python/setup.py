"""Builds vmfa's Python package with pyproject.toml: `python3 -m pip install ./python` (from the
repository root; `--no-build-isolation` where no package index is reachable; the C++ headers are
read from ../include). Needs pybind11, numpy, a C++17
compiler and Eigen 3.4 (EIGEN3_INCLUDE_DIR, default /usr/include/eigen3); OpenMP is used when the
compiler has it (VMFA_NO_OPENMP=1 turns it off)."""

import os
import re

from pybind11.setup_helpers import Pybind11Extension, build_ext
from setuptools import setup

here = os.path.dirname(os.path.abspath(__file__))
include = os.path.normpath(os.path.join(here, "..", "include"))
with open(os.path.join(include, "vmfa", "version.hpp")) as f:
    parts = dict(re.findall(r"#define VMFA_VERSION_(MAJOR|MINOR|PATCH) (\d+)", f.read()))
version = f"{parts['MAJOR']}.{parts['MINOR']}.{parts['PATCH']}"

openmp = [] if os.environ.get("VMFA_NO_OPENMP") else ["-fopenmp"]
core = Pybind11Extension(
    "vmfa._core",
    [os.path.join("src", "core.cpp")],
    include_dirs=[include, os.environ.get("EIGEN3_INCLUDE_DIR", "/usr/include/eigen3")],
    cxx_std=17,
    # Eigen 64-byte aligned, as in the CMake build of the project's programs (the AVX-512 kernels)
    extra_compile_args=["-O3", "-DNDEBUG", "-DEIGEN_MAX_ALIGN_BYTES=64"] + openmp,
    extra_link_args=openmp,
)

# The metadata is in pyproject.toml; setup.py adds what it cannot say: the version (read from the
# C++ headers, defined once there) and the compiled core.
setup(
    version=version,
    ext_modules=[core],
    cmdclass={"build_ext": build_ext},
)
