#!/usr/bin/env python3
"""Keystroke-to-diagnostics latency of `comity lsp`, through the real protocol.

Starts the server on stdio, opens FILE, then sends N one-character
`didChange` edits (incremental sync, an "x" inserted at a seeded random
position) and measures, for each, the time from writing the notification to
reading the diagnostics of that version:

  push: the `textDocument/publishDiagnostics` notification whose `version`
        equals the edit's version;
  pull: the response to a `textDocument/diagnostic` request sent right after
        the `didChange` (the client announces `textDocument.diagnostic`, so
        the server does not push).

Only the Python standard library is used. Prints one JSON object per mode on
stdout: {"mode", "n", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms",
"open_ms", "rss_open_kb", "rss_peak_kb", "reports_full", "reports_unchanged"}
(how many reports were full lists, how many "unchanged"). RSS is read from /proc/PID/status
(VmRSS after the document is open and diagnosed, VmHWM at the end).

usage: lsp_latency.py COMITY FILE [--edits N] [--seed S] [--mode push|pull|both]
"""
import argparse
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time


class Client:
    def __init__(self, exe):
        self.p = subprocess.Popen(
            [exe, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, bufsize=0)
        self.q = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.p.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.q.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.partition(b":")
                if k.lower() == b"content-length":
                    length = int(v)
            body = b""
            while len(body) < length:
                chunk = out.read(length - len(body))
                if not chunk:
                    self.q.put(None)
                    return
                body += chunk
            # Time of receipt is taken here, before JSON decoding of the
            # (possibly large) message by the benchmark thread.
            self.q.put((time.perf_counter(), body))

    def send(self, msg):
        data = json.dumps(msg, ensure_ascii=False).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.p.stdin.flush()
        return time.perf_counter()

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        t = self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return i, t

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout=60.0):
        """Reads messages until pred(msg) is true; answers server requests."""
        deadline = time.perf_counter() + timeout
        while True:
            item = self.q.get(timeout=max(0.01, deadline - time.perf_counter()))
            if item is None:
                raise RuntimeError("server closed its output")
            t, body = item
            msg = json.loads(body)
            if "method" in msg and "id" in msg:  # a request from the server
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            if pred(msg):
                return t, msg

    def rss_kb(self, field):
        try:
            with open(f"/proc/{self.p.pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def close(self):
        try:
            i, _ = self.request("shutdown", None)
            self.wait(lambda m: m.get("id") == i, timeout=10)
            self.notify("exit", None)
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


def pct(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def run(exe, path, mode, edits, seed):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    uri = "file://" + os.path.abspath(path)
    c = Client(exe)
    caps = {"general": {"positionEncodings": ["utf-8", "utf-16"]},
            "textDocument": {"synchronization": {"didSave": False},
                             "publishDiagnostics": {"versionSupport": True}}}
    if mode == "pull":
        caps["textDocument"]["diagnostic"] = {"dynamicRegistration": False}
    # A pushing server sends nothing when an edit leaves the diagnostics as
    # they were; the client asks to be told so, to time those edits too.
    i, _ = c.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                    "capabilities": caps,
                                    "initializationOptions": {"reportUnchangedDiagnostics": True}})
    _, init = c.wait(lambda m: m.get("id") == i)
    enc = init["result"].get("capabilities", {}).get("positionEncoding", "utf-16")
    c.notify("initialized", {})

    def diagnosed(version, req_id):
        if mode == "push":
            return lambda m: (m.get("method") in ("textDocument/publishDiagnostics",
                                                  "comity/diagnosticsUnchanged")
                              and m["params"].get("version") == version)
        return lambda m: m.get("id") == req_id

    # Like VS Code, the pull client sends the result id of the last report,
    # so that the server may answer "unchanged".
    last = {"id": None, "full": 0, "unchanged": 0}

    def pull():
        if mode != "pull":
            return None
        params = {"textDocument": {"uri": uri}}
        if last["id"] is not None:
            params["previousResultId"] = last["id"]
        rid, _ = c.request("textDocument/diagnostic", params)
        return rid

    def pulled(m):
        if mode == "push":
            last["full" if m["method"] == "textDocument/publishDiagnostics" else "unchanged"] += 1
        if mode == "pull":
            r = m["result"]
            last["id"] = r.get("resultId", last["id"])
            last[r.get("kind", "full")] += 1

    t0 = c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 0, "text": text}})
    t1, m = c.wait(diagnosed(0, pull()), timeout=300)
    pulled(m)
    last["full"] = 0
    open_ms = (t1 - t0) * 1000
    ndiag = len(m["params"]["diagnostics"] if mode == "push" else m["result"]["items"])
    rss_open = c.rss_kb("VmRSS")

    rng = random.Random(seed)
    lat = []
    for v in range(1, edits + 1):
        ln = rng.randrange(len(lines))
        line = lines[ln]
        ch = rng.randint(0, len(line))
        col = ch
        if enc == "utf-8":
            col = len(line[:ch].encode("utf-8"))
        elif enc == "utf-16":
            col = len(line[:ch].encode("utf-16-le")) // 2
        lines[ln] = line[:ch] + "x" + line[ch:]
        pos = {"line": ln, "character": col}
        t0 = c.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": v},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]})
        t1, m = c.wait(diagnosed(v, pull()))
        lat.append((t1 - t0) * 1000)
        pulled(m)
    rss_peak = c.rss_kb("VmHWM")
    c.close()
    return {"mode": mode, "n": len(lat), "encoding": enc, "diagnostics": ndiag,
            "p50_ms": round(pct(lat, 50), 3), "p90_ms": round(pct(lat, 90), 3),
            "p99_ms": round(pct(lat, 99), 3), "max_ms": round(max(lat), 3),
            "mean_ms": round(statistics.fmean(lat), 3), "open_ms": round(open_ms, 1),
            "rss_open_kb": rss_open, "rss_peak_kb": rss_peak,
            "reports_full": last["full"],
            "reports_unchanged": last["unchanged"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("comity")
    ap.add_argument("file")
    ap.add_argument("--edits", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", choices=["push", "pull", "both"], default="both")
    a = ap.parse_args()
    modes = ["push", "pull"] if a.mode == "both" else [a.mode]
    for mode in modes:
        print(json.dumps(run(a.comity, a.file, mode, a.edits, a.seed)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
