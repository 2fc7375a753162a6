// gpt-tokenizer (npm) on the same corpus as tokenizer_bench.cpp: tokens/s per encoding.
// Usage: node tokenizer_bench.js ROOT CORPUS [PASSES]
const fs = require('fs');
const path = require('path');
const [root, corpusPath, passesArg] = process.argv.slice(2);
const corpus = fs.readFileSync(corpusPath, 'utf8');
const docs = corpus.split('\n');
if (docs.length && docs[docs.length - 1] === '') docs.pop();
const passes = Number(passesArg || 3);
for (const enc of ['cl100k_base', 'o200k_base']) {
  const t0 = process.hrtime.bigint();
  const m = require(path.join(root, 'node_modules/gpt-tokenizer/cjs/encoding', enc + '.js'));
  m.encode('warm up');
  const t1 = process.hrtime.bigint();
  let best = Infinity, tokens = 0;
  for (let p = 0; p < passes; p++) {
    const a = process.hrtime.bigint();
    tokens = 0;
    for (const d of docs) tokens += m.encode(d, { allowedSpecial: 'all' }).length;
    const s = Number(process.hrtime.bigint() - a) / 1e9;
    best = Math.min(best, s);
  }
  const bytes = Buffer.byteLength(corpus, 'utf8');
  console.log(`gpt-tokenizer ${enc.padEnd(12)} load ${(Number(t1 - t0) / 1e9).toFixed(2)} s  ${tokens} tokens  ` +
              `${Math.round(tokens / best)} tokens/s  ${(bytes / best / 1e6).toFixed(2)} MB/s (best of ${passes})`);
}
