# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # $title: 동반 노트북
#
# 글 「$title」에 실리는 숫자를 만드는 코드입니다. 블로그를 빌드할 때 이 노트북이 처음부터
# 실행되고, 여기서 저장한 그림·표·숫자가 글에 실립니다. 숫자는 save_numbers, 표는 save_table,
# 그림은 save_plot(대체 텍스트 alt와 캡션 caption까지)으로 저장하면 결과 목록에 이름이 적히고,
# 글은 그 이름으로 싣습니다.

# %%
import torch

$imports

# %% [markdown]
# ## 소프트맥스와 torch.softmax 견주기
#
# 점수에 1000을 더해도 두 구현의 차이가 아주 작은지 봅니다. 이 차이가 글의 문장에 들어갑니다.

# %%
g = torch.Generator().manual_seed(0)
scores = torch.randn(4, 8, generator=g, dtype=torch.float64) + 1000
reference = torch.softmax(scores, dim=-1)
difference = (softmax(scores) - reference).abs().max().item()
save_numbers(max_difference=f"{difference:.1e}")
