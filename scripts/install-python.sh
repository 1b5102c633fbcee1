#!/usr/bin/env bash
# Makes `import vmfa` work: installs what the Python package needs from Debian's packages (if
# missing), creates the virtual environment .venv (with --system-site-packages, so Debian's numpy,
# scipy and scikit-learn serve it; Debian's pip refuses to install into the system Python) and
# builds and installs ./python into it with the system setuptools (no network, no build isolation).
#   bash scripts/install-python.sh && .venv/bin/python -c "import vmfa; print(vmfa.__version__)"
# VENV=path chooses another environment (an existing one is reused).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --python
venv=${VENV:-.venv}
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install --quiet --no-build-isolation --no-index ./python
rm -rf python/build python/*.egg-info
"$venv/bin/python" -c "import vmfa; print('vmfa', vmfa.__version__, 'installed in $venv:', vmfa.__file__)"
