#!/usr/bin/env python3
"""A real server that names itself and the director the request came through: 'rs1 via 198.51.100.11'.

The headers go out at once (X-Via names the director), the body after HOLD seconds (third argument,
default 0): a flow stays open that long, and a client whose flow fails midway knows which director it was on.
"""
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        body = ("%s via %s\n" % (NAME, self.client_address[0])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Via", self.client_address[0])
        self.end_headers()
        self.wfile.flush()
        if HOLD > 0:
            time.sleep(HOLD)
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        pass  # a client (the director) that went away mid-reply: nothing to report


if __name__ == "__main__":
    address, port, NAME = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    HOLD = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    Server((address, port), Handler).serve_forever()
