#!/usr/bin/env python3
"""The Hello lesson's client, with nothing but Python's socket module.

Connects to the Hello server, prints its welcome, says three names and
prints each answer, then says `exit` and closes. The playground's page makes
the same calls through the relay; this program makes them directly.

    python3 python/hello_client.py [PORT]     (the server's port, 9999 if not given)
"""
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999

# An IPv4 (AF_INET), stream-oriented (SOCK_STREAM: TCP) socket, not yet connected.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# The three-way handshake with the server; the kernel picks our local port.
s.connect(('127.0.0.1', port))
# The server speaks first.
print(s.recv(1024).decode('utf-8'))
for name in [b'Michael', b'Tracy', b'Sarah']:
    s.send(name)
    print(s.recv(1024).decode('utf-8'))
# The server ends the conversation when it reads `exit`.
s.send(b'exit')
s.close()
