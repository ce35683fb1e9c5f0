"""snippets/causal_lm.py: 한 칸 밀기와 손실의 손 계산, 생성의 재현성, 블로그 글로 학습하는 작은 GPT."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import torch

from snippets.causal_lm import (
    CharTrainConfig,
    causal_lm_loss,
    generate,
    next_token_entropy,
    next_token_targets,
    train_char_gpt,
)
from snippets.corpus import CharVocab, corpus_text
from snippets.gpt import GPT, GPTConfig, logits_without_mask


def _random_gpt(seed: int = 0) -> GPT:
    config = GPTConfig(vocab_size=23, max_len=10, d_model=24, n_layers=2, n_heads=3)
    return GPT(config, generator=torch.Generator().manual_seed(seed)).double().eval()


def test_next_token_targets_shift_by_one_on_hand_checked_text() -> None:
    vocab = CharVocab.from_text("언어 모델")
    inputs, targets = next_token_targets(vocab.encode("언어 모델")[None, :])
    assert vocab.decode(inputs[0]) == "언어 모"
    assert vocab.decode(targets[0]) == "어 모델"


def test_causal_lm_loss_is_mean_negative_log_prob_of_targets() -> None:
    # 손으로 계산: 첫 위치는 정답 확률 1/2, 둘째는 1/4 -> 손실 = (ln 2 + ln 4) / 2 = 1.5 ln 2.
    probs = torch.tensor([[[0.5, 0.25, 0.25], [0.5, 0.25, 0.25]]], dtype=torch.float64)
    targets = torch.tensor([[0, 2]])
    torch.testing.assert_close(
        causal_lm_loss(probs.log(), targets), torch.tensor(1.5 * math.log(2), dtype=torch.float64)
    )


def test_untrained_loss_is_near_log_vocab() -> None:
    # 초기화가 작아서(N(0, 0.02)) 처음 분포는 거의 균등하고, 손실은 ln V 근처입니다.
    model = _random_gpt()
    ids = torch.randint(23, (4, 10), generator=torch.Generator().manual_seed(0))
    inputs, targets = next_token_targets(ids)
    with torch.no_grad():
        loss = causal_lm_loss(model(inputs), targets).item()
    assert loss == pytest.approx(math.log(23), abs=0.05)


def test_generation_with_same_generator_seed_is_reproducible() -> None:
    model, prompt = _random_gpt(), torch.tensor([[1, 2, 3]])

    def sample(seed: int, **kwargs) -> torch.Tensor:
        return generate(model, prompt, 20, generator=torch.Generator().manual_seed(seed), **kwargs)

    assert torch.equal(sample(0), sample(0))
    assert torch.equal(sample(0, top_k=5, temperature=0.8), sample(0, top_k=5, temperature=0.8))
    assert not torch.equal(sample(0), sample(1))
    assert sample(0).shape == (1, 23)


def test_top_k_one_sampling_is_greedy() -> None:
    model, prompt = _random_gpt(), torch.tensor([[4, 5]])
    g = torch.Generator().manual_seed(0)
    sampled = generate(model, prompt, 8, temperature=1.0, top_k=1, generator=g)
    assert torch.equal(sampled, generate(model, prompt, 8, temperature=0))


def test_generation_crops_context_to_max_len() -> None:
    model = _random_gpt()  # max_len = 10
    out = generate(model, torch.zeros(1, 9, dtype=torch.long), 5, temperature=0)
    assert out.shape == (1, 14)


@pytest.fixture(scope="module")
def blog_corpus() -> str:
    return corpus_text()


@pytest.fixture
def one_thread():
    """빌드의 노트북 커널(OMP_NUM_THREADS=1)과 같은 조건: 작은 모델은 스레드 하나가 더 빠릅니다."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_tiny_gpt_training_loss_beats_unigram_entropy(blog_corpus: str, one_thread: None) -> None:
    run = train_char_gpt(blog_corpus)
    assert len(run.losses) == CharTrainConfig().steps
    # 문맥을 쓰지 않는 모델(모든 위치에서 같은 분포 q)의 기대 교차 엔트로피는
    # H(p) + KL(p || q) >= H(p)입니다(p는 말뭉치의 글자 빈도). 그러니 이 엔트로피보다 낮은
    # 손실은 모델이 앞 글자를 보고 예측한다는 뜻입니다. 아무것도 모르는 모델은 ln V에 머뭅니다.
    counts, n = Counter(blog_corpus), len(blog_corpus)
    unigram_entropy = -sum(c / n * math.log(c / n) for c in counts.values())
    assert run.losses[0] > unigram_entropy  # 처음에는 넘지 못합니다(≈ ln V)
    final = sum(run.losses[-20:]) / 20  # 배치 20개(약 1만 글자)의 평균이라 잡음이 작습니다
    assert final < unigram_entropy - 1.0


def test_tiny_gpt_training_is_reproducible_under_seed(blog_corpus: str, one_thread: None) -> None:
    config = CharTrainConfig(steps=3)
    assert train_char_gpt(blog_corpus, config).losses == train_char_gpt(blog_corpus, config).losses
    other = train_char_gpt(blog_corpus, CharTrainConfig(steps=3, seed=1)).losses
    assert other != train_char_gpt(blog_corpus, config).losses


# 연습 문제의 풀이(글 「인과적 언어 모델링이란?」)


def test_without_the_mask_the_future_changes_the_past_logits() -> None:
    """풀이의 주장: 마스크를 빼면 마지막 토큰을 바꿀 때 앞 위치의 로짓도 바뀝니다(마스크가 있으면 그대로)."""
    model = _random_gpt()
    ids = torch.randint(23, (2, 8), generator=torch.Generator().manual_seed(1))
    changed = ids.clone()
    changed[:, -1] = (ids[:, -1] + 1) % 23
    with torch.no_grad():
        masked = model(ids), model(changed)
    unmasked = logits_without_mask(model, ids), logits_without_mask(model, changed)
    assert torch.equal(masked[0][:, :-1], masked[1][:, :-1])
    assert (unmasked[0][:, :-1] - unmasked[1][:, :-1]).abs().amin(dim=-1).gt(0).all()
    # 층이 하나면 마지막 위치는 마스크가 있어도 모든 토큰을 보므로 두 계산이 같습니다(층이 둘이면
    # 아래 층의 앞 위치들이 이미 미래를 본 값이라 다릅니다).
    config = GPTConfig(vocab_size=23, max_len=10, d_model=24, n_layers=1, n_heads=3)
    one_layer = GPT(config, generator=torch.Generator().manual_seed(0)).double().eval()
    with torch.no_grad():
        expected = one_layer(ids)[:, -1]
    torch.testing.assert_close(logits_without_mask(one_layer, ids)[:, -1], expected)


def test_next_token_entropy_matches_torch_and_grows_with_temperature() -> None:
    """풀이의 주장: 온도가 오를수록 엔트로피가 커지고, 낮으면 0에, 높으면 ln V에 다가갑니다."""
    logits = torch.randn(23, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    temperatures = [0.01, 0.5, 1.0, 2.0, 100.0]
    entropies = [next_token_entropy(logits, t) for t in temperatures]
    for t, entropy in zip(temperatures, entropies, strict=True):
        expected = torch.distributions.Categorical(logits=logits / t).entropy().item()
        assert entropy == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert entropies == sorted(entropies)
    assert entropies[0] < 1e-3 and entropies[-1] == pytest.approx(math.log(23), rel=1e-3)
