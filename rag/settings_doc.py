"""Render every setting as a Markdown table (README's Configuration section).

.venv/bin/python -m rag.settings_doc
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel

from rag.config import Settings


def _env_names(name: str, field: Any, prefix: str) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, AliasChoices):
        return [str(a) for a in alias.choices][:1]
    return [f"{prefix}{name}".upper()]


def rows() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for sub, sub_field in annotation.model_fields.items():
                default = sub_field.get_default(call_default_factory=True)
                out.append((f"RAG_{name}__{sub}".upper(), repr(default), sub_field.description or ""))
            continue
        default = field.get_default(call_default_factory=True)
        shown = "unset" if default is None else repr(str(default) if hasattr(default, "parts") else default)
        for env in _env_names(name, field, "RAG_"):
            out.append((env, shown, field.description or ""))
    return out


def markdown() -> str:
    lines = ["| variable | default | what it does |", "| --- | --- | --- |"]
    pipe = "\\|"
    lines += [f"| `{env}` | `{default}` | {desc.replace('|', pipe)} |" for env, default, desc in rows()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
