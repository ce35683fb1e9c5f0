"""snippets/mlm.py: BERT의 80/10/10 가리기 통계, 손실의 한계, 블로그로 학습하는 작은 MLM."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import BertConfig as HFBertConfig
from transformers import BertForMaskedLM as HFBertForMaskedLM

from snippets.bert import BertForPreTraining
from snippets.corpus import CharVocab, split_held_out
from snippets.mlm import (
    IGNORE_INDEX,
    SPECIAL_TOKENS,
    MaskedTokens,
    context_free_by_split,
    context_free_loss,
    fill_accuracy,
    fill_in_blanks,
    loss_at_mask_rate,
    mask_tokens,
    masking_statistics,
    tiny_config,
    top_candidates,
    train_tiny_mlm,
)

# --- 가리기(masking) ------------------------------------------------------------

PAD, CLS, SEP, MASK = 0, 1, 2, 3
SPECIAL = [PAD, CLS, SEP, MASK, 4]
V = 40  # 특수 토큰 5개 + 보통 토큰 35개


def _sequences(B: int, L: int, seed: int) -> torch.Tensor:
    """[CLS] 보통 토큰... [SEP] [PAD]... 모양의 배치. 길이는 제각각입니다."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(len(SPECIAL), V, (B, L), generator=g)
    lengths = torch.randint(L // 2, L + 1, (B,), generator=g)
    for b, n in enumerate(lengths.tolist()):
        ids[b, 0], ids[b, n - 1] = CLS, SEP
        ids[b, n:] = PAD
    return ids


def test_masking_fractions_follow_15_and_80_10_10() -> None:
    generator = torch.Generator().manual_seed(0)
    originals, inputs, labels = [], [], []
    for draw in range(10):
        ids = _sequences(64, 128, seed=draw)
        masked = mask_tokens(ids, V, MASK, SPECIAL, generator)
        originals.append(ids)
        inputs.append(masked.input_ids)
        labels.append(masked.labels)
    ids, inputs, labels = torch.cat(originals), torch.cat(inputs), torch.cat(labels)
    ordinary = ~torch.isin(ids, torch.tensor(SPECIAL))
    chosen = labels != IGNORE_INDEX
    n_ordinary, n_chosen = ordinary.sum().item(), chosen.sum().item()

    def within_5_sigma(count: int, n: int, p: float) -> None:
        # 각 자리는 독립 시행이므로 개수는 이항 분포 Binomial(n, p)를 따릅니다:
        # 비율의 표준편차는 sqrt(p(1-p)/n)이고, 5 표준편차 밖으로 벗어날 확률은 약 6e-7입니다.
        sigma = math.sqrt(p * (1 - p) / n)
        assert abs(count / n - p) < 5 * sigma, (count / n, p, sigma)

    n_vocab_ordinary = V - len(SPECIAL)
    within_5_sigma(n_chosen, n_ordinary, 0.15)
    within_5_sigma((inputs[chosen] == MASK).sum().item(), n_chosen, 0.8)
    # 무작위 토큰이 우연히 원래 토큰과 같으면 "그대로"와 구별되지 않으므로 그만큼 옮겨 셉니다.
    same = (inputs[chosen] == ids[chosen]).sum().item()
    within_5_sigma(same, n_chosen, 0.1 + 0.1 / n_vocab_ordinary)
    other = n_chosen - (inputs[chosen] == MASK).sum().item() - same
    within_5_sigma(other, n_chosen, 0.1 * (1 - 1 / n_vocab_ordinary))


def test_masking_never_chooses_special_or_padding_tokens() -> None:
    generator = torch.Generator().manual_seed(1)
    for draw in range(20):
        ids = _sequences(32, 40, seed=100 + draw)
        masked = mask_tokens(ids, V, MASK, SPECIAL, generator)
        special = torch.isin(ids, torch.tensor(SPECIAL))
        assert (masked.labels[special] == IGNORE_INDEX).all()
        assert torch.equal(masked.input_ids[special], ids[special])
        # 레이블은 고른 자리의 원래 토큰이고, 고르지 않은 자리의 입력은 바뀌지 않습니다.
        chosen = masked.labels != IGNORE_INDEX
        assert torch.equal(masked.labels[chosen], ids[chosen])
        assert torch.equal(masked.input_ids[~chosen], ids[~chosen])
        # 무작위로 바꾼 토큰도 특수 토큰이 아닙니다([MASK]로 바꾼 자리만 빼고).
        replaced = masked.input_ids[chosen & (masked.input_ids != MASK)]
        assert not torch.isin(replaced, torch.tensor(SPECIAL)).any()


def test_masking_with_the_same_seed_gives_the_same_mask() -> None:
    ids = _sequences(8, 50, seed=7)

    def draw(seed: int):
        return mask_tokens(ids, V, MASK, SPECIAL, torch.Generator().manual_seed(seed))

    first, again, other = draw(5), draw(5), draw(6)
    assert torch.equal(first.input_ids, again.input_ids)
    assert torch.equal(first.labels, again.labels)
    assert not torch.equal(first.labels, other.labels)


def test_masking_statistics_counts_each_branch() -> None:
    ids = torch.tensor([[CLS, 10, 11, 12, 13, 14, 15, 16, SEP, PAD]])
    inputs = torch.tensor([[CLS, MASK, 11, 30, 13, 14, 15, 16, SEP, PAD]])
    labels = torch.full_like(ids, IGNORE_INDEX)
    labels[0, [1, 2, 3]] = ids[0, [1, 2, 3]]  # [MASK], 그대로, 무작위 하나씩
    stats = masking_statistics(ids, MaskedTokens(inputs, labels), MASK, SPECIAL)
    assert stats == {"chosen": 3 / 7, "mask": 1 / 3, "random": 1 / 3, "unchanged": 1 / 3}


# --- 블로그로 학습하는 작은 MLM ---------------------------------------------------

TEXT = "마스크 언어 모델링은 마치 재미있는 단어 퍼즐 게임 같아요. 빈칸에 들어갈 말은 뭘까요?"


def test_tiny_mlm_training_is_reproducible_under_a_seed() -> None:
    first = train_tiny_mlm(TEXT, steps=4, batch_size=4, seed=3)
    again = train_tiny_mlm(TEXT, steps=4, batch_size=4, seed=3)
    other = train_tiny_mlm(TEXT, steps=4, batch_size=4, seed=4)
    assert first.losses == again.losses
    assert first.losses != other.losses
    for a, b in zip(first.model.parameters(), again.model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_fill_in_blanks_is_the_best_ordinary_character_at_each_masked_position() -> None:
    tiny = train_tiny_mlm(TEXT, steps=2, batch_size=2)
    vocab, text, positions = tiny.vocab, "단어 퍼즐 게임", [0, 3, 4]
    # 특수 토큰 [PAD]의 출력 편향을 아주 크게 해서, 특수 토큰을 빼지 않으면 답이 모두 [PAD]가 되게 합니다.
    with torch.no_grad():
        tiny.model.mlm.bias[vocab.id("[PAD]")] = 1e3
    guesses = fill_in_blanks(tiny.model, vocab, text, positions)
    # 손으로: [CLS] 글 [SEP]에서 빈칸 자리(+1)를 [MASK]로 바꾸고, 특수 토큰이 아닌 글자 중 최댓값.
    ids = [vocab.id("[CLS]"), *vocab.encode(text).tolist(), vocab.id("[SEP]")]
    for p in positions:
        ids[p + 1] = vocab.id("[MASK]")
    with torch.no_grad():
        logits = tiny.model(torch.tensor([ids])).mlm_logits[0]  # (T, V)
    ordinary = [i for i, token in enumerate(vocab.tokens) if token not in SPECIAL_TOKENS]
    expected = [vocab.tokens[ordinary[logits[p + 1, ordinary].argmax()]] for p in positions]
    assert guesses == expected


def test_top_candidates_are_the_softmax_top_k_over_ordinary_characters() -> None:
    tiny = train_tiny_mlm(TEXT, steps=2, batch_size=2)
    vocab, text, positions = tiny.vocab, "단어 퍼즐 게임", [0, 4]
    # 특수 토큰 [UNK]의 편향을 크게 해서, 특수 토큰을 빼지 않으면 1위가 [UNK]이고 나머지 확률이 0이 되게 합니다.
    with torch.no_grad():
        tiny.model.mlm.bias[vocab.id("[UNK]")] = 50.0
    candidates = top_candidates(tiny.model, vocab, text, positions, k=3)
    # 손으로: 빈칸 자리의 로짓에서 특수 토큰을 -inf로 지운 뒤 softmax, topk.
    ids = [vocab.id("[CLS]"), *vocab.encode(text).tolist(), vocab.id("[SEP]")]
    for p in positions:
        ids[p + 1] = vocab.id("[MASK]")
    with torch.no_grad():
        logits = tiny.model(torch.tensor([ids])).mlm_logits[0, [p + 1 for p in positions]]
    logits[:, [vocab.id(token) for token in SPECIAL_TOKENS]] = float("-inf")
    probs, best = torch.topk(torch.softmax(logits, dim=-1), k=3, dim=-1)
    assert [[token for token, _ in row] for row in candidates] == [
        [vocab.tokens[i] for i in row] for row in best.tolist()
    ]
    torch.testing.assert_close(torch.tensor([[p for _, p in row] for row in candidates]), probs)
    # 첫 후보는 fill_in_blanks의 답입니다.
    assert [row[0][0] for row in candidates] == fill_in_blanks(tiny.model, vocab, text, positions)


def test_fill_accuracy_matches_one_blank_at_a_time_by_hand() -> None:
    tiny = train_tiny_mlm(TEXT, steps=30, batch_size=16)
    vocab, model, n = tiny.vocab, tiny.model, 40
    result = fill_accuracy(model, vocab, TEXT, " ", n, torch.Generator().manual_seed(7))
    # 손으로: docstring대로 창의 시작 n개, 그다음 창 안의 자리 n개를 뽑고, 빈칸을 하나씩 채웁니다.
    g = torch.Generator().manual_seed(7)
    W = model.config.max_len - 2
    starts = torch.randint(len(TEXT) - W + 1, (n,), generator=g).tolist()
    offsets = torch.randint(W, (n,), generator=g).tolist()
    correct = spaces = 0
    for start, offset in zip(starts, offsets, strict=True):
        window = TEXT[start : start + W]
        correct += fill_in_blanks(model, vocab, window, [offset])[0] == window[offset]
        spaces += window[offset] == " "
    assert 0 < correct < n  # 맞힌 빈칸과 틀린 빈칸이 모두 있어야 이 비교가 무언가를 확인합니다
    assert result.model == pytest.approx(correct / n)
    assert result.baseline == pytest.approx(spaces / n)
    assert result.correct.sum().item() == correct and len(result.answers) == n


def test_a_model_that_ignores_context_scores_exactly_the_baseline() -> None:
    tiny = train_tiny_mlm(TEXT, steps=2, batch_size=2)
    vocab, generator = tiny.vocab, torch.Generator().manual_seed(0)
    # 출력 편향을 "어"에만 아주 크게 주면 모델은 문맥과 상관없이 언제나 "어"라고 답합니다.
    with torch.no_grad():
        tiny.model.mlm.bias[vocab.id("어")] = 1e3
    result = fill_accuracy(tiny.model, vocab, TEXT, "어", 200, generator)
    assert result.model == result.baseline
    assert 0 < result.baseline < 0.2  # TEXT에서 "어"는 드문 글자입니다
    # 다른 글자를 기준선으로 잡으면 기준선이 달라집니다(공백은 "어"보다 훨씬 흔합니다).
    again = fill_accuracy(tiny.model, vocab, TEXT, " ", 200, torch.Generator().manual_seed(0))
    assert again.model == result.model and again.baseline > result.baseline


def test_fill_accuracy_refuses_text_shorter_than_the_window() -> None:
    tiny = train_tiny_mlm(TEXT, steps=0)
    with pytest.raises(ValueError, match="창 길이"):
        fill_accuracy(tiny.model, tiny.vocab, "단어 퍼즐", " ", 10, torch.Generator())


def test_tiny_mlm_never_trains_on_the_held_out_text() -> None:
    # 평가용 끝부분을 바꿔도 학습은 똑같습니다: 어휘가 같도록 같은 글자들로 순서만 바꿉니다.
    cut = len(split_held_out(TEXT)[0])
    tail = TEXT[cut:]
    changed = TEXT[:cut] + tail[::-1]
    first = train_tiny_mlm(TEXT, steps=5, batch_size=8)
    other = train_tiny_mlm(changed, steps=5, batch_size=8)
    assert first.vocab == other.vocab and first.losses == other.losses
    # 평가용을 떼지 않으면 끝부분도 창에 들어가 학습이 달라집니다.
    whole = train_tiny_mlm(changed, steps=5, batch_size=8, held_out=1e-9)
    assert whole.losses != other.losses


def test_context_free_loss_against_a_hand_computation_and_its_limits() -> None:
    # 두 토큰이 반반: H = ln 2. 보인 토큰이 정답일 결합 확률 0.1*0.5/2 + 0.1*0.5 = 0.075, 아닐 때 0.025,
    # 보인 토큰마다 합 0.1 -> 사후 0.75 / 0.25. 손실 = 0.8 ln 2 - 2(0.075 ln 0.75 + 0.025 ln 0.25).
    p = torch.tensor([0.5, 0.5], dtype=torch.float64)
    expected = 0.8 * math.log(2) - 2 * (0.075 * math.log(0.75) + 0.025 * math.log(0.25))
    assert context_free_loss(p) == pytest.approx(expected, rel=1e-12)
    q = torch.tensor(
        [0.7, 0.2, 0.1, 0.0], dtype=torch.float64
    )  # 한 번도 안 나온 토큰도 있을 수 있습니다
    entropy = -sum(x * math.log(x) for x in q.tolist() if x)
    assert context_free_loss(q, mask=1.0, random=0.0) == pytest.approx(entropy)  # 모두 [MASK]
    assert context_free_loss(q, mask=0.0, random=0.0) == pytest.approx(0.0)  # 모두 정답 그대로
    assert context_free_loss(q) < entropy  # 80/10/10에서는 엔트로피보다 낮습니다


# --- 연습 문제의 풀이 ------------------------------------------------------------


def test_loss_at_mask_rate_is_the_transformers_loss_on_the_same_masked_windows() -> None:
    vocab = CharVocab.from_text(TEXT, specials=SPECIAL_TOKENS)
    config = tiny_config(len(vocab))
    torch.manual_seed(0)
    hf = HFBertForMaskedLM(
        HFBertConfig(
            vocab_size=config.vocab_size,
            hidden_size=config.d_model,
            num_hidden_layers=config.n_layers,
            num_attention_heads=config.n_heads,
            intermediate_size=config.d_ff,
            max_position_embeddings=config.max_len,
        )
    ).double()
    hf.eval()
    model = BertForPreTraining.from_transformers(hf)
    got = loss_at_mask_rate(model, vocab, TEXT, 0.4, 8, torch.Generator().manual_seed(5))
    # 같은 생성기 상태로 창과 가리기를 다시 만들어 transformers의 손실(labels를 준 loss)과 견줍니다.
    g = torch.Generator().manual_seed(5)
    W = config.max_len - 2
    data = vocab.encode(TEXT)
    starts = torch.randint(len(data) - W + 1, (8,), generator=g)
    cls, sep = torch.tensor([vocab.id("[CLS]")]), torch.tensor([vocab.id("[SEP]")])
    ids = torch.stack([torch.cat([cls, data[s : s + W], sep]) for s in starts.tolist()])
    special_ids = [vocab.id(token) for token in SPECIAL_TOKENS]
    masked = mask_tokens(ids, len(vocab), vocab.id("[MASK]"), special_ids, g, mask_prob=0.4)
    assert (masked.labels != IGNORE_INDEX).float().mean() > 0.25  # 정말 40% 가까이 가렸습니다
    with torch.no_grad():
        expected = hf(masked.input_ids, labels=masked.labels).loss.item()
    assert got == pytest.approx(expected, rel=1e-9)


def test_loss_rises_with_the_mask_rate_once_the_model_reads_context() -> None:
    # 네 글자가 되풀이되는 글: 앞뒤 글자가 답을 정하므로, 문맥을 읽게 된 모델은 더 가릴수록
    # 단서를 잃어 손실이 오릅니다. 아주 작은 모델이라 스레드 하나가 가장 빠릅니다.
    pattern = "가나다라" * 150
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        tiny = train_tiny_mlm(pattern, steps=200, batch_size=8, warmup=10, held_out=1e-9)
        losses = [
            loss_at_mask_rate(
                tiny.model, tiny.vocab, pattern, rate, 256, torch.Generator().manual_seed(0)
            )
            for rate in (0.15, 0.5, 0.9)
        ]
    finally:
        torch.set_num_threads(threads)
    assert losses[0] < 0.5 * losses[1] and losses[1] < 0.5 * losses[2], losses


def test_context_free_by_split_runs_from_the_entropy_down_as_more_answers_are_shown() -> None:
    p = torch.tensor([0.5, 0.3, 0.15, 0.05], dtype=torch.float64)
    splits = [(1.0, 0.0), (0.8, 0.1), (0.6, 0.2), (0.4, 0.1)]
    bounds = context_free_by_split(p, splits)
    assert list(bounds) == splits
    entropy = torch.distributions.Categorical(probs=p).entropy().item()
    assert bounds[(1.0, 0.0)] == pytest.approx(entropy, rel=1e-12)
    assert bounds[(0.8, 0.1)] == pytest.approx(context_free_loss(p), rel=1e-12)
    values = list(bounds.values())
    assert values == sorted(values, reverse=True), bounds  # 그대로 두는 몫이 클수록 낮습니다
