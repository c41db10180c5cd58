"""A partner's webhook receiver: verifies each Oversight delivery (Standard Webhooks), then
prints the event as one JSON line and answers 204.

    export OVERSIGHT_WEBHOOK_SECRET=whsec_...   # shown once, when the webhook was created
    python examples/webhook_receiver.py --port 8080

A delivery whose signature does not verify, or whose timestamp is more than 5 minutes off,
is answered 401 and never printed. The same event can arrive more than once (delivery is at
least once): `webhook-id` is the same on every retry, so the receiver skips ids it has seen.
The event names the item and its version, never its content: fetch `data.url` with the
partner's own token to read it (a 404 there means it is no longer visible to you).
Needs Python 3.11+ and `standardwebhooks` (`pip install standardwebhooks`).
"""

import argparse
import contextlib
import json
import os
import sys
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError

MAX_BODY = 1024 * 1024
SEEN_IDS = 10_000


def make_handler(verifier: Webhook) -> type[BaseHTTPRequestHandler]:
    seen: OrderedDict[str, None] = OrderedDict()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY:
                self._answer(413)
                return
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                event = verifier.verify(body, headers)
            except WebhookVerificationError:
                self._answer(401)
                return
            message_id = headers["webhook-id"]
            if message_id not in seen:
                seen[message_id] = None
                if len(seen) > SEEN_IDS:
                    seen.popitem(last=False)
                print(json.dumps({"webhook_id": message_id, **event}), flush=True)
            self._answer(204)

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    secret = os.environ.get("OVERSIGHT_WEBHOOK_SECRET", "")
    if not secret.startswith("whsec_"):
        sys.exit("set OVERSIGHT_WEBHOOK_SECRET to the webhook's secret (whsec_...)")
    server = ThreadingHTTPServer((args.host, args.port), make_handler(Webhook(secret)))
    print(f"listening on http://{args.host}:{server.server_address[1]}/", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
