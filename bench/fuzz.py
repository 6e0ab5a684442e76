"""Fuzz harness: mutate corpus renderings, run them all through one `form4 batch` and a sample through
single `form4 extract` subprocesses; report tracebacks, hangs, exit codes, peak RSS and inputs the
batch lost. It reports and asserts nothing (always exit 0); it is not part of the test run.

    python bench/fuzz.py                                  # 10,000 inputs, seed 0, 200 single extracts
    python bench/fuzz.py --count 2000 --extract-sample 100 --seed 7 --kinds html,md,pdf --keep

Work folder --out (default /tmp/form4-fuzz): inputs/ (mutated files NNNNN_KIND_MUTATION_SOURCE.EXT),
batch/ (the batch's OUTPUT), extract/ (single runs' output), batch.stdout/.stderr, manifest.jsonl
(input -> kind, mutation, source) and report.txt. inputs/, batch/ and extract/ are removed at the end
unless --keep. Same --seed, --count and --kinds: same inputs. Mutations live in REGISTRY (name ->
function(rng, bytes) -> bytes or (bytes, ext), source kinds, heavy, weight); heavy ones (huge or slow
inputs) are capped at 3 + count/1000 each, scans (OCR, seconds each) at --scans (default 20).
Peak RSS: psutil polling of the process tree (sum) where psutil is installed, and wait4's ru_maxrss.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter, defaultdict, namedtuple
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

try:
    import psutil
except ImportError:  # then peak RSS is wait4's ru_maxrss alone (the largest single process)
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
FORM4 = [sys.executable, "-m", "extractor.cli"]
SOURCES = {"html": (["html/*.html"], 15), "md": (["md/*.md"], 20), "pdf": (["pdf/*.pdf"], 15),
           "scan": (["scan/*.pdf"], 0), "legacy": (["legacy/*.txt"], 4), "envelope": (["envelopes/*.txt"], 8),
           "synth": (["synth/*.html"], 25), "xml": (["synth/*.xml", "truth/*.xml"], 7)}  # glob, weight
TEXT, PDFS = {"html", "md", "legacy", "envelope", "synth", "xml"}, {"pdf", "scan"}
ALL, XMLISH = TEXT | PDFS, {"html", "synth", "envelope", "xml"}
LEAK, BOMB = b"root:x:0:0", b"lollollollollol"  # /etc/passwd or an expanded entity bomb in an output
ARCHIVES = (".zip", ".tar", ".tar.gz")


Mutation = namedtuple("Mutation", "fn kinds heavy weight")  # fn(rng, bytes) -> bytes | (bytes, ext)
REGISTRY: dict[str, Mutation] = {}


def mutation(kinds, heavy=False, weight=1.0, name=None):
    def register(fn):
        REGISTRY[name or fn.__name__] = Mutation(fn, set(kinds), heavy, weight)
        return fn
    return register

def _insert(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    """DATA with each (position, payload) inserted, in one pass."""
    parts, last = [], 0
    for pos, payload in sorted(edits, key=lambda e: e[0]):
        parts += [data[last:pos], payload]
        last = pos
    return b"".join(parts + [data[last:]])

def _spots(r, d, payloads) -> bytes:
    return _insert(d, [(r.randrange(len(d)), p) for p in payloads])

# ---- byte level, any kind ------------------------------------------------------------------------
@mutation(ALL)
def bitflip(r, d):
    b = bytearray(d)
    for _ in range(r.randint(1, 32)):
        b[r.randrange(len(b))] ^= 1 << r.randrange(8)
    return bytes(b)

@mutation(ALL)
def dup_chunk(r, d):
    start = r.randrange(len(d))
    chunk = d[start:start + r.randint(1, max(1, len(d) // 4))]
    return _spots(r, d, [chunk * max(1, min(r.choice([1, 2, 10, 100]), 2_000_000 // len(chunk)))])

@mutation(ALL)
def shuffle_chunks(r, d):
    cuts = sorted(r.sample(range(1, len(d)), min(len(d) - 1, r.randint(2, 16))))
    parts = [d[a:b] for a, b in zip([0] + cuts, cuts + [len(d)])]
    r.shuffle(parts)
    return b"".join(parts)

BAD_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xed\xa0\x80", b"\xc0\xaf",
            b"\xf8\x88\x80\x80\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xe2\x82"]  # bad, surrogate, overlong...
JUNK_HEADS = [b"", b"%PDF-1.7\n", b"<html><body>", b"\xef\xbb\xbf", b"PK\x03\x04", b"\x1f\x8b"]
mutation(ALL, name="truncate")(lambda r, d: d[:r.randrange(len(d))])
mutation(ALL, name="nul_bytes")(lambda r, d: _spots(r, d, [b"\0" * r.choice([1, 1, 4, 1000])
                                                            for _ in range(r.randint(1, 20))]))
mutation(ALL, name="bad_utf8")(lambda r, d: _spots(r, d, [r.choice(BAD_UTF8) for _ in range(r.randint(1, 20))]))
mutation(ALL, weight=0.3, name="empty")(lambda r, d: b"")
mutation(ALL, weight=0.3, name="binary_junk")(
    lambda r, d: r.choice(JUNK_HEADS) + r.randbytes(r.choice([1, 16, 4096, 100_000, 1_000_000])))

# ---- text: encodings, line endings, numbers, long lines, nesting, entities -----------------------
for _codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):  # whole text re-encoded, with a BOM
    mutation(TEXT, name=_codec.replace("-", ""))(lambda r, d, c=_codec: ("\ufeff" + d.decode("utf-8", "replace"))
                                                 .encode(c))
mutation(TEXT, name="utf8_bom")(lambda r, d: b"\xef\xbb\xbf" + d)
mutation(TEXT, name="cr_only")(lambda r, d: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
mutation(TEXT, name="crlf")(lambda r, d: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

NUMBER = re.compile(rb"(?<=[>|\s$(])\d[\d,]*(?:\.\d+)?(?=[<|\s)%])")  # a number alone in a cell
HUGE = [b"999999999999999999999", b"1e400", b"0.0000000000000001", b"12,345,678,901,234.56789", b"-1e400",
        b"1" * 400, b"NaN", b"Infinity", b"1e-400", b"99999999999999999999.99999999999999999999"]

@mutation(TEXT)
def huge_number(r, d):
    found = list(NUMBER.finditer(d)) or [re.match(rb"", d)]
    for m in sorted(r.sample(found, min(len(found), r.randint(1, 5))), key=lambda m: -m.start()):
        d = d[:m.start()] + r.choice(HUGE) + d[m.end():]
    return d

@mutation({"md", "html", "synth"}, heavy=True)
def long_row(r, d):
    n = r.randint(10**5, 10**6)
    rows = [m.end() for m in re.finditer(rb"(?m)^\|[^\n]*", d)] if d.lstrip()[:1] != b"<" else []
    if rows:  # Markdown: a table row lengthened by n pipes
        return _insert(d, [(r.choice(rows), b"|" * n)])
    return _insert(d, [(d.find(b">", max(0, d.find(b"<tr"))) + 1, b"<td>x" * n)])  # HTML: n cells, one line

@mutation(TEXT, heavy=True)
def ten_mb_line(r, d):
    one = re.sub(rb"[\r\n]+", b" ", d)
    pad = (b" lorem 1,234.5 ipsum" * (10_485_760 // 20 + 1))[:max(0, 10_485_760 - len(one))]
    return _insert(one, [(r.randrange(len(one) + 1), pad)])

@mutation({"html", "synth", "md"}, heavy=True)
def deep_nest(r, d):
    n, body = 100_000, re.search(rb"<body[^>]*>", d)
    if not body:  # Markdown: nested blockquotes, then nested HTML blocks
        return _insert(d, [(0, b">" * n + b" deep\n\n" + b"<div>" * n + b"\n\n")])
    tag = r.choice([b"div", b"table", b"table><tr><td"])
    close = b"</" + tag.split(b">")[0] + b">" if r.random() < 0.5 else b""
    return _insert(d, [(body.end(), (b"<" + tag + b">") * n + close * n)])

def _doctype(d: bytes, decl: bytes, ref: bytes) -> bytes:
    """DECL (a DOCTYPE naming ROOT) where one belongs, and REF (an entity reference) in a text field."""
    root = re.search(rb"<ownershipDocument[\s>]", d)
    if root:  # ownershipDocument XML, or an envelope's embedded one
        xml = d.rfind(b"?>", 0, root.start())
        at = xml + 2 if xml >= 0 and b"<?xml" in d[max(0, xml - 200):xml] else root.start()
        field = re.search(rb"<(issuerName|rptOwnerName|securityTitle|value)>", d[root.start():])
        spot = root.start() + field.end() if field else d.find(b">", root.start()) + 1
        decl = decl.replace(b"ROOT", b"ownershipDocument")
    else:  # HTML: its DOCTYPE replaced, the reference in the body
        old = re.search(rb"(?i)<!DOCTYPE[^>]*>", d)
        d = d[:old.start()] + d[old.end():] if old else d
        body = re.search(rb"(?i)<body[^>]*>", d)
        at, spot, decl = 0, body.end() if body else len(d) // 2, decl.replace(b"ROOT", b"html")
    return _insert(d, [(at, b"\n" + decl + b"\n"), (spot, ref)])

LAUGHS = b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"lol") * 10)
                  for i in range(1, 10))

@mutation(XMLISH)
def entity_bomb(r, d):
    if r.random() < 0.7:  # billion laughs, else quadratic blowup
        return _doctype(d, b"<!DOCTYPE ROOT [" + LAUGHS + b"]>", b"&lol9;")
    return _doctype(d, b'<!DOCTYPE ROOT [<!ENTITY a "' + b"x" * 50_000 + b'">]>', b"&a;" * 50_000)

@mutation(XMLISH)
def xxe(r, d):
    decl, ref = r.choice([(b'<!DOCTYPE ROOT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;"),
                          (b'<!DOCTYPE ROOT [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', b""),
                          (b'<!DOCTYPE ROOT SYSTEM "file:///etc/passwd">', b"")])
    return _doctype(d, decl, ref)

# ---- PDF structure ----------------------------------------------------------------------------------
@mutation(PDFS)
def xref_truncate(r, d):
    at = d.rfind(b"\nxref")
    if at < 0 or r.random() < 0.3:  # or a startxref that points nowhere
        return re.sub(rb"startxref\s+\d+", b"startxref %d" % r.choice([0, 7, len(d) * 3]), d)
    return d[:at + r.randint(5, 400)]

@mutation(PDFS)
def stream_flip(r, d):
    b, spans = bytearray(d), [m.end() for m in re.finditer(rb"stream\r?\n", d)]
    for start in r.sample(spans, min(len(spans), r.randint(1, 3))):
        end = max(start + 1, d.find(b"endstream", start))
        for _ in range(r.randint(1, 16)):
            b[r.randrange(start, end)] ^= 1 << r.randrange(8)
    return bytes(b)

mutation(PDFS, name="page_count_lie")(lambda r, d: re.sub(rb"/Count\s+\d+", b"/Count " + r.choice(
    [b"0", b"-1", b"99999", b"2147483648", b"1e9"]), d))

@mutation(PDFS)
def encrypt(r, d):
    o, u = (b"<" + r.randbytes(32).hex().encode() + b">" for _ in "ou")
    entry = r.choice([b"/Encrypt 9999 0 R ", b"/Encrypt << /Filter /Standard /V 1 /R 2 /O " + o + b" /U " + u
                      + b" /P -4 >> "])
    return _insert(d, [(d.find(b"<<", d.rfind(b"trailer")) + 2, b" " + entry)])

# ---- archives for the batch (the source's bytes become members) ----------------------------------
def _zip(members: list[tuple[str, bytes]], level=6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in members:  # fixed timestamps: same seed, same bytes
            z.writestr(zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED, level)
    return buf.getvalue()

mutation(ALL, weight=0.5, name="zip_traversal")(lambda r, d: (_zip(
    [("../x.html", d), ("../../etc/y.html", d), ("/abs/z.html", d), ("dir/", b""), ("a!b.html", d),
     (".hidden.html", d), ("ok.html", d), ("\u00fcn\u00efc\u00f8de.html", d[:500])]), ".zip"))
mutation(ALL, weight=0.3, name="zip_nested")(lambda r, d: (_zip([("inner.zip", _zip([("deep.html", d)])),
                                                                   ("ok.html", d)]), ".zip"))

@mutation(ALL, heavy=True)
def zip_bomb(r, d):
    kind = r.choice(["over", "under", "lying"])
    if kind == "over":  # 60 MB of zeros: over the 50 MB limit
        return _zip([("big.html", bytes(60 << 20)), ("ok.html", d)], 9), ".zip"
    if kind == "under":  # 45 MB of table cells: under the limit, handed to the extractor
        return _zip([("wide.html", b"<table><tr>" + b"<td>x" * (9 << 20))], 9), ".zip"
    data = bytearray(_zip([("liar.html", bytes(200 << 20))], 9))  # 200 MB that claims to be 1000 bytes
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        data[at + off:at + off + 4] = (1000).to_bytes(4, "little")
    return bytes(data), ".zip"

def _tar(members: list) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for m in members:  # a TarInfo without data (a link, a device), or (name, bytes)
            info = m if isinstance(m, tarfile.TarInfo) else tarfile.TarInfo(m[0])
            info.size = 0 if info is m else len(m[1])
            t.addfile(info, None if info is m else io.BytesIO(m[1]))
    return buf.getvalue()

def _link(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info

@mutation(ALL, weight=0.5)
def tar_links(r, d):
    gz = r.random() < 0.5
    data = _tar([("ok.html", d), ("../up.html", d), ("/abs.html", d), _link("sym.html", tarfile.SYMTYPE, "/etc/passwd"),
                 _link("hard.html", tarfile.LNKTYPE, "ok.html"), _link("../t.html", tarfile.SYMTYPE, "../../x"),
                  _link("dev", tarfile.CHRTYPE), _link("fifo", tarfile.FIFOTYPE), _link("dir", tarfile.DIRTYPE)])
    return (gzip.compress(data, mtime=0), ".tar.gz") if gz else (data, ".tar")

mutation(ALL, weight=0.1, name="tar_links_only")(lambda r, d: (_tar(
    [_link("sym.html", tarfile.SYMTYPE, "/etc/passwd"), _link("hard.html", tarfile.LNKTYPE, "x.html")]), ".tar"))

@mutation(ALL, weight=0.3)
def tar_truncated(r, d):
    data = _tar([("a.html", d), ("b.html", d)])
    return data[:r.randint(600, len(data) - 1)], ".tar"

# ---- generation -----------------------------------------------------------------------------------
def generate(args, inputs: Path) -> list[dict]:
    r, kinds, cache = random.Random(args.seed), [k for k in args.kinds if k in SOURCES], {}
    files = {k: sorted(p for g in SOURCES[k][0] for p in args.corpus.glob(g)) for k in kinds}
    kinds = [k for k in kinds if files[k]]
    cap, used = 3 + args.count // 1000, Counter()
    plan = ["scan"] * min(args.scans, args.count) if "scan" in kinds else []
    weighted = [k for k in kinds if SOURCES[k][1]]
    plan += r.choices(weighted, [SOURCES[k][1] for k in weighted], k=args.count - len(plan)) if weighted else []
    manifest = []
    for i, kind in enumerate(plan):
        src = r.choice(files[kind])
        data = cache.get(src) or cache.setdefault(src, src.read_bytes())
        names = [n for n, m in REGISTRY.items() if kind in m.kinds and not (m.heavy and used[n] >= cap)]
        name = r.choices(names, [REGISTRY[n].weight for n in names])[0]
        used[name] += 1
        out = REGISTRY[name].fn(random.Random(f"{args.seed}:{i}"), data)  # replayable alone (see mutate)
        out, ext = out if isinstance(out, tuple) else (out, src.suffix)
        path = inputs / f"{i:05d}_{kind}_{name}_{src.stem[:40]}{ext}"
        path.write_bytes(out)
        manifest.append({"file": str(path), "kind": kind, "mutation": name, "source": src.name,
                         "archive": ext in ARCHIVES, "bytes": len(out)})
    return manifest

def mutate(name: str, source: Path, seed: int, i: int) -> bytes:
    """Input I of a run with SEED, made again from its SOURCE file and MUTATION name (both in the
    run's manifest.jsonl): what a regression test regenerates."""
    out = REGISTRY[name].fn(random.Random(f"{seed}:{i}"), source.read_bytes())
    return out[0] if isinstance(out, tuple) else out


# ---- running --------------------------------------------------------------------------------------
def run_tree(cmd: list[str], limit: float, stdout: Path, stderr: Path) -> dict:
    """Run CMD in its own session, its tree killed after LIMIT s. Peak RSS in KB: tree (largest sum over
    the tree, psutil polling), main (the process itself), single (largest process: wait4's ru_maxrss)."""
    env = dict(os.environ, _TYPER_STANDARD_TRACEBACK="1", PYTHONFAULTHANDLER="1")
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
                                start_new_session=True)
    top, tree, main, hang, delay = psutil.Process(proc.pid) if psutil else None, 0, 0, False, 0.005
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if top is not None:
            try:
                rss = [p.memory_info().rss // 1024 for p in [top, *top.children(recursive=True)]]
                tree, main = max(tree, sum(rss)), max(main, rss[0])
            except psutil.Error:
                pass
        if time.monotonic() - start > limit:
            hang = True
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(delay)
        delay = min(delay * 1.5, 0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything the process left behind in its session
    except OSError:
        pass
    return {"rc": proc.returncode, "seconds": round(time.monotonic() - start, 3), "hang": hang,
            "tree_kb": max(tree, usage.ru_maxrss), "main_kb": main, "single_kb": usage.ru_maxrss}

def tb_signature(text: str) -> tuple[str, str]:
    """(exception type @ deepest project frame, exception line(s)) of the last traceback in TEXT."""
    block = text[text.rfind("Traceback (most recent call last)"):].splitlines()
    at = max([i for i, ln in enumerate(block) if ln.strip().startswith('File "')], default=0)
    tail = [ln.strip() for ln in block[at + 1:] if ln.strip()]
    exc = next((i for i, ln in enumerate(block[at + 1:]) if ln.strip() and not ln[0].isspace()), None)
    last = " | ".join(ln.strip() for ln in block[at + 1 + exc:][:3] if ln.strip()) if exc is not None else \
        (tail[-1] if tail else "?")
    ours = [ln for ln in block[:at + 1] if ln.strip().startswith('File "') and "/extractor/" in ln]
    frame = re.sub(r'File "(?:.*/(?:site-packages|main)/)?([^"]*)", line (\d+), in (\S+)', r"\1:\2 \3",
                   (ours or block)[-1 if ours else at].strip())  # deepest frame in the project, else deepest
    return f"{last.split(':')[0]} @ {frame}", last[:300]

def run_extracts(args, manifest: list[dict], work: Path, extra: list[dict]) -> list[dict]:
    """A sample round robin over the mutation kinds, plus EXTRA (inputs the batch failed internally)."""
    r, by_mut = random.Random(args.seed + 1), defaultdict(list)
    for entry in manifest:
        by_mut[entry["mutation"]].append(entry)
    queues = [r.sample(group, len(group)) for _, group in sorted(by_mut.items())]
    sample = []
    while len(sample) < min(args.extract_sample, len(manifest)):  # round robin over the mutation kinds
        sample += [q.pop() for q in queues if q][:args.extract_sample - len(sample)]
    sample += [e for e in extra if e not in sample][:20]

    def one(item: tuple[int, dict]) -> dict:
        i, entry = item
        out, err = work / f"{i}.out", work / f"{i}.err"
        res = run_tree(FORM4 + ["extract", *shlex.split(args.extract_args), entry["file"]], args.timeout, out, err)
        text, data = err.read_text("utf-8", "replace"), out.read_bytes()
        res.update(entry=entry, traceback="Traceback" in text, leak=LEAK in data, bomb=BOMB in data)
        if res["traceback"]:
            res["sig"], res["last"] = tb_signature(text)
        if not args.keep:
            out.unlink()
        return res

    with ThreadPoolExecutor(args.jobs) as pool:
        return list(pool.map(one, enumerate(sample)))

def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text("utf-8", "replace").splitlines() if path.exists() else []:
        try:
            rows.append(json.loads(line))
        except ValueError:
            rows.append({"file": None, "malformed": line[:200]})
    return rows

def archive_members(path: str) -> list[str]:
    """Members the batch must list for an archive: a zip's files, a tar's regular files."""
    try:
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                return [i.filename for i in z.infolist() if not i.is_dir()]
        with tarfile.open(path) as t:
            return [m.name for m in t.getmembers() if m.isfile()]
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError):
        return []  # damaged on purpose: the archive itself must appear, checked by the caller

def check_batch(manifest: list[dict], out: Path) -> dict:
    index, errors = read_jsonl(out / "index.jsonl"), read_jsonl(out / "errors.jsonl")
    names = {row.get("file") for row in index + errors}
    archives = {n.split("!", 1)[0] for n in names if n and "!" in n}  # our input paths contain no '!'
    lost = []
    for e in manifest:
        if e["file"] not in names and e["file"] not in archives:
            lost.append((e["file"], e["mutation"], "no entry at all"))
        elif e["archive"]:
            lost += [(f"{e['file']}!{m}", e["mutation"], "member missing") for m in archive_members(e["file"])
                     if f"{e['file']}!{m}" not in names]
    filings = sorted((out / "filings").glob("*")) if (out / "filings").exists() else []
    leaks = [p.name for p in filings if LEAK in p.read_bytes()]
    return {"index": index, "errors": errors, "lost": lost, "leaks": leaks,
            "malformed": [r for r in index + errors if "malformed" in r]}

# ---- report ---------------------------------------------------------------------------------------
def report(args, manifest, gen_seconds, batch, checked, extracts, extra) -> str:
    prefix = f"{args.out / 'inputs'}/"
    lines, mb, short = [], lambda kb: f"{kb / 1024:.0f} MB", lambda f: f.removeprefix(prefix)
    say = lines.append
    say(f"== form4 fuzz: seed {args.seed}, {len(manifest)} inputs ({sum(e['bytes'] for e in manifest) / 1e6:.0f} MB) "
        f"generated in {gen_seconds:.1f} s under {args.out / 'inputs'}")
    say("inputs per source kind: " + ", ".join(f"{k} {n}" for k, n in sorted(Counter(e["kind"] for e in manifest)
                                                                               .items())))
    counts = sorted(Counter(e["mutation"] for e in manifest).items())
    say("inputs per mutation kind:")
    lines += ["  " + "  ".join(f"{k} {n}" for k, n in counts[i:i + 6]) for i in range(0, len(counts), 6)]
    if batch:
        say(f"\n== batch: {' '.join(batch['cmd'])}")
        killed = " (KILLED: --batch-timeout)" if batch["hang"] else ""
        say(f"exit code {batch['rc']}, {batch['seconds']:.1f} s wall{killed}; peak RSS: process tree "
            f"{mb(batch['tree_kb'])}, main process {mb(batch['main_kb'])}, "
            f"largest single process {mb(batch['single_kb'])}")
        if batch["traceback"]:
            say(f"batch stderr has a Traceback: {batch['sig']} | {batch['last']}")
        index, errors = checked["index"], checked["errors"]
        say(f"index.jsonl: {len(index)} entries, status " + ", ".join(f"{k} {n}" for k, n in Counter(
            r.get("status") for r in index).most_common()) + f"; errors.jsonl: {len(errors)} entries, stage "
            + ", ".join(f"{k} {n}" for k, n in Counter(e.get("stage") for e in errors).most_common()))
        bad = defaultdict(list)
        for e in errors:
            if e.get("stage") in ("internal", "crash", "timeout"):
                bad[(e["stage"], re.sub(r"\d+", "N", " ".join(str(e.get("reason")).split()))[:240])].append(e["file"])
        say(f"internal errors / crashes / timeouts in the batch: {sum(map(len, bad.values()))} ({len(bad)} distinct)")
        for (stage, reason), files in sorted(bad.items(), key=lambda kv: -len(kv[1])):
            say(f"  [{stage}] x{len(files)} {reason}")
            lines += [f"      {short(f)}" for f in files[:40 if stage == "timeout" else 3]]
        say(f"lost inputs (in neither index.jsonl nor errors.jsonl): {len(checked['lost'])}")
        lines += [f"  {mut}: {name} ({why})" for name, mut, why in checked["lost"][:60]]
        lines += [f"  malformed line: {r['malformed']}" for r in checked["malformed"][:10]]
        say(f"results containing /etc/passwd: {len(checked['leaks'])} {checked['leaks'][:10]}")
    if extracts:
        command = " ".join(FORM4 + ["extract", *shlex.split(args.extract_args), "FILE"])
        say(f"\n== single extracts: {len(extracts)} x `{command}` (incl. "
            f"{sum(x['entry'] in extra for x in extracts)} the batch failed internally), killed after "
            f"{args.timeout:g} s, {args.jobs} at a time")
        say("exit codes: " + ", ".join(f"{k}: {n}" for k, n in sorted(Counter(x["rc"] for x in extracts).items())))
        hangs = [x for x in extracts if x["hang"]]
        say(f"hangs (> {args.timeout:g} s, killed): {len(hangs)}")
        lines += [f"  {x['entry']['mutation']}: {x['entry']['file']} ({x['entry']['bytes']} bytes)" for x in hangs]
        tbs = defaultdict(list)
        for x in (x for x in extracts if x["traceback"]):
            tbs[x["sig"]].append(x)
        say(f"tracebacks: {sum(map(len, tbs.values()))} in {len(tbs)} distinct signatures")
        for sig, xs in sorted(tbs.items(), key=lambda kv: -len(kv[1])):
            say(f"  x{len(xs)} {sig}\n      last line: {xs[0]['last']}")
            lines += [f"      {x['entry']['mutation']}: {x['entry']['file']}" for x in xs[:3]]
        top = sorted(extracts, key=lambda x: -x["tree_kb"])[:3]
        say("max peak RSS: " + "; ".join(f"{mb(x['tree_kb'])} {short(x['entry']['file'])}" for x in top))
        slow = sorted(extracts, key=lambda x: -x["seconds"])[:3]
        say("slowest: " + "; ".join(f"{x['seconds']:.1f} s {short(x['entry']['file'])}" for x in slow))
        for flag, what in (("leak", "/etc/passwd in the output"), ("bomb", "entity bomb expanded in the output")):
            hits = [short(x["entry"]["file"]) for x in extracts if x[flag]]
            say(f"{what}: {len(hits)} {hits[:10]}")
    return "\n".join(lines)

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=10_000, help="mutated inputs to generate")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--extract-sample", type=int, default=200, help="inputs also run alone through form4 extract")
    ap.add_argument("--out", type=Path, default=Path("/tmp/form4-fuzz"), help="work folder")
    ap.add_argument("--kinds", default=",".join(SOURCES), help="source kinds, of: " + ",".join(SOURCES))
    ap.add_argument("--keep", action="store_true", help="keep inputs/, batch/ and extract/ afterwards")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--scans", type=int, default=20, help="scan inputs (OCR is slow)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per input (batch --timeout, extract kill)")
    ap.add_argument("--batch-timeout", type=float, default=7200.0, help="kill the whole batch after this")
    ap.add_argument("--jobs", type=int, default=2, help="single extracts run side by side")
    ap.add_argument("--extract-args", default="", help="more options for form4 extract, e.g. '-f json'")
    ap.add_argument("--no-batch", action="store_true", help="only generate (and run the single extracts)")
    args = ap.parse_args()
    args.kinds = [k if k in SOURCES else k.rstrip("s") for k in args.kinds.replace(" ", "").split(",")]
    inputs, batch_out, ext_dir = args.out / "inputs", args.out / "batch", args.out / "extract"
    for folder in (inputs, batch_out, ext_dir):
        shutil.rmtree(folder, ignore_errors=True)
    inputs.mkdir(parents=True)
    ext_dir.mkdir()
    start = time.monotonic()
    manifest = generate(args, inputs)
    gen_seconds = time.monotonic() - start
    (args.out / "manifest.jsonl").write_text("".join(json.dumps(e) + "\n" for e in manifest))
    print(f"generated {len(manifest)} inputs in {gen_seconds:.1f} s", file=sys.stderr)
    batch = checked = None
    if not args.no_batch:
        cmd = FORM4 + ["batch", str(inputs), "-o", str(batch_out), "--timeout", f"{args.timeout:g}"]
        batch = run_tree(cmd, args.batch_timeout, args.out / "batch.stdout", args.out / "batch.stderr")
        text = (args.out / "batch.stderr").read_text("utf-8", "replace")
        batch.update(cmd=cmd, traceback="Traceback" in text)
        if batch["traceback"]:
            batch["sig"], batch["last"] = tb_signature(text)
        print(f"batch done in {batch['seconds']:.0f} s", file=sys.stderr)
        checked = check_batch(manifest, batch_out)
    failed = {e["file"] for e in checked["errors"] if e.get("stage") in ("internal", "crash")} if checked else set()
    extra = [e for e in manifest if e["file"] in failed]  # archive members cannot be run alone
    extracts = run_extracts(args, manifest, ext_dir, extra) if args.extract_sample > 0 else []
    text = report(args, manifest, gen_seconds, batch, checked, extracts, extra)
    (args.out / "report.txt").write_text(text + "\n")
    print(text)
    if not args.keep:
        for folder in (inputs, batch_out, ext_dir):
            shutil.rmtree(folder, ignore_errors=True)
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
