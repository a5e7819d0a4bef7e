"""The server alone, for bench/serve.py: `voiceref serve`'s gunicorn arrangement sending fixed bytes.

gunicorn with voiceref's own options (gevent workers, limits, access log) and, in place of the
app, a WSGI callable that answers every request with the same status, headers and body as a page
the real app sent. What it serves per second is the most any app can get out of this server on
this machine: the difference to `voiceref serve` is the app's own cost.

    python bench/bare_gunicorn.py PORT WORKERS ANSWER.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voiceref import config  # noqa: E402
from voiceref.server import gunicorn_options  # noqa: E402


def fixed_answer(status: str, headers: list[tuple[str, str]], body: bytes):
    """Return a WSGI app that sends this answer to every request."""

    def app(environ, start_response):
        start_response(status, list(headers))
        return [body]

    return app


class BareServer(BaseApplication):
    """gunicorn with voiceref's options, serving `app`."""

    def __init__(self, settings: dict, app):
        self.settings = settings
        self.app = app
        super().__init__()

    def load_config(self) -> None:
        for name, value in gunicorn_options(self.settings).items():
            self.cfg.set(name, value)

    def load(self):
        return self.app


def main() -> None:
    port, workers, answer = int(sys.argv[1]), int(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())
    settings = {**config.DEFAULTS, "HOST": "127.0.0.1", "PORT": port, "WORKERS": workers}
    app = fixed_answer(answer["status"], [tuple(h) for h in answer["headers"]], answer["body"].encode("utf-8"))
    BareServer(settings, app).run()


if __name__ == "__main__":
    main()
