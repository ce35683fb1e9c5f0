"""기여자의 도구: 빌드의 일부가 아니라 저장소 뿌리에서 부르는 명령들 (빌드는 blogbuild/).

- `python -m tools.new_post` (make new-post): 새 글의 뼈대. 만드는 파일의 틀은 tools/templates/에 있습니다.
- `python -m tools.lock` (make install, make lock): CPU용 PyTorch와 고정된 의존성의 설치, constraints.txt 다시 쓰기.
"""
