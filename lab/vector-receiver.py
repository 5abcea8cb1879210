#!/usr/bin/env python3
"""A stand-in for a Vector http_server source (decoding json, framing newline_delimited) for the lab and the demo:
accepts POSTed newline-delimited JSON, checks every line parses, appends the lines to a file and answers 200 (400 for
a line that is not JSON). Usage: vector-receiver.py HOST PORT FILE"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        lines = [l for l in body.decode("utf-8").split("\n") if l.strip()]
        try:
            for l in lines:
                json.loads(l)
        except ValueError:
            self.send_response(400)
            self.end_headers()
            return
        with open(path, "a", encoding="utf-8") as f:
            for l in lines:
                f.write(l + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer((host, port), Handler).serve_forever()
