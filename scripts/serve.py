#!/usr/bin/python3
"""Serves the Winnow web studio (a dist/ folder) on 127.0.0.1 with the headers that make the page
cross-origin isolated (COOP / COEP), and prints its URL.

    /usr/bin/python3 scripts/serve.py [DIR] [--port N] [--no-isolation]

DIR defaults to dist/ next to this script's folder. --port 0 picks a free port. The page also works
without the headers (single-threaded), as on a static host that cannot set them: --no-isolation.
"""
import argparse
import functools
import http.server
import os
import sys


class StudioHandler(http.server.SimpleHTTPRequestHandler):
    isolation = True
    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map,
                          **{".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
                             ".json": "application/json", ".css": "text/css"})

    def end_headers(self):
        if self.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("WINNOW_SERVE_LOG"):
            super().log_message(fmt, *args)


def main():
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dist")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=root)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--no-isolation", action="store_true")
    a = ap.parse_args()
    if not os.path.isfile(os.path.join(a.dir, "index.html")):
        print(f"serve.py: {a.dir} has no index.html; build the studio first "
              "(cmake --build <wasm build dir> --target studio_dist)", file=sys.stderr)
        return 2
    StudioHandler.isolation = not a.no_isolation
    handler = functools.partial(StudioHandler, directory=a.dir)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), handler)
    print(f"Winnow studio: http://127.0.0.1:{httpd.server_address[1]}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
