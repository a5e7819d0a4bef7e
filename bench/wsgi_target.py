"""The WSGI app that bench/servers.py hands to other servers (granian, uWSGI), chosen by environment.

VOICEREF_BENCH_APP names it: "voiceref" is the real app, made as `voiceref serve` makes it
(settings from the VOICEREF_* variables); any other value is the path of an answer file
written by bench/serve.py, and the app is bench/bare_gunicorn.py's callable sending that
answer's status, headers and body to every request. Both servers import this module by name:

    granian --interface wsgi --working-dir bench wsgi_target:application
    uwsgi --wsgi-file bench/wsgi_target.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from bare_gunicorn import fixed_answer  # noqa: E402

from voiceref import create_app  # noqa: E402


def load(choice: str):
    """Return the real app for "voiceref", else the fixed answer in the file `choice`."""
    if choice == "voiceref":
        return create_app()
    answer = json.loads(Path(choice).read_text(encoding="utf-8"))
    return fixed_answer(answer["status"], [tuple(h) for h in answer["headers"]], answer["body"].encode("utf-8"))


application = load(os.environ["VOICEREF_BENCH_APP"])
