"""A real OpenAI-style Batch API on 127.0.0.1 for tests: ``/v1/files`` and ``/v1/batches``, in the spirit of
``fakeserver.py``.

* ``POST /v1/files`` (multipart, ``purpose=batch``) stores the uploaded JSONL; ``GET /v1/files/{id}/content`` serves
  any stored file (inputs, outputs, error files).
* ``POST /v1/batches`` creates a batch (``in_progress``); ``GET /v1/batches/{id}`` returns it.
* A batch runs when the test says so, :meth:`FakeBatchAPI.run`: each line's request body goes to ``responder`` (the
  same :class:`~fakeserver.Behaviour` s as the chat server: a 200 answer, or an HTTP status that becomes a failed line
  in the error file). ``run(batch_id, expire_after=k)`` answers the first ``k`` lines and expires the rest (error
  file, ``batch_expired``), as an expired batch does; ``fail=True`` fails the whole batch (no output file).

Every request is recorded (:class:`~fakeserver.Recorded`) and every line answered is kept in ``lines_seen``.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fakeserver import Behaviour, Recorded, no_exchanges

Responder = Callable[[Recorded], Behaviour]


class FakeBatchAPI:
    """The Batch API on a random loopback port (use as a context manager)."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.responder: Responder = responder or (lambda request: no_exchanges())
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.lines_seen: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeBatchAPI:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # ---- what tests call

    def pending(self) -> list[str]:
        """Ids of the batches not yet run."""
        return [bid for bid, b in self.batches.items() if b["status"] == "in_progress"]

    def input_lines(self, batch_id: str) -> list[dict[str, Any]]:
        """The JSONL lines uploaded for a batch."""
        content = self.files[self.batches[batch_id]["input_file_id"]].decode("utf-8")
        return [json.loads(line) for line in content.splitlines() if line.strip()]

    def run(self, batch_id: str, *, expire_after: int | None = None, fail: bool = False) -> None:
        """Process a batch: answer its lines (all, or the first ``expire_after`` then expire), or fail it."""
        batch = self.batches[batch_id]
        now = int(time.time())
        if fail:
            batch.update(status="failed", failed_at=now, errors={"object": "list", "data": [
                {"code": "invalid_request", "message": "the input file could not be validated", "line": None,
                 "param": None}]})  # fmt: skip
            return
        outputs: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(self.input_lines(batch_id)):
            custom_id = line["custom_id"]
            if expire_after is not None and number >= expire_after:
                errors.append(json.dumps({"id": f"batch_req_{next(self._ids)}", "custom_id": custom_id,
                                          "response": None, "error": {"code": "batch_expired",
                                          "message": "This request could not be executed before the completion "
                                                     "window expired."}}))  # fmt: skip
                continue
            recorded = Recorded(method="POST", path=line["url"], headers={}, body=line["body"],
                                raw=json.dumps(line["body"]).encode("utf-8"))  # fmt: skip
            self.lines_seen.append(line)
            behaviour = self.responder(recorded)
            if behaviour.kind == "answer":
                body = _completion(behaviour.content, behaviour.finish_reason, line["body"].get("model", "fake"),
                                   next(self._ids))  # fmt: skip
                outputs.append(json.dumps({"id": f"batch_req_{next(self._ids)}", "custom_id": custom_id,
                                           "response": {"status_code": 200, "request_id": "req", "body": body},
                                           "error": None}))  # fmt: skip
            else:
                code = behaviour.status if behaviour.kind == "status" else 500
                errors.append(json.dumps({"id": f"batch_req_{next(self._ids)}", "custom_id": custom_id,
                                          "response": {"status_code": code, "request_id": "req", "body": {
                                              "error": {"message": f"fake batch line error {code}",
                                                        "type": "server_error", "code": str(code)}}},
                                          "error": None}))  # fmt: skip
        output_id = self._store_file("\n".join(outputs) + "\n") if outputs else None
        error_id = self._store_file("\n".join(errors) + "\n") if errors else None
        status = "expired" if expire_after is not None else "completed"
        batch.update(status=status, output_file_id=output_id, error_file_id=error_id,
                     request_counts={"total": len(outputs) + len(errors), "completed": len(outputs),
                                     "failed": len(errors)},
                     **({"expired_at": now} if status == "expired" else {"completed_at": now}))  # fmt: skip

    def run_all(self) -> None:
        for batch_id in self.pending():
            self.run(batch_id)

    # ---- internals

    def _store_file(self, content: str) -> str:
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = content.encode("utf-8")
        return file_id


def _completion(content: str, finish_reason: str, model: str, number: int) -> dict[str, Any]:
    completion_tokens = max(1, len(content) // 4)
    return {
        "id": f"chatcmpl-batch-{number}", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason,
                     "logprobs": None}],
        "usage": {"prompt_tokens": 100, "completion_tokens": completion_tokens,
                  "total_tokens": 100 + completion_tokens},
    }  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    fake: FakeBatchAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _record(self, raw: bytes, body: Any) -> None:
        with self.fake._lock:
            self.fake.requests.append(Recorded(method=self.command, path=self.path,
                                               headers={k.lower(): v for k, v in self.headers.items()}, body=body,
                                               raw=raw))  # fmt: skip

    def do_GET(self) -> None:
        self._record(b"", None)
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[:2] == ["v1", "batches"] and len(parts) == 3 and parts[2] in self.fake.batches:
            self._json(200, self.fake.batches[parts[2]])
        elif parts[:2] == ["v1", "files"] and len(parts) == 4 and parts[3] == "content" and parts[2] in self.fake.files:
            self._send(200, self.fake.files[parts[2]], "application/octet-stream")
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = self.path.split("?")[0].rstrip("/")
        if path == "/v1/files":
            self._record(raw, None)
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + raw
            )
            fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
            upload = fields.get("file")
            purpose = fields.get("purpose")
            if upload is None or purpose is None or purpose.get_content().strip() != "batch":
                self._json(400, {"error": {"message": "expected a file with purpose=batch", "type": "invalid"}})
                return
            content = upload.get_payload(decode=True)
            file_id = self.fake._store_file(content.decode("utf-8"))
            self._json(200, {"id": file_id, "object": "file", "bytes": len(content), "created_at": int(time.time()),
                             "filename": upload.get_filename() or "batch.jsonl", "purpose": "batch",
                             "status": "processed"})  # fmt: skip
        elif path == "/v1/batches":
            body = json.loads(raw or b"{}")
            self._record(raw, body)
            if body.get("input_file_id") not in self.fake.files:
                self._json(400, {"error": {"message": "unknown input_file_id", "type": "invalid_request_error"}})
                return
            batch_id = f"batch_{next(self.fake._ids)}"
            now = int(time.time())
            batch = {
                "id": batch_id, "object": "batch", "endpoint": body.get("endpoint"), "errors": None,
                "input_file_id": body["input_file_id"], "completion_window": body.get("completion_window", "24h"),
                "status": "in_progress", "output_file_id": None, "error_file_id": None, "created_at": now,
                "in_progress_at": now, "expires_at": now + 86400, "metadata": body.get("metadata"),
                "request_counts": {"total": 0, "completed": 0, "failed": 0},
            }  # fmt: skip
            self.fake.batches[batch_id] = batch
            self._json(200, batch)
        else:
            self._record(raw, None)
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def _json(self, code: int, payload: Any) -> None:
        self._send(code, json.dumps(payload).encode("utf-8"), "application/json")

    def _send(self, code: int, data: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
