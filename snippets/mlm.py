"""마스크 언어 모델링(MLM): BERT의 80/10/10 가리기, 손실, 블로그 글로 학습하는 아주 작은 MLM.

글 「마스크 언어 모델링: NLP의 마법 같은 기술」이 이 파일의 구간을 싣습니다. 모델은 snippets/bert.py의
BertForPreTraining이고, 말뭉치는 snippets/corpus.py의 블로그 글입니다.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F

from snippets.bert import BertConfig, BertForPreTraining
from snippets.corpus import CharVocab, corpus_text, split_held_out
from snippets.model_inputs import IGNORE_INDEX


# --8<-- [start:mask-tokens]
class MaskedTokens(NamedTuple):
    input_ids: torch.Tensor  # (B, T) 모델에 넣을 가려진 입력
    labels: torch.Tensor  # (B, T) 고른 자리에만 원래 토큰, 나머지는 -100


def mask_tokens(
    input_ids: torch.Tensor,
    vocab_size: int,
    mask_id: int,
    special_ids: Sequence[int],
    generator: torch.Generator,
    mask_prob: float = 0.15,
) -> MaskedTokens:
    """BERT 논문의 가리기(masking): 특수 토큰이 아닌 자리의 15%를 고르고, 고른
    자리 중 80%는 [MASK], 10%는 무작위 토큰, 10%는 그대로 둡니다.

    special_ids([PAD], [CLS], [SEP], [MASK] 등)의 자리는 절대 고르지 않으므로
    패딩도 안전합니다. 레이블은 고른 자리에만 원래 토큰이고 나머지는
    -100(손실에서 빠짐)입니다. 그대로 둔 10%도 레이블이 있으니, 모델은 [MASK]가
    없는 자리도 맞혀야 해서 모든 토큰의 표현을 신경 씁니다.

    원래 구현(google-research/bert)과 다른 점 두 가지: 시퀀스마다 정확히 15%의
    개수를 뽑는 대신 transformers의 DataCollatorForLanguageModeling처럼 자리마다
    15% 확률로 뽑고, 무작위 토큰을 특수 토큰을 뺀 어휘에서 뽑습니다.
    """
    special = torch.zeros(vocab_size, dtype=torch.bool)
    special[list(special_ids)] = True
    ordinary_ids = (~special).nonzero().squeeze(1)  # 무작위 토큰의 후보

    # 자리마다 독립적으로 확률 mask_prob로 고릅니다(고른 개수는 이항 분포를
    # 따릅니다).
    u = torch.rand(input_ids.shape, generator=generator)
    chosen = (u < mask_prob) & ~special[input_ids]  # (B, T)
    labels = torch.where(chosen, input_ids, IGNORE_INDEX)

    # 고른 자리마다 균등 난수 하나로 세 갈래를 나눕니다: [0, 0.8) / [0.8, 0.9) /
    # [0.9, 1).
    r = torch.rand(input_ids.shape, generator=generator)
    to_mask = chosen & (r < 0.8)
    to_random = chosen & (r >= 0.8) & (r < 0.9)
    picks = torch.randint(
        len(ordinary_ids), input_ids.shape, generator=generator
    )
    masked = torch.where(to_mask, mask_id, input_ids)
    masked = torch.where(to_random, ordinary_ids[picks], masked)
    return MaskedTokens(masked, labels)


# --8<-- [end:mask-tokens]


# --8<-- [start:mlm-loss]
def mlm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """MLM 손실: 레이블이 있는(고른) 자리만의 평균 교차 엔트로피. logits
    (B, T, V), labels (B, T)."""
    V = logits.size(-1)
    return F.cross_entropy(
        logits.reshape(-1, V), labels.reshape(-1), ignore_index=IGNORE_INDEX
    )


# --8<-- [end:mlm-loss]


# --8<-- [start:context-free-loss]
def context_free_loss(
    p: torch.Tensor, mask: float = 0.8, random: float = 0.1
) -> float:
    """주변을 전혀 보지 않고 빈칸 자리에 보이는 토큰 하나만 보는 모델이 낼 수
    있는 가장 낮은 MLM 손실(내트).

    p (N,)는 보통 토큰(무작위 토큰의 후보)의 빈도입니다. 고른 자리의 mask(80%)는
    [MASK]라서 빈도 p 자체가 최선의 답이고 손실은 엔트로피 H(p)입니다. 나머지
    자리에는 토큰 r이 보입니다: random(10%)은 p와 상관없이 고르게 뽑은 r, 1 -
    mask - random(10%)은 정답 그대로의 r. 그래서 r을 본 모델의 최선은 사후 확률
    P(정답 y | r) ∝ random * p(y) / N + (1 - mask - random) * p(r) * [y =
    r]이고, 정답을 그대로 보여 주는 자리 덕분에 이 한계는 H(p)보다 낮습니다.
    """
    unchanged = 1 - mask - random
    N = p.numel()
    entropy = -torch.xlogy(p, p).sum()
    # (N, N): [보인 r, 정답 y]
    joint = random * p[None, :] / N + unchanged * torch.diag(p)
    # P(y | r). 한 번도 보이지 않는 r(빈도 0이거나 보이는 자리가 없을 때)의 행은
    # 0/0이라 0으로 둡니다.
    posterior = torch.nan_to_num(joint / joint.sum(dim=1, keepdim=True))
    shown = -torch.xlogy(
        joint, posterior
    ).sum()  # 토큰이 보이는 자리의 기대 손실 (비율까지 곱한 값)
    return float(mask * entropy + shown)


# --8<-- [end:context-free-loss]


SPECIAL_TOKENS = (
    "[PAD]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "[UNK]",
)  # 앞에서부터 id 0..4


def tiny_config(vocab_size: int) -> BertConfig:
    """블로그 글로 몇 초 만에 학습하는 아주 작은 BERT의 설정."""
    return BertConfig(
        vocab_size=vocab_size,
        max_len=24,  # [CLS] + 22글자 + [SEP]
        d_model=64,
        n_layers=2,
        n_heads=4,
        d_ff=256,
        dropout=0.0,  # 블로그 글 몇만 글자를 익히는 것이 목표라 규제하지 않습니다
        # 폭이 64뿐이면 0.02로는 Q·K 점수가 거의 0이라 어텐션이 한참 동안 균등하게 머뭅니다.
        init_std=0.1,
    )


# --8<-- [start:train-tiny-mlm]
class TinyMLM(NamedTuple):
    model: BertForPreTraining
    vocab: CharVocab
    losses: list[float]  # 학습 스텝마다의 MLM 손실


def train_tiny_mlm(
    text: str,
    steps: int = 800,
    batch_size: int = 64,
    lr: float = 3e-3,
    warmup: int = 100,
    seed: int = 0,
    held_out: float = 0.1,
) -> TinyMLM:
    """text에서 [CLS] 글자 창 [SEP] 모양의 입력을 무작위로 뽑아, 80/10/10
    가리기로 MLM을 학습합니다.

    끝의 held_out만큼(split_held_out이 고른 마지막 글)은 창을 뽑지 않고
    평가용으로 남깁니다. 어휘는 text 전체에서 만들어 평가용 글의 글자에도 id가
    있지만, 그 글은 한 번도 읽지 않습니다. 초기화, 창 고르기, 가리기가 모두 seed
    하나에서 나오므로 같은 seed면 같은 모델이 나옵니다.
    """
    generator = torch.Generator().manual_seed(seed)
    vocab = CharVocab.from_text(text, specials=SPECIAL_TOKENS)
    cls_id, sep_id, mask_id = (
        vocab.id("[CLS]"),
        vocab.id("[SEP]"),
        vocab.id("[MASK]"),
    )
    special_ids = [vocab.id(token) for token in SPECIAL_TOKENS]
    config = tiny_config(len(vocab))
    model = BertForPreTraining(config, generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    # 처음 warmup 스텝 동안 학습률을 lr까지 선형으로 올립니다: post-LN
    # 트랜스포머는 처음부터
    # 큰 학습률로 시작하면 불안정해지기 쉽습니다.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup)
    )
    train_text, _ = split_held_out(text, held_out)
    data = vocab.encode(train_text)  # (N,)
    W = config.max_len - 2  # [CLS]와 [SEP] 자리를 뺀 창의 길이
    cls = torch.full((batch_size, 1), cls_id)
    sep = torch.full((batch_size, 1), sep_id)
    losses = []
    model.train()
    for _ in range(steps):
        starts = torch.randint(
            len(data) - W, (batch_size,), generator=generator
        )
        # (B, W)
        windows = torch.stack([data[s : s + W] for s in starts.tolist()])
        input_ids = torch.cat([cls, windows, sep], dim=1)  # (B, T)
        masked = mask_tokens(
            input_ids, len(vocab), mask_id, special_ids, generator
        )
        # 원래 BERT 코드처럼 고른 자리의 은닉 상태만 MLM 헤드에 넣어 어휘 크기의
        # 곱셈을 아낍니다.
        hidden = model.bert(masked.input_ids).hidden  # (B, T, D)
        chosen = masked.labels != IGNORE_INDEX  # (B, T)
        loss = F.cross_entropy(model.mlm(hidden[chosen]), masked.labels[chosen])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    return TinyMLM(model.eval(), vocab, losses)


# --8<-- [end:train-tiny-mlm]


# --8<-- [start:fill-in-blanks]
@torch.no_grad()
def blank_logits(
    model: BertForPreTraining,
    vocab: CharVocab,
    text: str,
    positions: Sequence[int],
) -> torch.Tensor:
    """text의 positions 자리 글자를 모두 [MASK]로 바꾼 [CLS] text [SEP]의,
    빈칸마다의 로짓 (P, V).

    특수 토큰은 답이 될 수 없으므로 -무한대입니다. 빈칸끼리는 서로를 보지
    못하지만, 나머지 글자는 앞뒤를 모두 봅니다.
    """
    ids = torch.cat(
        [
            torch.tensor([vocab.id("[CLS]")]),
            vocab.encode(text),
            torch.tensor([vocab.id("[SEP]")]),
        ]
    )
    blanks = torch.tensor(positions) + 1  # +1: 맨 앞의 [CLS]
    ids[blanks] = vocab.id("[MASK]")
    logits = model(ids[None]).mlm_logits[0, blanks]  # (len(positions), V)
    logits[:, [vocab.id(token) for token in SPECIAL_TOKENS]] = float("-inf")
    return logits


def fill_in_blanks(
    model: BertForPreTraining,
    vocab: CharVocab,
    text: str,
    positions: Sequence[int],
) -> list[str]:
    """text의 positions 자리 글자를 모두 [MASK]로 바꾸고, 자리마다 가장 그럴듯한
    글자를 고릅니다."""
    logits = blank_logits(model, vocab, text, positions)  # (len(positions), V)
    return [vocab.tokens[i] for i in logits.argmax(-1).tolist()]


# --8<-- [end:fill-in-blanks]


# --8<-- [start:top-candidates]
@torch.no_grad()
def top_candidates(
    model: BertForPreTraining,
    vocab: CharVocab,
    text: str,
    positions: Sequence[int],
    k: int = 5,
) -> list[list[tuple[str, float]]]:
    """fill_in_blanks처럼 빈칸을 가리고, 빈칸마다 확률이 높은 글자 k개와 그
    확률을 돌려줍니다.

    확률은 특수 토큰을 뺀 글자들 위의 소프트맥스(softmax)라서 글자 전체에서 합이
    1입니다. 첫 후보는 fill_in_blanks의 답과 같고, 그 확률이 낮으면 모델이
    확신하지 못한다는 뜻입니다.
    """
    logits = blank_logits(model, vocab, text, positions)  # (len(positions), V)
    probs, best = logits.softmax(-1).topk(k, dim=-1)  # (len(positions), k)
    return [
        [(vocab.tokens[i], p) for i, p in zip(row_ids, row_probs, strict=True)]
        for row_ids, row_probs in zip(
            best.tolist(), probs.tolist(), strict=True
        )
    ]


# --8<-- [end:top-candidates]


# --8<-- [start:fill-accuracy]
class FillAccuracy(NamedTuple):
    model: float  # 모델의 첫 후보가 원래 글자인 빈칸의 비율
    # 문맥을 보지 않고 언제나 같은 글자(baseline)로 답했을 때의 비율
    baseline: float
    answers: torch.Tensor  # (n_blanks,) 가린 자리의 원래 글자 id
    correct: torch.Tensor  # (n_blanks,) 모델의 첫 후보가 맞았는지 (불리언)


@torch.no_grad()
def fill_accuracy(
    model: BertForPreTraining,
    vocab: CharVocab,
    text: str,
    baseline: str,
    n_blanks: int,
    generator: torch.Generator,
) -> FillAccuracy:
    """text에서 모델 입력 길이의 글자 창 n_blanks개를 무작위로 뽑아 창마다 글자
    하나만 [MASK]로 가리고, 특수 토큰을 뺀 첫 후보가 원래 글자인 비율을 잽니다.

    같은 빈칸에서 언제나 baseline 글자 하나로 답하는 기준선(baseline)의 정답률도
    잽니다. 주변을 보지 않는 답이므로, 모델이 이보다 높아야 문맥을 쓴다고 말할
    수 있습니다. 창의 시작 n_blanks개를 먼저 뽑고 창 안의 빈칸 자리 n_blanks개를
    뽑습니다(같은 generator 상태면 같은 빈칸).
    """
    W = model.config.max_len - 2  # [CLS]와 [SEP] 자리를 뺀 창의 길이
    data = vocab.encode(text)  # (N,)
    if len(data) < W:
        raise ValueError(f"text가 창 길이 {W}보다 짧습니다: {len(data)}자")
    starts = torch.randint(len(data) - W + 1, (n_blanks,), generator=generator)
    offsets = torch.randint(W, (n_blanks,), generator=generator)
    windows = data[starts[:, None] + torch.arange(W)]  # (n_blanks, W)
    cls = torch.full((n_blanks, 1), vocab.id("[CLS]"))
    sep = torch.full((n_blanks, 1), vocab.id("[SEP]"))
    ids = torch.cat([cls, windows, sep], dim=1)  # (n_blanks, T)
    rows, blanks = torch.arange(n_blanks), offsets + 1  # +1: 맨 앞의 [CLS]
    answers = ids[rows, blanks]  # (n_blanks,)
    ids[rows, blanks] = vocab.id("[MASK]")
    # 빈칸 자리의 은닉 상태만 MLM 헤드에 넣습니다(모든 자리의 어휘 로짓은 필요
    # 없습니다).
    logits = model.mlm(model.bert(ids).hidden[rows, blanks])  # (n_blanks, V)
    logits[:, [vocab.id(token) for token in SPECIAL_TOKENS]] = float("-inf")
    correct = logits.argmax(-1) == answers  # (n_blanks,)
    return FillAccuracy(
        model=correct.float().mean().item(),
        baseline=(answers == vocab.id(baseline)).float().mean().item(),
        answers=answers,
        correct=correct,
    )


# --8<-- [end:fill-accuracy]


# --8<-- [start:loss-at-mask-rate]
@torch.no_grad()
def loss_at_mask_rate(
    model: BertForPreTraining,
    vocab: CharVocab,
    text: str,
    mask_prob: float,
    n_windows: int,
    generator: torch.Generator,
) -> float:
    """text에서 모델 입력 길이의 글자 창 n_windows개를 뽑아, 자리마다
    mask_prob 확률로 80/10/10 가리기를 한 뒤의 MLM 손실(내트)을 잽니다.

    학습 때(15%)보다 많이 가리면 빈칸 옆의 글자도 함께 가려져 단서가
    줄어듭니다(연습 문제의 풀이).
    """
    W = model.config.max_len - 2  # [CLS]와 [SEP] 자리를 뺀 창의 길이
    data = vocab.encode(text)  # (N,)
    starts = torch.randint(len(data) - W + 1, (n_windows,), generator=generator)
    windows = data[starts[:, None] + torch.arange(W)]  # (n_windows, W)
    cls = torch.full((n_windows, 1), vocab.id("[CLS]"))
    sep = torch.full((n_windows, 1), vocab.id("[SEP]"))
    ids = torch.cat([cls, windows, sep], dim=1)  # (n_windows, T)
    special_ids = [vocab.id(token) for token in SPECIAL_TOKENS]
    mask_id = vocab.id("[MASK]")
    masked = mask_tokens(
        ids,
        len(vocab),
        mask_id,
        special_ids,
        generator,
        mask_prob,
    )
    logits = model(masked.input_ids).mlm_logits  # (n_windows, T, V)
    return mlm_loss(logits, masked.labels).item()


# --8<-- [end:loss-at-mask-rate]


# --8<-- [start:context-free-by-split]
Split = tuple[float, float]  # 고른 자리 중 ([MASK]의 몫, 무작위 토큰의 몫)


def context_free_by_split(
    p: torch.Tensor,
    splits: Sequence[Split],
) -> dict[Split, float]:
    """고른 자리를 나누는 비율마다 문맥을 보지 않는 모델의 손실 한계(내트).

    나머지 1 - mask - random은 정답을 그대로 보여 주는 자리입니다
    (연습 문제의 풀이).
    """
    return {split: context_free_loss(p, *split) for split in splits}


# --8<-- [end:context-free-by-split]


def masking_statistics(
    input_ids: torch.Tensor,
    masked: MaskedTokens,
    mask_id: int,
    special_ids: Sequence[int],
) -> dict[str, float]:
    """가리기 결과의 비율: 고른 비율(특수 토큰이 아닌 자리 중)과 고른 자리 중 세 갈래의 비율."""
    special = torch.isin(input_ids, torch.tensor(list(special_ids)))
    chosen = masked.labels != IGNORE_INDEX
    n = chosen.sum().item()
    as_mask = (chosen & (masked.input_ids == mask_id)).sum().item()
    unchanged = (chosen & (masked.input_ids == input_ids)).sum().item()
    return {
        "chosen": n / (~special).sum().item(),
        "mask": as_mask / n,
        "random": (n - as_mask - unchanged) / n,
        "unchanged": unchanged / n,
    }


if __name__ == "__main__":
    import time
    from collections import Counter

    # 아주 작은 모델이라 스레드 하나가 가장 안정적입니다: 다른 일로 코어가 바쁠 때 두 스레드는
    # 서로를 기다리느라 몇 배 느려집니다(이 데모에서만).
    torch.set_num_threads(1)
    start = time.perf_counter()

    text = corpus_text()
    train_text, held_out_text = split_held_out(text)
    steps = (
        300  # 노트북(train_tiny_mlm의 기본값)보다 짧게: 몇 초 안에 끝나는 데모
    )
    tiny = train_tiny_mlm(text, steps=steps)
    vocab = tiny.vocab
    special_ids = [vocab.id(token) for token in SPECIAL_TOKENS]
    sentence = "컴퓨터는 주변 단어들을 살펴보며"
    ids = torch.cat([torch.tensor([vocab.id("[CLS]")]), vocab.encode(sentence)])
    ids = torch.cat([ids, torch.tensor([vocab.id("[SEP]")])])[None]
    draws = 10_000
    masked = mask_tokens(
        ids.expand(draws, -1),
        len(vocab),
        vocab.id("[MASK]"),
        special_ids,
        torch.Generator().manual_seed(0),
    )
    stats = masking_statistics(
        ids.expand(draws, -1), masked, vocab.id("[MASK]"), special_ids
    )
    print(
        f"같은 문장을 {draws:,}번 가린 비율: 고른 자리 {100 * stats['chosen']:.1f}%, 그중 "
        f"[MASK] {100 * stats['mask']:.1f}%, 무작위 글자 {100 * stats['random']:.1f}%, "
        f"그대로 {100 * stats['unchanged']:.1f}%"
    )
    print(
        f"말뭉치: {len(text):,}자, 어휘 {len(vocab)}개 (학습 {len(train_text):,}자, "
        f"학습에서 뺀 마지막 글 {len(held_out_text):,}자)"
    )
    print(
        f"작은 MLM {steps}스텝 학습: 손실 {tiny.losses[0]:.2f} -> {tiny.losses[-1]:.2f}"
    )

    def shown(token: str) -> str:
        return {" ": "␣", "\n": "↵"}.get(token, token)

    # "주변"의 두 글자와 그 뒤의 공백을 한 번에 하나씩 가립니다(결과를 보기 전에 정한 자리).
    at = sentence.index("주변")
    print(
        f"빈칸 채우기: {sentence!r}에서 한 번에 한 글자씩 가리고 후보 다섯 개를 봅니다"
    )
    for p in range(at, at + 3):
        candidates = top_candidates(tiny.model, vocab, sentence, [p])[0]
        listed = " · ".join(
            f"{shown(token)} {100 * q:.0f}%" for token, q in candidates
        )
        blank = sentence[:p] + "＿" + sentence[p + 1 :]
        best, q = candidates[0]
        verdict = (
            "확신합니다"
            if q >= 0.5
            else f"확신하지 못합니다(첫 후보도 {100 * q:.0f}%)"
        )
        print(f"  {blank} (정답 {shown(sentence[p])}): {listed} -> {verdict}")

    top_char = Counter(train_text).most_common(1)[0][0]
    generator = torch.Generator().manual_seed(3)
    result = fill_accuracy(
        tiny.model, vocab, held_out_text, top_char, 2_000, generator
    )
    print(
        f"처음 보는 글의 한 글자 빈칸 {len(result.answers):,}곳: 모델 {100 * result.model:.1f}%, "
        f"가장 흔한 글자({shown(top_char)})만 답하는 기준선 {100 * result.baseline:.1f}%"
    )
    print(
        f"{time.perf_counter() - start:.1f}초 (동반 노트북은 더 오래 학습해 더 잘 맞힙니다)"
    )
