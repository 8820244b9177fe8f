#!/usr/bin/env python3
"""Measures guidepost against Hugo and the form function; called by bench/run.sh (which builds the binaries
and installs the tools), but usable on its own. Standard library only.

    bench.py site --sizes 1000,10000 --runs 5,3 --guidepost BIN [--serve-bin BIN] [--hugo BIN] --work DIR
    bench.py function --bin BIN --guidepost BIN --work DIR [--duration 10]

Every number comes with the load average at the time it was taken, since other work on the machine skews it.
Only loopback addresses are used; every loop and wait is bounded.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TIME = Path("/usr/bin/time")


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- one process, measured


class Run:
    """Wall time (s), CPU time user+sys (s), peak resident memory (MiB) of one command."""

    def __init__(self, wall: float, cpu: float, rss_mib: float, load: str):
        self.wall, self.cpu, self.rss_mib, self.load = wall, cpu, rss_mib, load


def measure(cmd: list[str], cwd: Path | None = None, timeout: float = 1800) -> Run:
    """Runs `cmd` under `/usr/bin/time -v` (Debian package `time`); without it, reads the same numbers
    from the kernel's rusage of the child (wait4)."""
    before = load()
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    report, output = tmp / f"gp-bench-time-{os.getpid()}.txt", tmp / f"gp-bench-out-{os.getpid()}.txt"
    use_time = TIME.exists()
    full = [str(TIME), "-v", "-o", str(report), *cmd] if use_time else cmd
    with open(output, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, proc.kill)  # a blocking wait: no polling to steal CPU
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = output.read_text(errors="replace")
    output.unlink()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{text[-4000:]}")
    if use_time:
        rep = report.read_text()
        report.unlink()
        field = lambda name: float(re.search(rf"{re.escape(name)}: ([\d.]+)", rep).group(1))
        cpu = field("User time (seconds)") + field("System time (seconds)")
        rss = field("Maximum resident set size (kbytes)") / 1024
    else:
        cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    return Run(wall, cpu, rss, before)


def sync_disk() -> None:
    """Writes back what the previous step left in the page cache, so it does not land on the next run."""
    os.sync()


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) below `path`."""
    files = size = 0
    for root, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(root, name)).st_size
    return files, size


# ---------------------------------------------------------------- full builds


def full_builds(n: int, runs_wanted: int, work: Path, args, between=lambda: None) -> dict:
    site = work / str(n)
    log(f"== {n} pages: writing the corpus ({load()})")
    subprocess.run([sys.executable, str(HERE / "corpus.py"), "--pages", str(n), "--seed", str(args.seed),
                    "--out", str(site)] + (["--search"] if args.search else []), check=True, stdout=sys.stderr)
    # Each round's clean build goes into a folder that never existed (as in CI's fresh clone), and no
    # tree is deleted until the end: on an ext4 disk without a journal, creating files within a minute or
    # so of deleting many makes the allocator step over every recently freed inode (`recently_deleted`),
    # which would charge one tool for the other's clean-up. Mode `rm` measures exactly that case.
    outs = {"guidepost": site / "out-guidepost-0", "hugo": site / "out-hugo-0"}
    tools = {"guidepost": lambda: [args.guidepost, "build", "--root", str(site / "guidepost"), "--out",
                                   str(outs["guidepost"])]}
    if args.hugo:
        tools["hugo"] = lambda: [args.hugo, "--source", str(site / "hugo"), "--destination", str(outs["hugo"]),
                                 "--cacheDir", str(site / "hugo-cache"), "--quiet"]
    modes = args.modes.split(",")
    # The page edited in mode `one`: the same file in both sites.
    rel = sorted(p.relative_to(site / "guidepost" / "content")
                 for p in (site / "guidepost" / "content").rglob("*.md") if p.name != "_index.md")[n // 3]
    edited = {"guidepost": site / "guidepost" / "content" / rel, "hugo": site / "hugo" / "content" / rel}
    runs: dict[tuple[str, str], list[Run]] = {(m, t): [] for m in modes for t in tools}
    floor: list[Run] = []
    made: list[Path] = []  # every tree made, deleted at the end

    def run(mode: str, tool: str, rnd: int) -> None:
        if mode == "one":
            with open(edited[tool], "a", encoding="utf-8") as f:
                f.write(f"\nEn ändring i omgång {rnd}.\n")
        r = measure(tools[tool]())
        log(f"   {tool:9} {mode:5} run {rnd}: wall {r.wall * 1000:8.0f} ms  cpu {r.cpu * 1000:8.0f} ms  "
            f"peak {r.rss_mib:7.1f} MiB  ({r.load}){'  [warm-up]' if rnd == 0 else ''}")
        if rnd > 0:
            runs[(mode, tool)].append(r)

    for rnd in range(runs_wanted + 1):  # round 0 warms the page cache and is not counted
        # clean: into a new, empty folder; one: one page changed since the previous build over its output;
        # none: nothing changed since then.
        for mode in (m for m in modes if m != "rm"):
            for tool in tools:  # alternate the tools, so drifting load hits both alike
                if mode == "clean":
                    outs[tool] = site / f"out-{tool}-{rnd}"
                    made.append(outs[tool])
                    sync_disk()
                run(mode, tool, rnd)
        # The floor: the same output tree copied into an empty folder by cp -r.
        floor_dest = site / f"floor-copy-{rnd}"
        made.append(floor_dest)
        sync_disk()
        r = measure(["cp", "-r", str(outs["guidepost"]), str(floor_dest)])
        log(f"   cp -r     floor run {rnd}: wall {r.wall * 1000:8.0f} ms  cpu {r.cpu * 1000:8.0f} ms  ({r.load})")
        if rnd > 0:
            floor.append(r)
    # What else is measured on this corpus (serve), before mode rm and the clean-up delete trees.
    between()
    if "rm" in modes:
        # rm: the previous output (and guidepost's manifest beside it) deleted, the disk synced, then a
        # build into the same folder at once, as an editor who runs `rm -rf public` first.
        for rnd in range(1, runs_wanted + 1):
            for tool in tools:
                shutil.rmtree(outs[tool], ignore_errors=True)
                outs[tool].with_name(f".{outs[tool].name}.guidepost").unlink(missing_ok=True)
                sync_disk()
                run("rm", tool, rnd)
    runs[("floor", "cp -r")] = floor
    outs["cp -r"] = outs["guidepost"]
    result = {"pages": n, "runs": []}
    for (mode, tool), rs in runs.items():
        files, size = tree_size(outs[tool])
        result["runs"].append({
            "mode": mode,
            "tool": tool,
            "wall_ms": statistics.median(r.wall for r in rs) * 1000,
            "cpu_ms": statistics.median(r.cpu for r in rs) * 1000,
            "rss_mib": statistics.median(r.rss_mib for r in rs),
            "wall_all_ms": [round(r.wall * 1000) for r in rs],
            "loads": [r.load for r in rs],
            "files": files,
            "bytes": size,
        })
    for tree in made:
        shutil.rmtree(tree, ignore_errors=True)
        tree.with_name(f".{tree.name}.guidepost").unlink(missing_ok=True)
    return result


# ---------------------------------------------------------------- rebuilds under `guidepost serve`


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A child process whose stdout lines are collected by a thread."""

    def __init__(self, cmd: list[str], env: dict | None = None, cwd: Path | None = None):
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env, cwd=cwd, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def wait_for(self, pattern: str, start: int, timeout: float) -> tuple[int, float, re.Match]:
        """Waits for a line matching `pattern` at index ≥ start; returns (index, time, match)."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    m = rx.search(self.lines[i][1])
                    if m:
                        return i, self.lines[i][0], m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    tail = "\n".join(l for _, l in self.lines[-20:])
                    raise SystemExit(f"bench: no line matching {pattern!r} within {timeout:.0f} s:\n{tail}")
                self.cond.wait(min(left, 0.5))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def stamp(path: Path):
    try:
        st = os.stat(path)
        return st.st_ino, st.st_mtime_ns, st.st_size
    except FileNotFoundError:
        return None


def poll_change(path: Path, before, start: float, timeout: float, needle: bytes | None = None) -> float:
    """Seconds from `start` until `path` differs from `before` (and contains `needle`), polling every 1 ms."""
    deadline = start + timeout
    while time.perf_counter() < deadline:
        now = stamp(path)
        if now is not None and now != before:
            if needle is None:
                return time.perf_counter() - start
            try:
                if needle in path.read_bytes():
                    return time.perf_counter() - start
            except FileNotFoundError:
                pass
        time.sleep(0.001)
    raise SystemExit(f"bench: {path} did not change within {timeout:.0f} s")


BUILT = r"built .* in (\d+) ms"


def serve_rebuilds(n: int, work: Path, args) -> dict:
    site = work / str(n) / "guidepost"
    out = work / str(n) / "out-serve"
    port = free_port()
    pages = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    page = pages[len(pages) // 2]
    html = out / page.relative_to(site / "content").with_suffix("") / "index.html"
    log(f"== {n} pages: guidepost serve on 127.0.0.1:{port}, editing {page.relative_to(site)} ({load()})")
    server = Server([args.serve_bin, "serve", "--root", str(site), "--out", str(out), "--port", str(port),
                     "--mail-dir", str(work / "serve-mail")])
    result = {"pages": n, "no_change": [], "edit": [], "title": [], "no_change_reported": [], "edit_reported": [],
              "title_reported": [], "title_files": 0, "loads": []}
    # A title shows on the page, in the sidebar of every page of its section and in the section's list.
    section = page.parent
    shown_in = [out / p.relative_to(site / "content").with_suffix("") / "index.html"
                for p in sorted(section.glob("*.md")) if p.name != "_index.md"]
    shown_in.append(out / section.relative_to(site / "content") / "index.html")
    result["title_files"] = len(shown_in)
    searching = args.search

    def settle(start: int) -> None:
        """With search on, waits until the index has caught up, so it does not share the next edit's CPU."""
        if searching:
            server.wait_for(r"search index updated", start, 600)
        time.sleep(0.5)

    try:
        i, _, m = server.wait_for(BUILT, 0, 600)
        result["first_build_ms"] = int(m.group(1))
        i, _, _ = server.wait_for(r"watching", i, 60)
        settle(0)
        original = page.read_bytes()
        for k in range(args.serve_runs):
            for kind in ("no_change", "edit", "title"):
                before = stamp(html)
                seen = len(server.lines)
                result["loads"].append(load())
                if kind == "no_change":
                    # Same bytes: the watcher sees a write, nothing changes. Timed to the serve's next line (its
                    # rebuild report), since a serve that notices nothing changed need not touch the output.
                    start = time.perf_counter()
                    page.write_bytes(original)
                    _, at, line = server.wait_for(BUILT, seen, 600)
                    elapsed = at - start
                    touched = stamp(html) != before
                elif kind == "edit":
                    needle = f"Ändrad {k} gången.".encode()
                    text = original.rstrip(b"\n") + b" " + needle + b"\n"
                    start = time.perf_counter()
                    page.write_bytes(text)
                    elapsed = poll_change(html, before, start, 600, needle)
                    touched = True
                else:
                    needle = f"Titel nummer {k}".encode()
                    text = re.sub(rb"(?m)^title: .*$", b"title: " + needle, original, count=1)
                    start = time.perf_counter()
                    page.write_bytes(text)
                    befores = [stamp(f) for f in shown_in]
                    elapsed = max(poll_change(f, b, start, 600, needle) for f, b in zip(shown_in, befores))
                    touched = True
                j, _, m = server.wait_for(BUILT, seen, 600)
                result[kind].append(elapsed * 1000)
                result[f"{kind}_reported"].append(int(m.group(1)))
                what = {"edit": "page on disk", "title": f"all {len(shown_in)} pages on disk",
                        "no_change": "rebuild reported"}[kind]
                log(f"   {kind:9} {k}: {what} after {elapsed * 1000:7.0f} ms (serve reports a {m.group(1)} ms "
                    f"build{'' if touched else ', output untouched'}) ({result['loads'][-1]})")
                if kind != "no_change":  # back to the original text before the next measurement
                    page.write_bytes(original)
                    server.wait_for(BUILT, j + 1, 600)
                settle(seen)
    finally:
        page.write_bytes(original)
        server.stop()
    return result


# ---------------------------------------------------------------- report


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def site_report(builds: list[dict], serves: list[dict]) -> str:
    lines = ["| pages | output folder | tool | wall (median) | CPU user+sys | peak RSS | wall / page | output | "
             "every run's wall (ms) |",
             "|---:|---|---|---:|---:|---:|---:|---:|---|"]
    for b in builds:
        for t in b["runs"]:
            lines.append(f"| {b['pages']:,} | {t['mode']} | {t['tool']} | {fmt_ms(t['wall_ms'])} | "
                         f"{fmt_ms(t['cpu_ms'])} | {t['rss_mib']:.0f} MiB | {t['wall_ms'] * 1000 / b['pages']:.0f} µs | "
                         f"{t['files']:,} files, {t['bytes'] / 2**20:.1f} MiB | "
                         f"{', '.join(map(str, t['wall_all_ms']))} |")
    pick = lambda b, mode, tool: next((t for t in b["runs"] if t["mode"] == mode and t["tool"] == tool), None)
    modes = list(dict.fromkeys(t["mode"] for b in builds for t in b["runs"]))
    pairs = [(b, m, pick(b, m, "guidepost"), pick(b, m, "hugo")) for b in builds for m in modes]
    pairs = [p for p in pairs if p[2] and p[3]]
    if pairs:
        lines += ["", "| pages | output folder | wall guidepost/Hugo | CPU guidepost/Hugo | peak RSS guidepost/Hugo |",
                  "|---:|---|---:|---:|---:|"]
        for b, m, g, h in pairs:
            lines.append(f"| {b['pages']:,} | {m} | {g['wall_ms'] / h['wall_ms']:.3f} | "
                         f"{g['cpu_ms'] / h['cpu_ms']:.3f} | {g['rss_mib'] / h['rss_mib']:.3f} |")
    floors = [(b, m, pick(b, m, "guidepost"), pick(b, "floor", "cp -r")) for b in builds for m in modes]
    floors = [f for f in floors if f[2] and f[3] and f[1] != "floor"]
    if floors:
        lines += ["", "| pages | output folder | guidepost wall / `cp -r` of its output into an empty folder |",
                  "|---:|---|---:|"]
        for b, m, g, f in floors:
            lines.append(f"| {b['pages']:,} | {m} | {g['wall_ms'] / f['wall_ms']:.2f} |")
    if len(builds) >= 2:
        a, z = builds[0], builds[-1]
        lines.append("")
        for t in a["runs"]:
            u = pick(z, t["mode"], t["tool"])
            if u:
                lines.append(f"- {t['tool']} ({t['mode']}): {a['pages']:,} → {z['pages']:,} pages "
                             f"(×{z['pages'] / a['pages']:.0f}): wall ×{u['wall_ms'] / t['wall_ms']:.1f}, "
                             f"CPU ×{u['cpu_ms'] / t['cpu_ms']:.1f}")
    if serves:
        span = lambda xs: f"{fmt_ms(statistics.median(xs))} ({fmt_ms(min(xs))}–{fmt_ms(max(xs))})"
        lines += ["", "| pages | serve: first build | no-change save → rebuild reported (median, min–max) | "
                      "body edit → page on disk (median, min–max) | title edit → every page showing it on disk "
                      "(median, min–max) | serve's own times: body, title (median) |",
                  "|---:|---:|---:|---:|---:|---:|"]
        for s in serves:
            lines.append(f"| {s['pages']:,} | {fmt_ms(s['first_build_ms'])} | {span(s['no_change'])} | "
                         f"{span(s['edit'])} | {span(s['title'])} ({s['title_files']} pages) | "
                         f"{fmt_ms(statistics.median(s['edit_reported']))}, "
                         f"{fmt_ms(statistics.median(s['title_reported']))} |")
    return "\n".join(lines)


def cmd_site(args) -> int:
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    builds, serves = [], []
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [int(r) for r in args.runs.split(",")]
    for i, n in enumerate(sizes):
        if args.skip_builds:  # the corpus only, for the serve timings
            subprocess.run([sys.executable, str(HERE / "corpus.py"), "--pages", str(n), "--seed", str(args.seed),
                            "--out", str(work / str(n))] + (["--search"] if args.search else []),
                           check=True, stdout=sys.stderr)
            if args.serve_bin:
                serves.append(serve_rebuilds(n, work, args))
        else:
            serve = (lambda: serves.append(serve_rebuilds(n, work, args))) if args.serve_bin else (lambda: None)
            builds.append(full_builds(n, runs[min(i, len(runs) - 1)], work, args, between=serve))
    report = site_report(builds, serves)
    header = (f"Site benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
              f"runs per tool: {args.runs} (by size), work folder {work}, {load()} at the end.\n\n")
    (work / "site-results.md").write_text(header + report + "\n")
    (work / "site-results.json").write_text(json.dumps({"builds": builds, "serves": serves}, indent=1))
    print(header + report)
    return 0


# ---------------------------------------------------------------- the form function


def network_order_body(today: datetime.date, marker: str = "") -> bytes:
    """A valid urlencoded submission of the largest form, every field filled, as a browser with JavaScript
    sends it (the page's timer field says 30 s were spent on the page). `marker` goes into a free-text field,
    so that each request of the load test is a new submission (identical ones are answered from the
    function's idempotency record instead of being sent again)."""
    pairs = [
        ("orderer_kind", "private-provider"), ("hsa_id", "SE2321000016-1234"), ("agreement", "hsf"), ("ada_number", "ADA-4711"),
        ("case_type", "new"), ("site_name", "Vårdcentralen Solna"),
        ("site_address", "Solnavägen 1, 171 64 Solna"), ("connection_type", "xdsl"), ("service_level", "S2"),
        ("capacity", "20"), ("capacity_unit", "Mbit/s"), ("users", "25"), ("opening_hours", "vardagar 8–17"),
        ("new_ip", "yes"), ("wanted_date", (today + datetime.timedelta(days=60)).isoformat()),
        ("needs", "Anslutning för journalsystem, e-recept och videomöten. " * 8),
        ("directions", "Personalingången på baksidan, ring på klockan till expeditionen."),
        ("invoice_name", "Vårdcentralen Solna AB"), ("invoice_orgnr", "556036-0793"),
        ("invoice_address", "Box 123\n171 64 Solna"), ("invoice_other", f"Kostnadsställe 4711 {marker}"),
        ("contact_name", "Anna Andersson"), ("contact_email", "anna@example.se"),
        ("contact_phone", "08-123 456 78"), ("advice", "no"), ("documents_accepted", "yes"),
        ("gp_elapsed_ms", "30000"),
    ]
    return urllib.parse.urlencode(pairs).encode()


def http(port: int, method: str, path: str, body: bytes = b"", timeout: float = 2.0) -> int:
    """One request on a fresh connection; the status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n")
        s.sendall(head.encode() + body)
        data = s.recv(64)
        return int(data.split(b" ", 2)[1])


def function_env(args, work: Path, port: int) -> dict:
    env = dict(os.environ)
    for k in [k for k in env if k.startswith(("AWS_", "GUIDEPOST_"))]:
        del env[k]
    env.update({
        "GUIDEPOST_FORMS": str(work / "site" / "forms" / "forms.json"),
        "GUIDEPOST_SITE_DIR": str(work / "site"),
        "GUIDEPOST_MAIL": "folder",
        "GUIDEPOST_MAIL_DIR": str(work / "mail"),
        "GUIDEPOST_SPOOL_DIR": str(work / "spool"),
        "GUIDEPOST_ADDR": f"127.0.0.1:{port}",
        # The deployed function has no default desks: name the bundled example explicitly.
        "GUIDEPOST_ACCOUNT_KEY": "a benchmark key, 32 bytes or more",
        "GUIDEPOST_DESKS": str(Path(__file__).resolve().parent.parent / "functions" / "handler" / "desks.example.json"),
        "RUST_LOG": args.rust_log,
        # One client on loopback sends everything: lift the per-client limit (default 10 per minute).
        "GUIDEPOST_RATE_BURST": "1000000000",
        "GUIDEPOST_RATE_PER_MINUTE": "1000000000",
    })
    return env


def start_to_first_answer(args, work: Path) -> list[float]:
    """Process start → first answered request, in ms, `args.starts` times."""
    times = []
    for _ in range(args.starts):
        port = free_port()
        env = function_env(args, work, port)
        start = time.perf_counter()
        proc = subprocess.Popen([args.bin], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = start + 10
            while True:
                try:
                    http(port, "GET", "/forms/network-order", timeout=1.0)  # 405: an answer is enough
                    times.append((time.perf_counter() - start) * 1000)
                    break
                except OSError:
                    if time.perf_counter() > deadline or proc.poll() is not None:
                        raise SystemExit("bench: the function did not answer within 10 s")
                    time.sleep(0.0005)
        finally:
            proc.terminate()
            proc.wait(10)
    return times


# Each request a new submission: a counter (per wrk thread, and a thread id) goes into invoice_other.
WRK_SCRIPT = """\
local head, tail = "", ""
local n, counter = 0, 0
setup = function(thread) counter = counter + 1; thread:set("id", counter) end
init = function(args)
  local f = io.open("{body}", "rb"); local body = f:read("*a"); f:close()
  head, tail = body:match("^(.-)MARKER(.*)$")
  id = id or 0
end
request = function()
  n = n + 1
  return wrk.format("POST", nil, {{["Content-Type"] = "application/x-www-form-urlencoded"}},
                    head .. id .. "-" .. n .. tail)
end
"""


def parse_wrk(text: str) -> dict:
    unit = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}
    lat = {p: float(v) * unit[u] for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    total = re.search(r"(\d+) requests in", text)
    return {"rps": rps, "p50_ms": lat.get("50"), "p90_ms": lat.get("90"), "p99_ms": lat.get("99"),
            "requests": int(total.group(1)), "bad": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def outcomes(log: Path, skip: int) -> dict:
    """Counts of the function's `outcome` per submission log line, after the first `skip` lines."""
    counts: dict[str, int] = {}
    lines = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            fields = json.loads(line).get("fields", {})
        except ValueError:
            continue
        if fields.get("message") != "submission":
            continue
        lines += 1
        if lines > skip:
            counts[fields.get("outcome", "?")] = counts.get(fields.get("outcome", "?"), 0) + 1
    return counts


def load_test(args, work: Path) -> list[dict]:
    port = free_port()
    env = function_env(args, work, port)
    stderr = open(work / "function.log", "w")
    proc = subprocess.Popen([args.bin], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    results = []
    try:
        body = network_order_body(datetime.date.today(), f"first-{time.time_ns()}")
        (work / "post.lua").write_text(WRK_SCRIPT.format(body=work / "network-order.body"))
        deadline = time.perf_counter() + 10
        while True:
            try:
                status = http(port, "POST", "/forms/network-order", body)
                break
            except OSError:
                if time.perf_counter() > deadline:
                    raise SystemExit("bench: the function did not start")
                time.sleep(0.01)
        seen = 1  # the log's submission lines so far
        if status != 303:
            raise SystemExit(f"bench: a valid network-order got {status}, not 303: see {work / 'function.log'}")
        for connections in [int(c) for c in args.connections.split(",")]:
            # A marker unique to this run, then wrk's counter: no submission repeats an earlier one.
            run = f"c{connections}-{time.time_ns()}-MARKER"
            (work / "network-order.body").write_bytes(network_order_body(datetime.date.today(), run))
            before = load()
            out = subprocess.run([args.wrk, "-t1", f"-c{connections}", f"-d{args.duration}s", "--latency",
                                  "-s", str(work / "post.lua"), f"http://127.0.0.1:{port}/forms/network-order"],
                                 capture_output=True, text=True, timeout=args.duration + 60, check=True).stdout
            r = parse_wrk(out)
            time.sleep(0.5)  # requests still in flight when wrk stops, and the log's last lines
            r["outcomes"] = outcomes(work / "function.log", seen)
            seen += sum(r["outcomes"].values())
            r.update({"connections": connections, "load": before})
            log(f"   wrk -c{connections}: {r['rps']:.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                f"{r['bad']} non-2xx/3xx, outcomes {r['outcomes']} ({before})")
            results.append(r)
            shutil.rmtree(work / "mail", ignore_errors=True)  # bounded disk use between runs
            time.sleep(1)
    finally:
        proc.terminate()
        proc.wait(10)
        stderr.close()
    return results


def cmd_function(args) -> int:
    work = Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log(f"== form function: building the example site for its forms ({load()})")
    subprocess.run([args.guidepost, "build", "--root", str(REPO), "--out", str(work / "site")], check=True,
                   stdout=sys.stderr)
    starts = start_to_first_answer(args, work)
    log(f"   start → first answer: {', '.join(f'{t:.1f}' for t in starts)} ms ({load()})")
    loads = load_test(args, work) if args.wrk else []
    lines = [f"Form function, {datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
             f"binary {args.bin} ({os.path.getsize(args.bin) / 2**20:.1f} MiB), RUST_LOG={args.rust_log}.", "",
             f"- process start → first answered request: median {statistics.median(starts):.1f} ms "
             f"(min {min(starts):.1f}, max {max(starts):.1f}, {len(starts)} starts)"]
    if loads:
        lines += ["", "| wrk connections | requests/s | p50 | p90 | p99 | requests | non-2xx/3xx | outcomes (log) | "
                      "load before |",
                  "|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in loads:
            seen = ", ".join(f"{k} {v:,}" for k, v in sorted(r["outcomes"].items()))
            lines.append(f"| {r['connections']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p90_ms']:.2f} ms | "
                         f"{r['p99_ms']:.2f} ms | {r['requests']:,} | {r['bad']} | {seen} | {r['load']} |")
    report = "\n".join(lines)
    (work / "function-results.md").write_text(report + "\n")
    print(report)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("site", help="full builds against Hugo, rebuilds under serve")
    s.add_argument("--sizes", default="1000,10000")
    s.add_argument("--runs", default="5,3", help="measured runs per tool, per size in order (the last repeats)")
    s.add_argument("--serve-runs", type=int, default=5)
    s.add_argument("--modes", default="clean,one,none,rm",
                   help="clean: into a new, empty folder; one: one page changed since the previous build over its "
                        "output; none: nothing changed since then; rm: the previous output deleted just before")
    s.add_argument("--search", action="store_true", help="guidepost builds its search index too")
    s.add_argument("--skip-builds", action="store_true", help="only the serve timings")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--guidepost", required=True)
    s.add_argument("--serve-bin", help="a guidepost built with --features serve; none: no serve timings")
    s.add_argument("--hugo", help="the hugo binary; none: guidepost only")
    s.add_argument("--work", required=True)
    f = sub.add_parser("function", help="start time and load test of the form function")
    f.add_argument("--bin", required=True, help="guidepost-function (release)")
    f.add_argument("--guidepost", required=True, help="to build the example site whose forms are served")
    f.add_argument("--wrk", help="the wrk binary; none: no load test")
    f.add_argument("--duration", type=int, default=10)
    f.add_argument("--connections", default="1,16")
    f.add_argument("--starts", type=int, default=20)
    f.add_argument("--rust-log", default="info")
    f.add_argument("--work", required=True)
    args = parser.parse_args(argv)
    return cmd_site(args) if args.command == "site" else cmd_function(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
