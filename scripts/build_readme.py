"""Assemble README.md from its parts (docs/*.md) so each section has one source."""

import re, subprocess, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent


def part(name, shift=0):
    p = root / "docs" / name
    if not p.exists():
        return ""
    text = p.read_text()
    # links written relative to docs/ become relative to the repo root
    text = re.sub(r"\]\(\.\./", "](", text)
    text = re.sub(r"\]\((?!http|#|docs/|/)([\w.-]+\.(png|md|svg))\)", r"](docs/\1)", text)
    return text.strip() + "\n"


settings = subprocess.run(
    [str(root / ".venv/bin/python"), "-m", "rag.settings_doc"], capture_output=True, text=True, cwd=root
).stdout
head = (root / "docs/_readme_head.md").read_text()
body = [
    head.strip() + "\n",
    part("architecture.md"),
    part("ui.md"),
    part("api.md"),
    part("llm.md"),
    part("eval.md"),
    part("quality.md"),
    part("performance.md"),
    part("reliability.md"),
    "## Configuration\n\nSettings come from environment variables or a `.env` file in the working directory "
    "(nested groups use `__`). `python -m rag.settings_doc` prints this table from `rag/config.py`.\n\n" + settings,
    part("development.md"),
]
(root / "README.md").write_text("\n".join(b for b in body if b))
print("README.md written", len((root / "README.md").read_text().splitlines()), "lines")
