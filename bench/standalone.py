#!/usr/bin/env python3
"""Load test of the standalone form server as an on-premises region runs it: the release
`guidepost-function` sending through an SMTP relay on loopback (the tests' aiosmtpd relay.py, no TLS), the
folder spool on disk, the example site's largest form (network-order). wrk posts on the same 2-core machine:

  1. rejected: a submission with an invalid HSA-id (parsed and validated, answered 422, nothing stored);
  2. accepted: a new valid submission per request (spooled with two fsyncs, two SMTP transactions, 303);
  3. mixed: both at once, each with half the connections.

Then /metrics is scraped and compared with what the relay got: every accepted submission's desk mail
arrived exactly once. Usage:
  python3 bench/standalone.py --bin target-bench/release/guidepost-function --guidepost target/debug/guidepost \
      --work target-bench/standalone --duration 10
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (network_order_body, parse_wrk, free_port, WRK_SCRIPT)

REPO = Path(__file__).resolve().parent.parent


def wait_http(url: str, seconds: float = 20) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if time.time() > deadline:
                raise SystemExit(f"standalone: {url} did not answer")
            time.sleep(0.05)


def wrk(args, port: int, script: Path, connections: int) -> subprocess.Popen:
    return subprocess.Popen(
        [args.wrk, "-t1", f"-c{connections}", f"-d{args.duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}/forms/network-order"],
        stdout=subprocess.PIPE, text=True)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bin", required=True)
    p.add_argument("--guidepost", required=True)
    p.add_argument("--work", required=True, type=Path)
    p.add_argument("--wrk", default=shutil.which("wrk") or "wrk")
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--pool", type=int, default=4, help="GUIDEPOST_SMTP_POOL_SIZE")
    args = p.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([args.guidepost, "build", "--root", str(REPO), "--out", str(work / "site")], check=True,
                   stdout=subprocess.DEVNULL)
    relay_port, port, metrics_port = bench.free_port(), bench.free_port(), bench.free_port()
    relay = subprocess.Popen(
        [sys.executable, str(REPO / "functions/handler/tests/smtp/relay.py"), "--port", str(relay_port),
         "--tls", "none", "--mode-file", str(work / "mode"), "--out", str(work / "relay.jsonl"),
         "--certs", str(work / "certs")], stdout=subprocess.PIPE, text=True)
    assert relay.stdout.readline().startswith("ready")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GUIDEPOST_"))}
    env.update({
        "GUIDEPOST_FORMS": str(work / "site/forms/forms.json"), "GUIDEPOST_SITE_DIR": str(work / "site"),
        "GUIDEPOST_ACCOUNT_KEY": "a benchmark key, 32 bytes or more",
        "GUIDEPOST_DESKS": str(REPO / "functions/handler/desks.example.json"),
        "GUIDEPOST_SPOOL_DIR": str(work / "spool"), "GUIDEPOST_ADDR": f"127.0.0.1:{port}",
        "GUIDEPOST_METRICS_ADDR": f"127.0.0.1:{metrics_port}", "GUIDEPOST_MAIL": "smtp",
        "GUIDEPOST_SENDER": "Formulär <formular@region.example>", "GUIDEPOST_SMTP_HOST": "127.0.0.1",
        "GUIDEPOST_SMTP_PORT": str(relay_port), "GUIDEPOST_SMTP_TLS": "none",
        "GUIDEPOST_SMTP_POOL_SIZE": str(args.pool),
        "GUIDEPOST_RATE_BURST": "1000000000", "GUIDEPOST_RATE_PER_MINUTE": "1000000000",
        "GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY": "1000000", "GUIDEPOST_MIN_FILL_MS": "0",
        "GUIDEPOST_MAX_CONNECTIONS_PER_CLIENT": "1000", "RUST_LOG": "warn",
    })
    server = subprocess.Popen([args.bin], env=env, stdout=subprocess.DEVNULL,
                              stderr=open(work / "server.log", "w"))
    results = []
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        today = datetime.date.today()
        # Each run's valid bodies carry the run's number, so no run repeats an earlier run's submissions
        # (a repeat is answered from the idempotency record and sends nothing).
        for run in range(3):
            valid = bench.network_order_body(today, f"run{run}-MARKER")
            (work / f"valid{run}.txt").write_bytes(valid)
            (work / f"valid{run}.lua").write_text(bench.WRK_SCRIPT.format(body=work / f"valid{run}.txt"))
        invalid = valid.replace(b"hsa_id=SE2321000016-1234", b"hsa_id=fel", 1)
        (work / "invalid.txt").write_bytes(invalid)
        (work / "invalid.lua").write_text(bench.WRK_SCRIPT.format(body=work / "invalid.txt"))
        runs = [("rejected (422)", [("invalid", args.connections)]),
                ("accepted (303, SMTP)", [("valid", args.connections)]),
                ("mixed", [("invalid", args.connections // 2), ("valid", args.connections // 2)])]
        for run, (label, parts) in enumerate(runs):
            load = os.getloadavg()
            script = lambda kind: work / (f"valid{run}.lua" if kind == "valid" else "invalid.lua")
            procs = [(kind, wrk(args, port, script(kind), c)) for kind, c in parts]
            for kind, proc in procs:
                out, _ = proc.communicate()
                r = bench.parse_wrk(out)
                r.update(run=label, path="rejected" if kind == "invalid" else "accepted",
                         connections=dict(parts)[kind], load=" ".join(f"{x:.2f}" for x in load))
                results.append(r)
        time.sleep(3)  # let requests in flight finish
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics").read().decode()
    finally:
        server.terminate()
        server.wait(30)
        relay.terminate()
        relay.wait(10)
    relay_file = work / "relay.jsonl"
    got = [json.loads(l) for l in relay_file.read_text().splitlines()] if relay_file.exists() else []
    refs = [re.search(r"GP-[0-9A-Z]{4}-[0-9A-Z]{4}", m["data"]).group(0) for m in got]
    sample = lambda name: float(next((l.split()[-1] for l in metrics.splitlines() if l.startswith(name + " ")), 0))
    delivered = sample('guidepost_submissions_total{form="network-order",outcome="delivered"}')
    duplicate = sample('guidepost_submissions_total{form="network-order",outcome="duplicate"}')
    undelivered = sample('guidepost_submissions_total{form="network-order",outcome="spooled_undelivered"}')
    invalid = sample('guidepost_submissions_total{form="network-order",outcome="invalid"}')
    print("| run | path | wrk connections | requests/s | p50 | p99 | requests | non-2xx/3xx | load before |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['run']} | {r['path']} | {r['connections']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | "
              f"{r['p99_ms']:.2f} ms | {r['requests']:,} | {r['bad']:,} | {r['load']} |")
    print(f"\nmetrics: delivered {delivered:.0f}, spooled_undelivered {undelivered:.0f}, duplicate {duplicate:.0f}, invalid {invalid:.0f}; "
          f"spool pending {sample('guidepost_spool_pending'):.0f}; relay got {len(got)} messages for "
          f"{len(set(refs))} references; duplicated messages {len(got) - len(set((r, m['to'][0]) for r, m in zip(refs, got)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
