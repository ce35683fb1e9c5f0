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
$imports

# %% [markdown]
# ## 글이 싣는 코드
#
# 글이 싣는 구간의 함수입니다. 이 셀을 글에 실을 숫자를 계산해 save_numbers로 저장하는 셀로 바꾸세요.

# %%
print($function.__doc__)
