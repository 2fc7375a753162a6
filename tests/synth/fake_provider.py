#!/usr/bin/python3
"""A fake LLM provider for Winnow's synthesis tests: OpenAI chat completions (POST .../chat/completions)
and Anthropic Messages (POST .../v1/messages) on 127.0.0.1, with CORS as a real provider sends it.

Replies are made from the prompt, deterministically: the JSON shape the prompt asks for (question /
answer, chosen / rejected, instruction / output lists, role / content conversations, score / reason)
or plain text. Markers in the prompt script failures, each keyed by the first-attempt prompt:
  [[429]]        first request: 429 with Retry-After: 1       [[500]]         first request: 500
  [[timeout]]    first request: no answer for 4 s             [[malformed]]   first request: 200, body not JSON
  [[bad-json]]   model text not JSON until the repair request  [[bad-json-always]] never JSON
  [[wrong-schema]] JSON of the wrong shape until the repair    [[slow]]        every answer takes 0.3 s
With FAKE_EXPECT_KEY set, a request without that key (Authorization: Bearer / x-api-key) gets 401.
GET /count -> {"requests": n, "completions": n, "paths": [...], "auth_seen": n}; POST /reset zeroes it.
Usage: fake_provider.py [PORT]   (0 = a free port; the first line on stdout is "PORT <n>")."""
import hashlib
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"requests": 0, "completions": 0, "paths": [], "auth_seen": 0, "seen": set()}
EXPECT_KEY = os.environ.get("FAKE_EXPECT_KEY", "")

WORDS = ("amber basil cedar delta ember fjord glacier harbor iris juniper kelp lagoon meadow nectar orchid "
         "prairie quartz river sierra tundra umber valley willow xenon yarrow zephyr anchor beacon canyon dune").split()


def words_from(h, n, salt=""):
    d = hashlib.sha256((h + salt).encode()).digest()
    return " ".join(WORDS[d[i % len(d)] % len(WORDS)] + str(d[(i + 7) % len(d)] % 10) for i in range(n))


def make_content(prompt_text, first_prompt, repair):
    h = hashlib.sha256(first_prompt.encode()).hexdigest()[:12]
    if "[[bad-json-always]]" in first_prompt or ("[[bad-json]]" in first_prompt and not repair):
        return "Sure! Here is what you asked for: question? answer."
    if "[[wrong-schema]]" in first_prompt and not repair:
        return json.dumps({"q": "a question " + h, "a": "an answer"})
    p = first_prompt
    if '"score"' in p:  # judge: 4 unless the example carries [[score:N]]
        score = 4
        if "[[score:" in p:
            score = int(re.search(r"\[\[score:(\d)\]\]", p).group(1))
        return json.dumps({"score": score, "reason": "fake judgement " + h})
    if '"chosen"' in p:
        return json.dumps({"chosen": "A careful, correct answer " + h, "rejected": "A vague answer " + h})
    if '"instruction"' in p and '"output"' in p:
        m = re.search(r"Write (\d+) new", p)
        n = int(m.group(1)) if m else 3
        return "```json\n" + json.dumps([{"instruction": "Describe " + words_from(h, 6, str(i)),
                                           "output": "Output " + words_from(h, 4, "o" + str(i))} for i in range(n)]) + "\n```"
    if '"role"' in p and '"content"' in p:
        m = re.search(r"\((\d+) messages in all\)", p)
        n = int(m.group(1)) if m else 2
        return json.dumps([{"role": "user" if i % 2 == 0 else "assistant", "content": "turn %d %s" % (i, h)} for i in range(n)])
    if '"question"' in p:
        return json.dumps({"question": "What about " + words_from(h, 3) + "?", "answer": "An answer " + h + "."})
    return "Rewritten text " + h


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def cors(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "retry-after")

    def reply(self, code, body, extra=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.cors()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self):
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers",
                         "authorization, content-type, x-api-key, anthropic-version, anthropic-dangerous-direct-browser-access")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.startswith("/count"):
            with LOCK:
                out = {k: v for k, v in STATE.items() if k != "seen"}
            return self.reply(200, json.dumps(out))
        self.reply(404, '{"error":"not found"}')

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        if self.path.startswith("/reset"):
            with LOCK:
                STATE.update(requests=0, completions=0, paths=[], auth_seen=0, seen=set())
            return self.reply(200, "{}")
        anthropic = self.path.endswith("/v1/messages")
        if not anthropic and not self.path.endswith("/chat/completions"):
            return self.reply(404, '{"error":{"message":"unknown path"}}')
        key = self.headers.get("x-api-key") if anthropic else (self.headers.get("Authorization") or "").replace("Bearer ", "", 1)
        with LOCK:
            STATE["requests"] += 1
            STATE["paths"].append(self.path)
            if key:
                STATE["auth_seen"] += 1
        if EXPECT_KEY and key != EXPECT_KEY:
            return self.reply(401, json.dumps({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}))
        try:
            req = json.loads(raw)
        except ValueError:
            return self.reply(400, '{"error":{"message":"body is not JSON"}}')
        msgs = req.get("messages", [])
        users = [m["content"] for m in msgs if m.get("role") == "user"]
        first = users[0] if users else ""
        repair = any(m.get("role") == "assistant" for m in msgs)
        with LOCK:
            first_time = first not in STATE["seen"]
            STATE["seen"].add(first)
        if "[[slow]]" in first:
            time.sleep(0.3)
        if first_time and not repair:
            if "[[429]]" in first:
                return self.reply(429, '{"error":{"message":"rate limited"}}', [("Retry-After", "1")])
            if "[[500]]" in first:
                return self.reply(500, '{"error":{"message":"internal error"}}')
            if "[[timeout]]" in first:
                time.sleep(4)
                return self.reply(500, '{"error":{"message":"too late"}}')
            if "[[malformed]]" in first:
                return self.reply(200, '{"choices": [ this is not json')
        content = make_content(users[-1] if users else "", first, repair)
        usage_in, usage_out = max(1, len(raw) // 4), max(1, len(content) // 4)
        with LOCK:
            STATE["completions"] += 1
        if anthropic:
            body = {"id": "msg_fake", "type": "message", "role": "assistant", "model": req.get("model"),
                    "content": [{"type": "text", "text": content}], "stop_reason": "end_turn",
                    "usage": {"input_tokens": usage_in, "output_tokens": usage_out}}
        else:
            body = {"id": "chatcmpl-fake", "object": "chat.completion", "model": req.get("model"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": usage_in, "completion_tokens": usage_out, "total_tokens": usage_in + usage_out}}
        self.reply(200, json.dumps(body))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
