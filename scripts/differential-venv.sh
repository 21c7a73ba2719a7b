#!/usr/bin/env bash
# Creates build/differential-venv: a Python venv with the stock FastAPI, pydantic, starlette and
# uvicorn of test/differential/requirements.txt, which the differential tests run their
# reference apps on. pip uses its own configuration (index, mirror); nothing is fetched when
# the venv already holds exactly these requirements. Exits non-zero, saying why, when Python
# or the packages cannot be had.
#
#   bash scripts/differential-venv.sh          (PYTHON=python3.12 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=build/differential-venv
requirements=test/differential/requirements.txt
python=${PYTHON:-python3}
stamp="$venv/requirements.txt"

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
  echo "differential venv: $venv is up to date"
  exit 0
fi
if ! command -v "$python" >/dev/null; then
  echo "differential venv: $python not found (set PYTHON to a Python 3.10+ interpreter)" >&2
  exit 1
fi
rm -rf "$venv"
mkdir -p build
if ! "$python" -m venv "$venv"; then
  echo "differential venv: '$python -m venv' failed (on Debian: apt-get install python3-venv)" >&2
  exit 1
fi
# Few retries: an unreachable index should fail in seconds, not minutes.
if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --retries "${PIP_RETRIES:-1}" -r "$requirements"; then
  rm -rf "$venv"
  echo "differential venv: pip could not install $requirements (is a package index or mirror configured and reachable?)" >&2
  exit 1
fi
cp "$requirements" "$stamp"
echo "differential venv: $venv ready ($("$venv/bin/python" -c 'import fastapi, pydantic, starlette, uvicorn; print(f"fastapi {fastapi.__version__}, pydantic {pydantic.VERSION}, starlette {starlette.__version__}, uvicorn {uvicorn.__version__}")'))"
