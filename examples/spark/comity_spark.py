#!/usr/bin/env python3
"""Comity's JSONL stream as a map step on Apache Spark.

`comity check --input jsonl -` answers each input line with one output line,
in order, and answers a bad line in place with {"line": N, "error": "..."}.
That makes it a map step: each Spark task starts one `comity` process for its
partition, writes the partition's lines to it and reads the answers back,
pairing answer k with the k-th non-blank line it sent. Nothing is reordered,
so results can be keyed (by line number, `id` or file path) and joined back.

The binary reaches the executors the way Spark ships files: `--files comity`
on spark-submit, or `SparkContext.addFile` (done here), and each task finds
its copy with `SparkFiles.get("comity")`. A comity.toml can be shipped the
same way (`--config`).

Three jobs, any of which can run in one Spark session:

  --jsonl IN OUT       a JSONL clause file (text lines), answered line for
                       line: OUT (a Spark output directory) read part by part
                       equals `comity check --input jsonl IN`, error lines
                       included (their "line" is rewritten to the line number
                       in IN).
  --dataframe IN OUT   a DataFrame of {id, text, lang?} (read here from JSON
                       lines); the answers are joined back by id as columns
                       `findings` (parsed) and `error`. A row that Comity
                       cannot read (no text, an unknown lang) keeps its place
                       with `error` set: input errors never fail the job.
  --docx DIR OUT       every DIR/*.docx, read with `binaryFiles` and sent to
                       Comity as {"id": path, "docx_base64": ...}: Comity's own
                       .docx reader extracts the text; findings name the Word
                       paragraph; a corrupt file is an error row.

Example (local mode, two cores):

  python3 examples/spark/comity_spark.py --comity target/release/comity \\
      --master 'local[2]' --jsonl clauses.jsonl out/answers

On a cluster:

  spark-submit --master yarn --files target/release/comity \\
      examples/spark/comity_spark.py --comity comity --jsonl hdfs:///lib.jsonl \\
      hdfs:///out/answers

(with --files, pass the file's name to --comity; the script does not add it
again). Requires PySpark 4.0 and Java 17 or 21.
"""

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import deque

# What the stream counts as a blank line (skipped, not answered): only ASCII
# whitespace, as Rust's `u8::is_ascii_whitespace`.
BLANK = b" \t\n\r\x0c"

# The shape of one answer's findings (see README: the JSONL stream).
FINDINGS_SCHEMA = (
    "array<struct<code:string,severity:string,start:bigint,end:bigint,"
    "start_byte:bigint,end_byte:bigint,clause:string,message:string,"
    "citations:array<struct<instrument:string,article:string,verified:boolean>>,"
    "suggestions:array<struct<replacement:string,applicability:string,"
    "start:bigint,end:bigint>>,paragraph:struct<number:bigint,offset:bigint>>>"
)


def comity_answers(keyed_lines, binary, threads=1, config=None):
    """Pipes (key, line) pairs through one `comity check --input jsonl`
    process and yields (key, answer line) for every non-blank line, in order.

    Input errors are answers, not exceptions. Anything else (the binary
    missing or crashing, a bad configuration, an answer missing) raises, so
    that Spark retries or fails the task instead of losing rows.
    """
    cmd = [binary, "check", "--input", "jsonl", "--exit-zero"]
    if threads:
        cmd += ["--threads", str(threads)]
    if config:
        cmd += ["--config", config]
    cmd.append("-")
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    pending = deque()  # keys of the lines sent and not yet answered
    failures = []
    stderr = []

    def feed():
        try:
            for key, line in keyed_lines:
                data = line.encode("utf-8") if isinstance(line, str) else line
                if b"\n" in data:
                    raise ValueError(f"{key!r}: a line holds a newline")
                if not data.strip(BLANK):
                    continue  # the stream does not answer blank lines
                pending.append(key)
                proc.stdin.write(data + b"\n")
        except BrokenPipeError:
            pass  # comity stopped; its exit status tells why
        except BaseException as e:  # noqa: BLE001 - reported after the run
            failures.append(e)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    def drain_stderr():
        stderr.append(proc.stderr.read())

    feeder = threading.Thread(target=feed, daemon=True)
    errors = threading.Thread(target=drain_stderr, daemon=True)
    feeder.start()
    errors.start()
    try:
        for out in proc.stdout:
            # An answer is written only after its line was read, so its key
            # is already queued.
            yield pending.popleft(), out.decode("utf-8").rstrip("\n")
    except GeneratorExit:
        proc.kill()  # the consumer stopped early (e.g. take(n))
        proc.wait()
        raise
    proc.wait()
    feeder.join()
    errors.join()
    if failures:
        raise failures[0]
    # 0: answered; 2: answered, some lines were input errors (in place).
    if proc.returncode not in (0, 2) or pending:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode} with "
            f"{len(pending)} line(s) unanswered: "
            f"{b''.join(stderr).decode('utf-8', 'replace').strip()}"
        )


_LINE_AT_END = re.compile(r',"line":\d+\}$')
_LINE_AT_START = re.compile(r'^\{"line":\d+,')


def renumber(answer, line_no):
    """An error answer names the line within its partition; give it the line
    number in the whole input. Other answers are returned unchanged."""
    if not answer.startswith('{"error":') and not answer.startswith('{"line":'):
        return answer
    if _LINE_AT_END.search(answer):
        return _LINE_AT_END.sub(f',"line":{line_no}}}', answer)
    return _LINE_AT_START.sub(f'{{"line":{line_no},', answer)


def split_answer(answer):
    """(findings JSON or None, error or None) of one answer line."""
    obj = json.loads(answer)
    if "error" in obj:
        return None, obj["error"]
    return json.dumps(obj["findings"], ensure_ascii=False), None


class Comity:
    """Where each task finds the binary, and how to run it."""

    def __init__(self, sc, binary, threads=1, config=None):
        name = os.path.basename(binary)
        shipped = sc.getConf().get("spark.files", "")
        if not any(os.path.basename(f) == name for f in shipped.split(",") if f):
            sc.addFile(binary)  # as --files would
        if __name__ != "__main__":
            # Imported by another job: the tasks import this module too.
            sc.addPyFile(os.path.abspath(__file__))
        self.name = name
        self.threads = threads
        self.config = None
        if config:
            sc.addFile(config)
            self.config = os.path.basename(config)

    def partition_fn(self):
        name, threads, config = self.name, self.threads, self.config

        def run(keyed_lines):
            from pyspark import SparkFiles

            binary = SparkFiles.get(name)
            if not os.access(binary, os.X_OK):
                os.chmod(binary, 0o755)
            cfg = SparkFiles.get(config) if config else None
            return comity_answers(keyed_lines, binary, threads, cfg)

        return run


def check_jsonl(sc, comity, path, out, partitions=None):
    """A JSONL clause file answered line for line (see module doc)."""
    lines = sc.textFile(path, minPartitions=partitions or sc.defaultParallelism)
    answers = (
        lines.zipWithIndex()
        .map(lambda li: (li[1] + 1, li[0]))
        .mapPartitions(comity.partition_fn())
        .map(lambda ka: renumber(ka[1], ka[0]))
    )
    answers.saveAsTextFile(out)


def check_dataframe(df, comity, id_col="id", text_col="text", lang_col="lang"):
    """`df` joined with Comity's answers by `id_col`: two columns added,
    `findings` (array of structs, FINDINGS_SCHEMA) and `error` (string).
    Ids must be unique and not null. A row Comity cannot read (no text, an
    unknown lang) is kept, with `error` set and no findings."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    has_lang = lang_col in df.columns

    def to_lines(rows):
        for r in rows:
            clause = {"id": r[0]}
            if r[1] is not None:
                clause["text"] = r[1]
            if has_lang and r[2] is not None:
                clause["lang"] = r[2]
            yield r[0], json.dumps(clause, ensure_ascii=False)

    run = comity.partition_fn()
    cols = [id_col, text_col] + ([lang_col] if has_lang else [])
    answers = (
        df.select(*cols)
        .rdd.mapPartitions(lambda rows: run(to_lines(rows)))
        .map(lambda ka: (ka[0],) + split_answer(ka[1]))
    )
    schema = StructType(
        [
            StructField(id_col, df.schema[id_col].dataType),
            StructField("findings_json", StringType()),
            StructField("error", StringType()),
        ]
    )
    results = df.sparkSession.createDataFrame(answers, schema).select(
        id_col,
        F.from_json("findings_json", FINDINGS_SCHEMA).alias("findings"),
        "error",
    )
    return df.join(results, on=id_col, how="left")


def check_docx(spark, comity, directory):
    """Every .docx in `directory`, read with `binaryFiles` and extracted and
    checked by Comity: a DataFrame (path, findings, error)."""
    from pyspark.sql import functions as F

    docs = spark.sparkContext.binaryFiles(os.path.join(directory, "*.docx"))

    def to_line(pb):
        path, data = pb
        b64 = base64.b64encode(bytes(data)).decode("ascii")
        return path, json.dumps({"id": path, "docx_base64": b64})

    answers = (
        docs.map(to_line)
        .mapPartitions(comity.partition_fn())
        .map(lambda ka: (ka[0],) + split_answer(ka[1]))
    )
    return spark.createDataFrame(
        answers, "path string, findings_json string, error string"
    ).select(
        "path", F.from_json("findings_json", FINDINGS_SCHEMA).alias("findings"), "error"
    )


def local_mode(builder):
    """Settings for a run on one machine: the driver listens on loopback
    only, and a few shuffle partitions rather than the cluster default 200."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return (
        builder.config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
    )


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--comity", required=True, help="the comity binary to ship")
    p.add_argument("--config", help="a comity.toml to ship and use")
    p.add_argument("--master", help="e.g. local[2] (default: spark-submit's)")
    p.add_argument("--partitions", type=int, help="input partitions")
    p.add_argument("--threads", type=int, default=1, help="comity threads per task")
    p.add_argument("--jsonl", nargs=2, metavar=("IN", "OUT"))
    p.add_argument("--dataframe", nargs=2, metavar=("IN", "OUT"))
    p.add_argument("--docx", nargs=2, metavar=("DIR", "OUT"))
    p.add_argument("--timings", action="store_true", help="print job times")
    a = p.parse_args(argv)

    # Python workers run the interpreter that runs this script.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    started = time.perf_counter()
    builder = SparkSession.builder.appName("comity")
    if a.master:
        builder = builder.master(a.master)
    builder = builder.config("spark.ui.enabled", "false").config(
        "spark.ui.showConsoleProgress", "false"
    )
    if a.master and a.master.startswith("local"):
        builder = local_mode(builder)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    comity = Comity(sc, a.comity, a.threads, a.config)
    timings = {"session": time.perf_counter() - started}

    if a.jsonl:
        t = time.perf_counter()
        check_jsonl(sc, comity, a.jsonl[0], a.jsonl[1], a.partitions)
        timings["jsonl"] = time.perf_counter() - t
    if a.dataframe:
        t = time.perf_counter()
        df = spark.read.json(a.dataframe[0], schema="id string, text string, lang string")
        # A table joins on its ids: a line that is not a JSON object has
        # none (the --jsonl job answers such lines in place).
        df = df.where(df.id.isNotNull())
        check_dataframe(df, comity).write.json(a.dataframe[1])
        timings["dataframe"] = time.perf_counter() - t
    if a.docx:
        t = time.perf_counter()
        check_docx(spark, comity, a.docx[0]).write.json(a.docx[1])
        timings["docx"] = time.perf_counter() - t
    if a.timings:
        print(json.dumps(timings))
    spark.stop()


if __name__ == "__main__":
    main()
