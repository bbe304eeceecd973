#!/usr/bin/env bash
# Run the local OpenAI-compatible LLM server (dasllama + SmolLM2-135M) for demos.
#
#   scripts/llm-server.sh [PORT] [extra dasllama-server flags...]
#   OPENAI_BASE_URL=http://127.0.0.1:8080/v1 OPENAI_API_KEY=unused ...
#
# The served model id is the file name, smollm2-135m-instruct-q8_0.gguf (GET
# /v1/models); a request naming any other model gets 404 model_not_found,
# one that omits "model" is served. Ctrl-C stops it.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${RAG_LLM_CACHE:-$HOME/.cache/rag-llm}"
PORT="${1:-8080}"
shift || true

MODEL="$("$SCRIPT_DIR/setup-llm.sh" | tail -n 1)"

echo "llm-server: serving $MODEL on http://127.0.0.1:$PORT/v1 (OPENAI_BASE_URL=http://127.0.0.1:$PORT/v1)" >&2
# Run from the cache dir: dasllama-server auto-loads a dasllama-server.toml
# from its working directory, and none should leak in from the caller's.
cd "$CACHE"
exec "$CACHE/venv/bin/dasllama-server" -m "$MODEL" --host 127.0.0.1 -p "$PORT" -t 2 --ctx 4096 "$@"
