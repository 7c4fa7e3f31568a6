#!/usr/bin/env python3
"""Demo (loopback network): starts a TCP server on 127.0.0.1, connects
to it, sends "ping" and reads "pong".  Expected actions: net.listen,
net.connect (4 bytes out, 4 in), net.accept; alert net.listen-local
(low) only: loopback is not egress."""
import socket
import threading

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen(1)


def serve():
    c, _ = srv.accept()
    if c.recv(4) == b"ping":
        c.sendall(b"pong")
    c.close()


t = threading.Thread(target=serve)
t.start()
s = socket.create_connection(srv.getsockname())
s.sendall(b"ping")
assert s.recv(4) == b"pong"
s.close()
t.join()
srv.close()
