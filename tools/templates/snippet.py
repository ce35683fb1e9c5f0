"""$title: 글에 실리는 코드.

글 docs/blog/posts/$slug.md가 이 파일의 구간을 이름으로 끌어옵니다
(--8<-- "snippets/$module.py:softmax"). 뼈대(scaffold)가 넣어 둔 예시이니 글에
맞는 코드로 바꾸세요. 구간 하나는 최상위 함수나 클래스 하나이고, 스스로 읽히도록
독스트링을 갖습니다. 글에 실리는 줄은 80칸(한글 한 자는 두 칸) 안에 두고, 긴 설명은
글의 문장으로 씁니다(CONTRIBUTING.md의 "코드 줄의 너비").
"""

from __future__ import annotations

import torch


# --8<-- [start:softmax]
def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """소프트맥스(softmax): 점수를 dim 방향의 합이 1인 확률로 바꿉니다.

    가장 큰 값을 먼저 빼도 결과는 같지만, 그래야 점수가 커도 exp가
    넘치지(overflow) 않습니다.
    """
    shifted = x - x.amax(dim=dim, keepdim=True)  # 각 줄의 최댓값이 0
    weights = shifted.exp()
    return weights / weights.sum(dim=dim, keepdim=True)


# --8<-- [end:softmax]


if __name__ == "__main__":
    scores = torch.tensor([1.0, 2.0, 3.0]) + 1000
    probs = softmax(scores)
    rounded = [round(p, 4) for p in probs.tolist()]
    print(f"softmax({scores.tolist()}) = {rounded}")
    print(f"합: {probs.sum().item():.4f}")
