"""Assemble README.md from its parts in docs/, so each section has one source.

.venv/bin/python scripts/build_readme.py
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = [
    "architecture.md",
    "ui.md",
    "api.md",
    "news.md",
    "llm.md",
    "eval.md",
    "quality.md",
    "performance.md",
    "reliability.md",
]


def part(name: str) -> str:
    path = ROOT / "docs" / name
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    # Links written relative to docs/ become relative to the repository root.
    text = re.sub(r"\]\(\.\./", "](", text)
    text = re.sub(r"\]\((?!http|#|docs/|/)([\w.-]+\.(?:png|md|svg))\)", r"](docs/\1)", text)
    return text.strip() + "\n"


def main() -> None:
    settings = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "rag.settings_doc"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    config = (
        "## Configuration\n\nSettings come from environment variables or a `.env` file in the working directory "
        "(nested groups use `__`). `python -m rag.settings_doc` prints this table from `rag/config.py`.\n\n" + settings
    )
    body = [(ROOT / "docs/_readme_head.md").read_text(encoding="utf-8").strip() + "\n"]
    body += [part(name) for name in PARTS]
    body += [config, part("development.md")]
    (ROOT / "README.md").write_text("\n".join(b for b in body if b), encoding="utf-8")


if __name__ == "__main__":
    main()
