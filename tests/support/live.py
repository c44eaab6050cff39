"""A real HTTP server in a thread, serving the real WSGI app (static files by WhiteNoise).

Unlike pytest-django's live_server it does not flush the database after each test (a
flush would empty the public schema under the session's Systems); tests that use it
create their own Systems with `committed` and remove them afterwards.
"""

import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connections


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class LiveServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.httpd = ThreadedWSGIServer((host, 0), QuietHandler, allow_reuse_address=False)
        self.httpd.set_app(WSGIHandler())
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        try:
            self.httpd.serve_forever()
        finally:
            connections.close_all()

    def start(self) -> "LiveServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"
