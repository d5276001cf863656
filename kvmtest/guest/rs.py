#!/usr/bin/env python3
"""A real server: answers HTTP GETs with its name and closes; any other first line starts echo
mode (each line comes back prefixed by the name) on a connection that stays open.
Usage: rs.py NAME PORT [ADDRESS]  (ADDRESS :: for IPv6; default 0.0.0.0)"""
import socket
import socketserver
import sys

NAME = sys.argv[1].encode()


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        first = self.rfile.readline()
        if first.startswith(b"GET") or first.startswith(b"HEAD"):
            while True:
                line = self.rfile.readline()
                if not line or line in (b"\r\n", b"\n"):
                    break
            body = NAME + b"\n"
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body)
            return
        line = first
        while line:
            self.wfile.write(NAME + b" " + line)
            self.wfile.flush()
            line = self.rfile.readline()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


ADDRESS = sys.argv[3] if len(sys.argv) > 3 else "0.0.0.0"
if ":" in ADDRESS:
    Server.address_family = socket.AF_INET6
Server((ADDRESS, int(sys.argv[2])), Handler).serve_forever()
