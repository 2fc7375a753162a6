#!/usr/bin/python3
# Test oracle: renders chat templates with Debian's python3-jinja2 configured like Hugging Face
# transformers (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, a
# {% generation %} extension, raise_exception, strftime_now, a tojson without ASCII / HTML
# escaping). Used only by tests: Winnow's C++ engine must produce byte-identical output.
#
# Usage: render_oracle.py REQUEST.json  →  JSON on stdout
#   REQUEST: {"template": str, "contexts": [obj, ...], "now": unix_seconds}
#   OUTPUT:  [{"ok": true, "text": str, "generation": [[b, e], ...]}      (byte offsets)
#             | {"ok": false, "kind": "raise" | "error", "message": str}, ...]
import datetime
import json
import sys

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


class RaisedByTemplate(Exception):
    pass


OPEN, CLOSE = "\ue000", "\ue001"


class GenerationMarks(Extension):
    # {% generation %}...{% endgeneration %}: renders the body and records where it landed.
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_mark"), [], [], body).set_lineno(lineno)

    def _mark(self, caller):
        # Private-use sentinels around the body; render() strips them and records their offsets.
        return OPEN + caller() + CLOSE


def main():
    req = json.load(open(sys.argv[1], encoding="utf-8"))
    now = datetime.datetime.fromtimestamp(req.get("now", 0), tz=datetime.timezone.utc)

    def raise_exception(message):
        raise RaisedByTemplate(message)

    def strftime_now(fmt):
        return now.strftime(fmt)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationMarks, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now

    results = []
    try:
        tmpl = env.from_string(req["template"])
    except jinja2.TemplateSyntaxError as e:
        for _ in req["contexts"]:
            results.append({"ok": False, "kind": "syntax", "message": str(e)})
        json.dump(results, sys.stdout, ensure_ascii=False)
        return
    for ctx in req["contexts"]:
        try:
            marked = tmpl.render(**ctx)
            text, gen, start = [], [], None
            size = 0
            for ch in marked:
                if ch == OPEN:
                    start = size
                elif ch == CLOSE:
                    gen.append([start, size])
                else:
                    text.append(ch)
                    size += len(ch.encode("utf-8"))
            results.append({"ok": True, "text": "".join(text), "generation": gen})
        except RaisedByTemplate as e:
            results.append({"ok": False, "kind": "raise", "message": str(e)})
        except Exception as e:  # any jinja2 / Python error: the engine must fail too
            results.append({"ok": False, "kind": "error", "message": type(e).__name__ + ": " + str(e)})
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
