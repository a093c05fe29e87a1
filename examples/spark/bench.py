#!/usr/bin/env python3
"""What the Spark pipe costs, and how it scales from 1 to 2 local cores.

    cargo build --release
    python3 examples/spark/bench.py --comity target/release/comity

Generates a clause library (deterministic: English and Chinese, about half
of it flagged), then times

  * one `comity check --input jsonl --threads T -` process on the whole file
    (T = 1 and 2): the stream without Spark;
  * the Spark job of comity_spark.py (`--jsonl`: read the file, number the
    lines, one comity process per partition with --threads 1, write the
    answers) in local[1] and local[2], JVM start excluded, after a warm-up
    run in the same session;

and prints a Markdown table: clauses per second, per core, and against the
single process on the same number of cores. Each figure is the best of
--runs. Timings are wall-clock on whatever else the machine is doing: run it
on a quiet machine and read small differences as noise.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

EN_FLAGGED = [
    "{p} shall comply with all U.S. export control laws, including the EAR, in using {g}.",
    "{p} represents that it is not listed on the SDN List or the Entity List.",
    "{p} may suspend delivery of {g} if the other Party becomes a Sanctioned Person under OFAC regulations.",
]
EN_CLEAN = [
    "{p} shall deliver {g} to the delivery point within thirty (30) days.",
    "Each Party shall comply with all laws applicable to it in performing its obligations concerning {g}.",
    "{p} shall keep {g} insured against loss and damage until delivery.",
]
ZH_FLAGGED = [
    "{p}应遵守美国出口管制法律，包括《出口管理条例》，不得将{g}转让给任何第三方。",
    "如{p}被列入美国财政部特别指定国民清单，另一方有权立即终止本合同。",
]
ZH_CLEAN = [
    "{p}应于收到发票后三十日内支付{g}的价款。",
    "各方应遵守所有适用的法律法规，{p}应妥善保管{g}。",
]
EN_P = ["the Buyer", "the Supplier", "the Licensee", "the Distributor"]
EN_G = ["the Products", "the Licensed Software", "the Equipment"]
ZH_P = ["买方", "卖方", "被许可方", "经销商"]
ZH_G = ["产品", "许可软件", "设备"]


def library(n):
    groups = [(EN_FLAGGED, EN_P, EN_G), (EN_CLEAN, EN_P, EN_G),
              (ZH_FLAGGED, ZH_P, ZH_G), (ZH_CLEAN, ZH_P, ZH_G)]
    for i in range(n):
        templates, parties, goods = groups[i % 4]
        t = templates[(i // 4) % len(templates)]
        text = t.format(p=parties[(i // 7) % len(parties)], g=goods[(i // 11) % len(goods)])
        yield json.dumps({"id": f"c{i:07d}", "text": text}, ensure_ascii=False)


def tree_cpu(root):
    """CPU seconds used so far by `root` and its live descendants, their
    reaped children included (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(pid)] = int(fields[1])
        cpu[int(pid)] = sum(int(x) for x in fields[11:15]) / tick

    def under(pid):
        while pid > 1:
            if pid == root:
                return True
            pid = parent.get(pid, 0)
        return False

    return sum(c for pid, c in cpu.items() if under(pid))


def single(comity, path, threads):
    """(wall seconds, CPU seconds) of one stream process on the file."""
    with open(path, "rb") as f:
        before = os.times()
        t = time.perf_counter()
        subprocess.run(
            [comity, "check", "--input", "jsonl", "--exit-zero", "--threads", str(threads), "-"],
            stdin=f, stdout=subprocess.DEVNULL, check=True,
        )
        wall = time.perf_counter() - t
        after = os.times()
    return wall, (after.children_user - before.children_user) + (
        after.children_system - before.children_system)


def ceiling(comity, path):
    """How many cores the machine gives now: two 1-thread processes at once,
    each on the whole file, against one alone (2.0 on an idle machine)."""
    cmd = [comity, "check", "--input", "jsonl", "--exit-zero", "--threads", "1", path]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    one = time.perf_counter() - t
    t = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        p.wait()
    return 2 * one / (time.perf_counter() - t)


def spark(comity, path, cores, runs, work, breakdown=False):
    """{name: (wall, CPU seconds)}: the --jsonl job ("job"), the best of
    `runs` runs after a warm-up, in one Spark session (the JVM start is not
    counted). CPU counts the driver, the JVM, the Python workers and the
    comity processes. With `breakdown`, parts of the job alone too: reading
    the file in the JVM ("read"), the counting pass that numbers the lines
    ("number"), and the lines through a Python worker and back out to part
    files without comity ("python")."""
    code = f"""
import json, os, sys, time, shutil
sys.path.insert(0, {HERE!r})
import comity_spark as cs
from bench import tree_cpu
from pyspark.sql import SparkSession
spark = (cs.local_mode(SparkSession.builder.master("local[{cores}]"))
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
sc = spark.sparkContext
comity = cs.Comity(sc, {comity!r}, threads=1)
path, out = {path!r}, {work!r} + "/spark-out"
jobs = {{"job": lambda: cs.check_jsonl(sc, comity, path, out, partitions={cores})}}
if {breakdown!r}:
    jobs["read"] = lambda: sc.textFile(path, {cores}).count()
    jobs["number"] = lambda: sc.textFile(path, {cores}).mapPartitions(
        lambda it: [sum(1 for _ in it)]).collect()
    jobs["python"] = lambda: sc.textFile(path, {cores}).map(lambda l: l).saveAsTextFile(out)
best = {{}}
for name, job in jobs.items():
    times = []
    for run in range({runs} + 1):
        cpu = tree_cpu(os.getpid())
        t = time.perf_counter()
        job()
        times.append((time.perf_counter() - t, tree_cpu(os.getpid()) - cpu))
        shutil.rmtree(out, ignore_errors=True)
    best[name] = min(times[1:])  # by wall time
print(json.dumps(best))
spark.stop()
"""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--comity", required=True, help="a release build of comity")
    p.add_argument("--clauses", type=int, default=400_000)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    comity = os.path.abspath(a.comity)

    with tempfile.TemporaryDirectory(prefix="comity-spark-bench-") as work:
        path = os.path.join(work, "clauses.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for line in library(a.clauses):
                f.write(line + "\n")
        mib = os.path.getsize(path) / 2**20

        rows = []
        base = {}
        for threads in (1, 2):
            wall, cpu = min(single(comity, path, threads) for _ in range(a.runs))
            base[threads] = (a.clauses / wall, a.clauses / cpu)
            rows.append((f"one process, `--threads {threads}`", threads, wall, cpu))
        limit = max(ceiling(comity, path) for _ in range(a.runs))
        parts = {}
        for cores in (1, 2):
            got = spark(comity, path, cores, a.runs, work, breakdown=cores == 1)
            wall, cpu = got.pop("job")
            parts = parts or got
            rows.append((f"Spark `local[{cores}]`, {cores} partition(s)", cores, wall, cpu))
        with open(path, "rb") as f:
            answers = subprocess.run(
                [comity, "check", "--input", "jsonl", "--exit-zero", "-"],
                stdin=f, stdout=subprocess.PIPE, check=True,
            ).stdout

        print(f"{a.clauses:,} clauses ({mib:.0f} MiB of JSONL), best of {a.runs} runs, "
              f"{os.cpu_count()} cores on the machine, load average "
              f"{os.getloadavg()[0]:.1f} at the end\n")
        print("| run | cores | wall s | clauses/s | per core | vs one process | "
              "CPU s | clauses per CPU-second | vs one process |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, cores, wall, cpu in rows:
            rate, eff = a.clauses / wall, a.clauses / cpu
            print(f"| {name} | {cores} | {wall:.2f} | {rate:,.0f} | {rate / cores:,.0f} "
                  f"| {rate / base[cores][0]:.2f} | {cpu:.2f} | {eff:,.0f} "
                  f"| {eff / base[cores][1]:.2f} |")
        s1 = next(w for n, c, w, _ in rows if n.startswith("Spark") and c == 1)
        s2 = next(w for n, c, w, _ in rows if n.startswith("Spark") and c == 2)
        print(f"\nSpark, 1 → 2 local cores: {s1 / s2:.2f}× the throughput (wall clock); "
              f"one process, 1 → 2 threads: {rows[0][2] / rows[1][2]:.2f}×; machine ceiling "
              f"(two 1-thread processes at once against one): {limit:.2f}×")
        print(f"\nThe answers: {len(answers) / 2**20:.0f} MiB "
              f"({len(answers) / os.path.getsize(path):.1f}× the input).")
        print("Parts of the local[1] job run alone (wall s, CPU s): " + ", ".join(
            f"{name} {w:.2f} / {c:.2f}" for name, (w, c) in parts.items()))


if __name__ == "__main__":
    main()
