"""A small Language Server Protocol client that drives the real YAML language server.

It speaks JSON-RPC over the server's stdin/stdout (``Content-Length`` framed messages), as an
editor does: ``initialize``, the ``yaml.schemas`` setting through
``workspace/didChangeConfiguration``, ``textDocument/didOpen``, then it waits for the
diagnostics the server publishes and asks for completions. The server is the one pinned in
``tests/lsp/package-lock.json`` and installed with ``npm ci`` (see :data:`INSTALL_LINE`).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVER = HERE / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
#: How to install the server the tests drive, from the repository root.
INSTALL_LINE = "npm ci --prefix tests/lsp   (needs Node.js 18+ and npm: apt-get install nodejs npm)"
#: Longest wait for one answer from the server; only a hung server takes this long.
TIMEOUT_SECONDS = 60.0


def server_missing() -> str | None:
    """Why the server cannot be started here (with the line that installs it), or None."""
    if shutil.which("node") is None:
        return f"Node.js is not installed; install it, then the server with: {INSTALL_LINE}"
    if not SERVER.exists():
        return f"yaml-language-server is not installed; install it with: {INSTALL_LINE}"
    return None


class LanguageServerError(RuntimeError):
    """The server answered with an error, exited, or did not answer in time."""


class YamlLanguageServer:
    """One running ``yaml-language-server --stdio`` process."""

    def __init__(self, root: Path) -> None:
        self._proc = subprocess.Popen(
            ["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=root, env=dict(os.environ, NODE_NO_WARNINGS="1"))
        self._next_id = 0
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self._published = threading.Condition()
        self._reader = threading.Thread(target=self._read_forever, daemon=True)
        self._reader.start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": False},
                    "completion": {"completionItem": {"snippetSupport": True,
                                                      "documentationFormat": ["plaintext"]}},
                    "synchronization": {"didSave": False},
                },
                "workspace": {"configuration": False, "didChangeConfiguration": {}},
            },
        })
        self.notify("initialized", {})

    # --- JSON-RPC -----------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self._proc.stdin is not None
        with self._lock:
            self._proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self._proc.stdin.flush()

    def _read_forever(self) -> None:
        out = self._proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self._ended()
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            if length is None:
                continue
            self._dispatch(json.loads(out.read(length)))

    def _ended(self) -> None:
        for answers in list(self._answers.values()):
            answers.put({"error": {"message": "the language server exited"}})
        with self._published:
            self._published.notify_all()

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self._send({"id": message["id"], "result": self._answer(message)})
        elif "id" in message:
            answers = self._answers.get(message["id"])
            if answers is not None:
                answers.put(message)
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            with self._published:
                self.diagnostics[params["uri"]] = params["diagnostics"]
                self._published.notify_all()

    @staticmethod
    def _answer(request: dict[str, Any]) -> Any:
        if request["method"] == "workspace/configuration":
            return [None for _ in request["params"].get("items", [])]
        return None  # client/registerCapability, window/workDoneProgress/create ...

    def request(self, method: str, params: dict[str, Any]) -> Any:
        """Send a request and return its result."""
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._answers[ident] = answers
        self._send({"id": ident, "method": method, "params": params})
        try:
            answer = answers.get(timeout=TIMEOUT_SECONDS)
        except queue.Empty:
            raise LanguageServerError(f"no answer to {method} in {TIMEOUT_SECONDS:.0f} s") from None
        finally:
            del self._answers[ident]
        if "error" in answer:
            raise LanguageServerError(f"{method}: {answer['error'].get('message')}")
        return answer.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification (no answer)."""
        self._send({"method": method, "params": params})

    # --- What an editor does ------------------------------------------------------------------

    def configure(self, schemas: dict[str, list[str]]) -> None:
        """The settings VS Code's YAML extension sends: ``schemas`` maps a schema URI to globs."""
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": {
            "validate": True, "completion": True, "hover": True, "format": {"enable": False},
            "schemas": schemas, "schemaStore": {"enable": False}, "yamlVersion": "1.2",
        }}})

    def open(self, path: Path, text: str | None = None) -> str:
        """Open a document (its text is read from ``path`` unless given); returns its URI."""
        uri = path.as_uri()
        body = path.read_text(encoding="utf-8") if text is None else text
        with self._published:
            self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": body}})
        return uri

    def close(self, uri: str) -> None:
        """Close a document."""
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def wait_for_diagnostics(self, uris: list[str]) -> dict[str, list[dict[str, Any]]]:
        """The diagnostics published for each of ``uris`` (waits until every one has some)."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        with self._published:
            while not all(u in self.diagnostics for u in uris):
                left = deadline - time.monotonic()
                if left <= 0 or self._proc.poll() is not None:
                    missing = [u for u in uris if u not in self.diagnostics]
                    raise LanguageServerError(f"no diagnostics for {len(missing)} document(s), "
                                              f"e.g. {missing[0]}")
                self._published.wait(left)
            return {u: self.diagnostics[u] for u in uris}

    def completion(self, uri: str, line: int, character: int) -> list[dict[str, Any]]:
        """The completion items offered at a 0-based position."""
        result = self.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
        if isinstance(result, dict):
            return list(result.get("items", []))
        return list(result or [])

    def shutdown(self) -> None:
        """Ask the server to stop, and make sure it has."""
        try:
            if self._proc.poll() is None:
                self.request("shutdown", {})
                self.notify("exit", {})
                self._proc.wait(timeout=10)
        except (LanguageServerError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            self._reader.join(timeout=10)
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    pipe.close()
