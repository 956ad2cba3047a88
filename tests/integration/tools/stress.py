#!/usr/bin/env python3
"""stress.py: peers and load generators for tests/integration/proxy_stress.sh.

Python 3 standard library only; everything on 127.0.0.1; every loop is
bounded in count and in time. Subcommands (each prints one JSON object with
its figures on stdout, exit 0 when it ran to the end; the shell script
decides what the figures must be):

  echo PORT             backend: echo; a connection whose first 4 octets are
                        "!RST" is reset (SO_LINGER 0) after 64 KiB arrived,
                        "!FIN" is closed normally after exactly 64 KiB+4.
  burst                 N full mTLS connections (client certificate, a small
                        echo round trip, close_notify both ways), C at once,
                        spread over P processes.
  bulk-backend PORT     one connection: sends SIZE pseudo-random octets while
                        reading to EOF, both SHA-256'd; then shuts its write
                        side after its own send, and reports.
  bulk-client PORT      plaintext: sends SIZE pseudo-random octets (then
                        SHUT_WR) while reading to EOF; reports both SHA-256.
  reload-load           K clients doing connections with a round trip in a
                        loop, plus one long-lived connection doing a round
                        trip every 50 ms, until a stop file appears; every
                        connection is recorded with the server certificate
                        it saw. reload-check then judges the records against
                        the reload markers the shell wrote.
  slowloris             N connections dribbling a real ClientHello one octet
                        at a time; the time until the proxy closes each; good
                        clients measured meanwhile.
  garbage               N connections sending junk instead of a ClientHello
                        (kinds round robin); each must be closed by the proxy.
  vanish                peers that go away: client RST during the handshake
                        and mid-stream, backend reset or closed mid-stream.
  logcheck              every recorded client port has a conn line in the log
                        with the expected reason.
"""
import argparse
import asyncio
import hashlib
import json
import multiprocessing
import os
import random
import socket
import ssl
import struct
import sys
import threading
import time

HOST = "127.0.0.1"


def out(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def client_ctx(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(a.ca)
    if getattr(a, "cert", None):
        ctx.load_cert_chain(a.cert, a.key)
    return ctx


def recv_exact(s, n):
    b = bytearray()
    while len(b) < n:
        d = s.recv(min(65536, n - len(b)))
        if not d:
            raise EOFError("eof after %d of %d octets" % (len(b), n))
        b += d
    return bytes(b)


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def wait_closed(s, deadline):
    """Reads until the peer closes (EOF or reset) or the deadline passes.
    Returns (how, octets received): how is eof, reset or timeout."""
    n = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "timeout", n
        s.settimeout(left)
        try:
            d = s.recv(65536)
        except socket.timeout:
            return "timeout", n
        except (ConnectionResetError, BrokenPipeError):
            return "reset", n
        except ssl.SSLError as e:
            return "tls:" + (e.reason or "error"), n
        if not d:
            return "eof", n
        n += len(d)


# ---- echo backend ---------------------------------------------------------------------


class Echo(asyncio.Protocol):
    def connection_made(self, t):
        self.t = t
        self.head = b""
        self.mode = None
        self.n = 0

    def data_received(self, d):
        if self.mode is None:
            self.head += d
            if len(self.head) < 4:
                return
            d, self.head = self.head, b""
            self.mode = {b"!RST": "rst", b"!FIN": "fin"}.get(d[:4], "echo")
        if self.mode == "echo":
            self.t.write(d)
            return
        self.n += len(d)
        if self.n >= 65536 + 4:
            if self.mode == "rst":
                linger0(self.t.get_extra_info("socket"))
                self.t.abort()
            else:
                self.t.close()
            self.mode = "done"

    def pause_writing(self):
        self.t.pause_reading()

    def resume_writing(self):
        self.t.resume_reading()

    def eof_received(self):
        return False  # close once what was echoed is written


def cmd_echo(a):
    async def main():
        loop = asyncio.get_running_loop()
        srv = await loop.create_server(Echo, HOST, a.port, backlog=1024, reuse_address=True)
        async with srv:
            await srv.serve_forever()
    asyncio.run(main())


# ---- burst of full mTLS connections --------------------------------------------------------


def burst_worker(args):
    a, n, conc, seed = args
    ctx = client_ctx(a)
    lock = threading.Lock()
    st = {"left": n, "ok": 0, "fail": 0, "errors": {}, "max_ms": 0.0}
    deadline = time.monotonic() + a.timeout

    def one(rng):
        t0 = time.monotonic()
        s = socket.create_connection((HOST, a.port), timeout=10)
        try:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s = ctx.wrap_socket(s, server_hostname="localhost")
            msg = rng.randbytes(a.size)
            s.sendall(msg)
            if recv_exact(s, len(msg)) != msg:
                raise ValueError("echo differs")
            s.unwrap()  # close_notify both ways: a clean end for the proxy
        finally:
            s.close()
        return (time.monotonic() - t0) * 1000

    def loop(k):
        rng = random.Random(seed * 1000 + k)
        while time.monotonic() < deadline:
            with lock:
                if st["left"] == 0:
                    return
                st["left"] -= 1
            try:
                ms = one(rng)
                with lock:
                    st["ok"] += 1
                    st["max_ms"] = max(st["max_ms"], ms)
            except Exception as e:  # counted and named, never fatal
                k2 = type(e).__name__ + ": " + str(e)[:80]
                with lock:
                    st["fail"] += 1
                    st["errors"][k2] = st["errors"].get(k2, 0) + 1

    ts = [threading.Thread(target=loop, args=(k,), daemon=True) for k in range(conc)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.0, deadline - time.monotonic()) + 15)
    st["unfinished"] = st["left"]
    return st


def cmd_burst(a):
    t0 = time.monotonic()
    procs = max(1, min(a.procs, a.conc))
    jobs = []
    for p in range(procs):
        n = a.n // procs + (1 if p < a.n % procs else 0)
        c = a.conc // procs + (1 if p < a.conc % procs else 0)
        jobs.append((a, n, c, a.seed * 100 + p))
    if procs == 1:
        res = [burst_worker(jobs[0])]
    else:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            res = pool.map(burst_worker, jobs)
    tot = {"n": a.n, "ok": 0, "fail": 0, "unfinished": 0, "errors": {}, "max_ms": 0.0}
    for r in res:
        for k in ("ok", "fail", "unfinished"):
            tot[k] += r[k]
        tot["max_ms"] = round(max(tot["max_ms"], r["max_ms"]), 1)
        for k, v in r["errors"].items():
            tot["errors"][k] = tot["errors"].get(k, 0) + v
    tot["seconds"] = round(time.monotonic() - t0, 2)
    tot["per_second"] = round(tot["ok"] / max(tot["seconds"], 1e-6), 1)
    out(tot)


# ---- 256 MiB each way ------------------------------------------------------------------------

CHUNK = 1 << 20


def pump_send(s, size, seed, res, peer_eof=None, timeout=60):
    """Sends size pseudo-random octets (random.Random(seed)), hashing them,
    then shuts the write side. With peer_eof (an Event), the last chunk waits
    until the peer's EOF arrived: the data after a half-close must still flow."""
    h = hashlib.sha256()
    rng = random.Random(seed)
    left = size
    res["sent_error"] = None
    try:
        while left > 0:
            b = rng.randbytes(min(CHUNK, left))
            if peer_eof is not None and left <= CHUNK:
                if not peer_eof.wait(timeout):
                    raise TimeoutError("no EOF from the peer before the last chunk")
                res["tail_after_peer_eof"] = True
            h.update(b)
            s.sendall(b)
            left -= len(b)
        s.shutdown(socket.SHUT_WR)
    except OSError as e:
        res["sent_error"] = repr(e)
    res["sent"] = size - left
    res["sent_sha256"] = h.hexdigest()


def pump_recv(s, res, timeout, eof_ev):
    h = hashlib.sha256()
    n = 0
    s.settimeout(timeout)
    res["eof"] = False
    try:
        while True:
            d = s.recv(1 << 18)
            if not d:
                res["eof"] = True
                eof_ev.set()
                break
            h.update(d)
            n += len(d)
        res["recv_error"] = None
    except OSError as e:
        res["recv_error"] = repr(e)
    res["received"] = n
    res["recv_sha256"] = h.hexdigest()


def bulk(s, a, res):
    t0 = time.monotonic()
    ev = threading.Event()
    th = threading.Thread(target=pump_send, daemon=True,
                          args=(s, a.size, a.seed, res, ev if a.hold_tail else None, a.timeout))
    th.start()
    pump_recv(s, res, a.timeout, ev)
    th.join(a.timeout)
    res["send_finished"] = not th.is_alive()
    res["seconds"] = round(time.monotonic() - t0, 2)
    s.close()
    out(res)


def cmd_bulk_backend(a):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, a.port))
    ls.listen(4)
    if a.ready:
        with open(a.ready, "w") as f:
            f.write("ready\n")
    ls.settimeout(a.timeout)
    s, _ = ls.accept()
    ls.close()
    bulk(s, a, {"side": "backend"})


def cmd_bulk_client(a):
    s = socket.create_connection((HOST, a.port), timeout=10)
    bulk(s, a, {"side": "client"})


# ---- reload under load -----------------------------------------------------------------------


def cmd_reload_load(a):
    ctx = client_ctx(a)
    names = {}
    for spec in a.known:  # NAME=PEMFILE: which server certificate was served
        n, f = spec.split("=", 1)
        names[hashlib.sha256(ssl.PEM_cert_to_DER_cert(open(f).read())).hexdigest()] = n
    recs = []
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + a.max_seconds

    def served(s):
        return names.get(hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest(), "unknown")

    def client(k):
        rng = random.Random(k)
        while not stop.is_set() and time.monotonic() < deadline:
            t0 = time.monotonic()
            rec = {"t0": t0, "k": k}
            try:
                s = socket.create_connection((HOST, a.port), timeout=10)
                try:
                    s = ctx.wrap_socket(s, server_hostname="localhost")
                    rec["cert"] = served(s)
                    msg = rng.randbytes(1024)
                    s.sendall(msg)
                    if recv_exact(s, len(msg)) != msg:
                        raise ValueError("echo differs")
                    s.unwrap()
                finally:
                    s.close()
                rec["ok"] = True
            except Exception as e:
                rec["ok"] = False
                rec["error"] = type(e).__name__ + ": " + str(e)[:100]
            rec["t1"] = time.monotonic()
            with lock:
                recs.append(rec)

    long_res = {"round_trips": 0, "error": None}

    def longlived():
        rng = random.Random(99)
        try:
            s = ctx.wrap_socket(socket.create_connection((HOST, a.port), timeout=10),
                                server_hostname="localhost")
            long_res["cert"] = served(s)
            long_res["opened"] = time.monotonic()
            with open(a.long_ready, "w") as f:
                f.write("ready\n")
            while not stop.is_set() and time.monotonic() < deadline:
                msg = rng.randbytes(rng.randint(1, 4096))
                s.sendall(msg)
                if recv_exact(s, len(msg)) != msg:
                    raise ValueError("echo differs")
                long_res["round_trips"] += 1
                stop.wait(0.05)
            long_res["closed"] = time.monotonic()
            s.unwrap()
            s.close()
        except Exception as e:
            long_res["error"] = type(e).__name__ + ": " + str(e)[:100]

    ths = [threading.Thread(target=longlived, daemon=True)]
    ths += [threading.Thread(target=client, args=(k,), daemon=True) for k in range(a.clients)]
    for t in ths:
        t.start()
    while not os.path.exists(a.stop_file) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for t in ths:
        t.join(15)
    with open(a.records, "w") as f:
        json.dump({"conns": recs, "long": long_res}, f)
    out({"connections": len(recs), "failed": sum(1 for r in recs if not r["ok"]),
         "long_round_trips": long_res["round_trips"], "long_error": long_res["error"]})


def cmd_reload_check(a):
    """Markers: lines "BEFORE AFTER NAME", monotonic times taken just before
    a SIGHUP and once its result line was in the log (the first line
    "0 0 NAME" for the start). Every connection begun after AFTER and ended
    before the next marker's BEFORE must have seen NAME. Prints the verdicts;
    exit 1 on any violation."""
    d = json.load(open(a.records))
    recs = d["conns"]
    marks = []
    for line in open(a.markers):
        b, t, n = line.split()
        marks.append((float(b), float(t), n))
    bad = []
    failed = [r for r in recs if not r["ok"]]
    for r in failed[:5]:
        bad.append("connection failed: %s" % r["error"])
    per = []
    for i, (_, t, n) in enumerate(marks):
        t_next = marks[i + 1][0] if i + 1 < len(marks) else float("inf")
        win = [r for r in recs if r["ok"] and r["t0"] > t and r["t1"] < t_next]
        wrong = [r["cert"] for r in win if r["cert"] != n]
        per.append({"served": n, "connections": len(win), "wrong_cert": len(wrong)})
        if wrong:
            bad.append("window %d (%s): %d connections saw %s" % (i, n, len(wrong), sorted(set(wrong))))
        if len(win) < a.min_per_window:
            bad.append("window %d (%s): only %d connections (want >= %d)" % (i, n, len(win), a.min_per_window))
    marks = marks[1:]  # the reloads proper
    lg = d["long"]
    if lg.get("error"):
        bad.append("long-lived connection: %s" % lg["error"])
    if marks and not (lg.get("opened", 1e18) < marks[0][0] and lg.get("closed", 0) > marks[-1][1]):
        bad.append("the long-lived connection did not span the reloads")
    out({"connections": len(recs), "failed": len(failed), "windows": per,
         "long": {"cert": lg.get("cert"), "round_trips": lg.get("round_trips"), "error": lg.get("error")},
         "problems": bad})
    sys.exit(1 if bad else 0)


# ---- slowloris ------------------------------------------------------------------------------


def client_hello(ctx):
    """A real ClientHello record from this ssl module (memory BIOs)."""
    i, o = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(i, o, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return o.read()


def good_roundtrip(ctx, port):
    t0 = time.monotonic()
    s = socket.create_connection((HOST, port), timeout=10)
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s = ctx.wrap_socket(s, server_hostname="localhost")
        s.sendall(b"ping\n")
        if recv_exact(s, 5) != b"ping\n":
            raise ValueError("echo differs")
        s.unwrap()
    finally:
        s.close()
    return (time.monotonic() - t0) * 1000


def good_prober(a, ctx, stop, res):
    """Good clients one after another every 0.2 s until stop; latency figures."""
    lat, errs = [], []
    end = time.monotonic() + a.max_seconds
    while not stop.is_set() and time.monotonic() < end:
        try:
            lat.append(good_roundtrip(ctx, a.port))
        except Exception as e:
            errs.append(type(e).__name__ + ": " + str(e)[:80])
        stop.wait(0.2)
    res["good"] = {"count": len(lat), "errors": errs,
                   "max_ms": round(max(lat), 1) if lat else None,
                   "median_ms": round(sorted(lat)[len(lat) // 2], 1) if lat else None}


def cmd_slowloris(a):
    ctx = client_ctx(a)
    hello = client_hello(ctx)
    res = {"n": a.n, "hello_octets": len(hello)}
    ports = []
    closed = []  # (how, seconds open)

    async def one(k):
        await asyncio.sleep(k * a.spread / a.n)
        t0 = time.monotonic()
        try:
            r, w = await asyncio.open_connection(HOST, a.port)
        except OSError as e:
            closed.append(("connect:" + type(e).__name__, 0.0))
            return
        ports.append(w.get_extra_info("sockname")[1])
        how = "timeout"
        # one octet per interval, never the whole hello
        for i in range(len(hello) - 1):
            if time.monotonic() - t0 > a.max_seconds:
                break
            try:
                w.write(hello[i:i + 1])
                await w.drain()
                d = await asyncio.wait_for(r.read(4096), a.interval)
                if not d:
                    how = "eof"
                    break
            except asyncio.TimeoutError:
                continue
            except (ConnectionResetError, BrokenPipeError):
                how = "reset"
                break
        closed.append((how, time.monotonic() - t0))
        w.transport.abort()

    async def main():
        await asyncio.gather(*(one(k) for k in range(a.n)))

    stop = threading.Event()
    pr = threading.Thread(target=good_prober, args=(a, ctx, stop, res), daemon=True)
    pr.start()
    asyncio.run(main())
    stop.set()
    pr.join(15)
    open_s = [t for h, t in closed if h in ("eof", "reset")]
    res["closed_by_proxy"] = len(open_s)
    res["not_closed"] = sum(1 for h, _ in closed if h not in ("eof", "reset"))
    res["how"] = {h: sum(1 for x, _ in closed if x == h) for h in sorted(set(h for h, _ in closed))}
    res["open_s_min"] = round(min(open_s), 2) if open_s else None
    res["open_s_max"] = round(max(open_s), 2) if open_s else None
    with open(a.ports, "w") as f:
        for p in ports:
            f.write("%d slowloris\n" % p)
    out(res)


# ---- garbage flood --------------------------------------------------------------------------


def tls10_hello(rng):
    """A TLS 1.0 ClientHello: record and client_version 3,1, no
    supported_versions extension, ECDHE suites of that era."""
    suites = bytes.fromhex("c013c014c009c00a002f0035")
    body = b"\x03\x01" + rng.randbytes(32) + b"\x00"
    body += struct.pack("!H", len(suites)) + suites + b"\x01\x00"
    ext = bytes.fromhex("000a00040002001700")[:-1]  # supported_groups: secp256r1
    ext += bytes.fromhex("000b00020100")  # ec_point_formats: uncompressed
    body += struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


GARBAGE_KINDS = ("random", "http", "tls10", "oversize", "sslv2", "empty")


def garbage_payload(kind, rng):
    if kind == "random":
        # a first octet that is no TLS content type and no SSLv2 length
        # header, a second that is no TLS major version: never a record
        # header, so the verdict is immediate and always the same
        first = rng.choice([x for x in range(0x00, 0x80) if not 0x14 <= x <= 0x18])
        second = rng.choice([x for x in range(256) if x != 3])
        return bytes([first, second]) + rng.randbytes(rng.randint(3, 2000))
    if kind == "http":
        return b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: stress\r\n\r\n"
    if kind == "tls10":
        return tls10_hello(rng)
    if kind == "oversize":  # a handshake record longer than 2^14 + 2048
        return b"\x16\x03\x01\xff\xff" + rng.randbytes(64)
    if kind == "sslv2":  # an SSLv2-format CLIENT-HELLO (version 3,1), never accepted
        body = b"\x01\x03\x01\x00\x03\x00\x00\x00\x10" + b"\x00\x00\x2f" + rng.randbytes(16)
        return struct.pack("!H", 0x8000 | len(body)) + body
    return b""  # empty: connect, send nothing, close our write side


def cmd_garbage(a):
    rng = random.Random(a.seed)
    jobs = [(GARBAGE_KINDS[i % len(GARBAGE_KINDS)], garbage_payload(GARBAGE_KINDS[i % len(GARBAGE_KINDS)], rng))
            for i in range(a.n)]
    lock = threading.Lock()
    res = {"n": a.n, "how": {}, "alert": {}, "connect_errors": 0, "max_s": 0.0}
    ports = []
    deadline = time.monotonic() + a.max_seconds
    it = iter(range(a.n))

    def worker():
        while time.monotonic() < deadline:
            with lock:
                i = next(it, None)
            if i is None:
                return
            kind, data = jobs[i]
            t0 = time.monotonic()
            try:
                s = socket.create_connection((HOST, a.port), timeout=5)
            except OSError:
                with lock:
                    res["connect_errors"] += 1
                continue
            port = s.getsockname()[1]
            try:
                if data:
                    s.sendall(data)
                else:
                    s.shutdown(socket.SHUT_WR)
                how, n = wait_closed(s, t0 + a.close_within)
            except OSError as e:
                how, n = "reset" if isinstance(e, ConnectionResetError) else "oserror", 0
            s.close()
            dt = time.monotonic() - t0
            key = kind + ":" + how
            with lock:
                ports.append((port, kind))
                res["how"][key] = res["how"].get(key, 0) + 1
                res["max_s"] = round(max(res["max_s"], dt), 3)

    ts = [threading.Thread(target=worker, daemon=True) for _ in range(a.conc)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.0, deadline - time.monotonic()) + 10)
    res["done"] = len(ports)
    res["closed_by_proxy"] = sum(v for k, v in res["how"].items() if k.endswith((":eof", ":reset")))
    with open(a.ports, "w") as f:
        for p, kind in ports:
            f.write("%d %s\n" % (p, kind))
    out(res)


# ---- vanishing peers ------------------------------------------------------------------------

VANISH_KINDS = ("client_rst_handshake", "client_rst_stream", "backend_rst", "backend_fin")


def cmd_vanish(a):
    ctx = client_ctx(a)
    hello = client_hello(ctx)
    lock = threading.Lock()
    res = {"n": a.n, "how": {}, "max_s": 0.0}
    ports = []
    deadline = time.monotonic() + a.max_seconds
    it = iter(range(a.n))

    def one(kind):
        t0 = time.monotonic()
        s = socket.create_connection((HOST, a.port), timeout=10)
        port = s.getsockname()[1]
        try:
            if kind == "client_rst_handshake":
                s.sendall(hello)  # the server answers; we reset instead of finishing
                s.settimeout(5)
                s.recv(100)
                linger0(s)
                return port, "done"
            s = ctx.wrap_socket(s, server_hostname="localhost")
            if kind == "client_rst_stream":
                # send 256 KiB, read nothing: the echo piles up in the proxy's
                # buffer and the kernel's, then the client vanishes
                s.sendall(os.urandom(65536) * 4)
                linger0(s)
                return port, "done"
            # backend dies (reset) or closes after 64 KiB + 4
            s.sendall((b"!RST" if kind == "backend_rst" else b"!FIN") + os.urandom(65536))
            how, _ = wait_closed(s, t0 + a.close_within)
            return port, how
        finally:
            s.close()

    def worker(k):
        while time.monotonic() < deadline:
            with lock:
                i = next(it, None)
            if i is None:
                return
            kind = VANISH_KINDS[i % len(VANISH_KINDS)]
            t0 = time.monotonic()
            try:
                port, how = one(kind)
            except Exception as e:
                port, how = None, "error:" + type(e).__name__
            key = kind + ":" + how
            with lock:
                if port is not None:
                    ports.append((port, kind))
                res["how"][key] = res["how"].get(key, 0) + 1
                res["max_s"] = round(max(res["max_s"], time.monotonic() - t0), 3)

    ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(a.conc)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.0, deadline - time.monotonic()) + 15)
    res["done"] = len(ports)
    with open(a.ports, "w") as f:
        for p, kind in ports:
            f.write("%d %s\n" % (p, kind))
    out(res)


# ---- log check --------------------------------------------------------------------------


def cmd_logcheck(a):
    """PORTS lines "PORT KIND"; --expect KIND=REASON[~DETAIL][|...] ('null'
    for a clean end; ~DETAIL: the line's detail must contain DETAIL). Each port must have a conn line (read from offset --from of
    LOG) whose reason is one expected for its kind; a port reused by the
    kernel within the run matches any of its lines."""
    want = {}
    for e in a.expect:
        k, v = e.split("=", 1)
        want[k] = set(v.split("|"))
    by_port = {}
    with open(a.log, "rb") as f:
        f.seek(a.offset)
        for line in f:
            if not line.startswith(b"{"):
                continue
            o = json.loads(line)
            if o.get("event") != "conn":
                continue
            port = int(o["peer"].rsplit(":", 1)[1])
            by_port.setdefault(port, []).append(o)
    seen = {}
    missing, wrong = [], []
    for line in open(a.ports):
        p, kind = line.split()
        p = int(p)
        lines = by_port.get(p, [])
        reasons = [("null" if o["reason"] is None else o["reason"]) for o in lines]
        details = [o.get("detail") or "" for o in lines]
        key = kind + ":" + ("+".join(sorted(set(reasons))) or "none")
        seen[key] = seen.get(key, 0) + 1

        def fits(r, d):
            for w in want.get(kind, ()):
                wr, _, wd = w.partition("~")
                if r == wr and wd in d:
                    return True
            return False
        if not lines:
            missing.append(p)
        elif not any(fits(r, d) for r, d in zip(reasons, details)):
            wrong.append("%d %s %s %s" % (p, kind, reasons, details))
    out({"reasons": seen, "missing": len(missing), "wrong": len(wrong), "wrong_sample": wrong[:5]})
    sys.exit(1 if (missing or wrong) else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def tls(p):
        p.add_argument("--ca", required=True)
        p.add_argument("--cert")
        p.add_argument("--key")

    p = sub.add_parser("echo")
    p.add_argument("port", type=int)
    p = sub.add_parser("burst")
    p.add_argument("port", type=int)
    tls(p)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--conc", type=int, default=10)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=120)
    for name in ("bulk-backend", "bulk-client"):
        p = sub.add_parser(name)
        p.add_argument("port", type=int)
        p.add_argument("--size", type=int, required=True)
        p.add_argument("--seed", type=int, required=True)
        p.add_argument("--timeout", type=float, default=60)
        p.add_argument("--hold-tail", action="store_true",
                       help="send the last MiB only after the peer's EOF")
        p.add_argument("--ready", help="bulk-backend: a file written once listening")
    p = sub.add_parser("reload-load")
    p.add_argument("port", type=int)
    tls(p)
    p.add_argument("--known", action="append", default=[])
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--long-ready", required=True)
    p.add_argument("--records", required=True)
    p.add_argument("--max-seconds", type=float, default=60)
    p = sub.add_parser("reload-check")
    p.add_argument("--records", required=True)
    p.add_argument("--markers", required=True)
    p.add_argument("--min-per-window", type=int, default=5)
    p = sub.add_parser("slowloris")
    p.add_argument("port", type=int)
    tls(p)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--spread", type=float, default=0.5)
    p.add_argument("--max-seconds", type=float, default=10)
    p.add_argument("--ports", required=True)
    p = sub.add_parser("garbage")
    p.add_argument("port", type=int)
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--conc", type=int, default=50)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--close-within", type=float, default=5)
    p.add_argument("--max-seconds", type=float, default=60)
    p.add_argument("--ports", required=True)
    p = sub.add_parser("vanish")
    p.add_argument("port", type=int)
    tls(p)
    p.add_argument("--n", type=int, default=400)
    p.add_argument("--conc", type=int, default=20)
    p.add_argument("--close-within", type=float, default=5)
    p.add_argument("--max-seconds", type=float, default=60)
    p.add_argument("--ports", required=True)
    p = sub.add_parser("logcheck")
    p.add_argument("--log", required=True)
    p.add_argument("--from", dest="offset", type=int, default=0)
    p.add_argument("--ports", required=True)
    p.add_argument("--expect", action="append", default=[])
    a = ap.parse_args()
    {"echo": cmd_echo, "burst": cmd_burst, "bulk-backend": cmd_bulk_backend,
     "bulk-client": cmd_bulk_client, "reload-load": cmd_reload_load,
     "reload-check": cmd_reload_check, "slowloris": cmd_slowloris, "garbage": cmd_garbage,
     "vanish": cmd_vanish, "logcheck": cmd_logcheck}[a.cmd](a)


if __name__ == "__main__":
    main()
