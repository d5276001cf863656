#!/usr/bin/env python3
"""A real server that names itself and the director the request came through: 'rs1 via 198.51.100.11'."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        body = ("%s via %s\n" % (NAME, self.client_address[0])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
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
    Server((address, port), Handler).serve_forever()
