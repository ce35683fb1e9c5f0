"""학습 처리량 비교: snippets/gpt.py의 GPT 대 transformers의 GPT2LMHeadModel (테스트가 아닌 측정).

같은 작은 설정, 같은 가중치(GPT.from_transformers로 복사), 같은 입력으로 순전파 + 손실 + 역전파
한 번에 걸리는 시간을 잽니다. 우리 GPT는 두 어텐션 길로 잽니다: 글이 풀어 쓴 함수들(taught, 기본)과
PyTorch의 융합 커널(fused). 세 모델을 번갈아(순서도 매번 바꿔) 재고, 준비 실행(warmup)은
버리고, 중앙값으로 초당 토큰 수를 냅니다.

    .venv/bin/python benchmarks/gpt_throughput.py [--repeats 30] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from transformers import GPT2Config, GPT2LMHeadModel, logging  # noqa: E402

from snippets.attention import use_fused_attention  # noqa: E402
from snippets.causal_lm import causal_lm_loss  # noqa: E402
from snippets.gpt import GPT  # noqa: E402

# 두 모델에 똑같이 쓰는 작은 설정. 우리 모델에는 드롭아웃이 없으므로 transformers 쪽도 0으로 둡니다.
CONFIG = dict(vocab_size=2048, n_positions=128, n_embd=128, n_layer=4, n_head=4)
EXTRA = dict(resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=None, eos_token_id=None)
BATCH, SEQ = 8, 128


def ours_step(model: torch.nn.Module, ids: torch.Tensor) -> None:
    model.zero_grad(set_to_none=True)
    logits = model(ids)  # (B, T, V)
    causal_lm_loss(logits[:, :-1], ids[:, 1:]).backward()


def theirs_step(model: torch.nn.Module, ids: torch.Tensor) -> None:
    model.zero_grad(set_to_none=True)
    model(ids, labels=ids).loss.backward()  # 안에서 한 칸 밀어 같은 손실을 계산합니다


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    logging.set_verbosity_error()  # loss_type 기본값 안내 같은 소음을 끕니다

    torch.manual_seed(0)
    theirs = GPT2LMHeadModel(GPT2Config(**CONFIG, **EXTRA)).train()
    taught = GPT.from_transformers(theirs).train()
    fused = use_fused_attention(GPT.from_transformers(theirs), True).train()
    ids = torch.randint(
        CONFIG["vocab_size"], (BATCH, SEQ), generator=torch.Generator().manual_seed(0)
    )

    # 같은 가중치, 같은 입력이면 같은 손실이어야 공정한 비교입니다.
    with torch.no_grad():
        for ours in (taught, fused):
            ours_loss = causal_lm_loss(ours(ids)[:, :-1], ids[:, 1:])
            torch.testing.assert_close(ours_loss, theirs(ids, labels=ids).loss)

    steps = {
        "ours (taught)": (ours_step, taught),
        "ours (fused)": (ours_step, fused),
        "transformers": (theirs_step, theirs),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for r in range(args.warmup + args.repeats):
        order = list(steps)[r % 3 :] + list(steps)[: r % 3]  # 매번 순서를 돌립니다
        for name in order:
            step, model = steps[name]
            start = time.perf_counter()
            step(model, ids)
            elapsed = time.perf_counter() - start
            if r >= args.warmup:
                times[name].append(elapsed)

    tokens = BATCH * SEQ
    rate = {name: tokens / statistics.median(t) for name, t in times.items()}
    print(
        f"config {CONFIG}, batch {BATCH} x {SEQ} tokens, threads {args.threads}, torch {torch.__version__}"
    )
    print(f"repeats {args.repeats} (median of interleaved runs, {args.warmup} warmup)")
    for name, value in rate.items():
        print(f"{name:>14}: {value:10,.0f} tokens/s (forward + backward)")
    for path in ("taught", "fused"):
        ratio = rate[f"ours ({path})"] / rate["transformers"]
        print(f"{'ratio ' + path:>14}: {ratio:.2f}x (ours / transformers)")
    print(
        "(the >= 1.0x target applies to the fused path; the taught path builds the (B, H, T, T) weights)"
    )


if __name__ == "__main__":
    main()
