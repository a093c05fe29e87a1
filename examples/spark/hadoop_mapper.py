#!/usr/bin/env python3
"""Comity as a Hadoop streaming mapper (a map-only job).

    hadoop jar "$HADOOP_HOME"/share/hadoop/tools/lib/hadoop-streaming-*.jar \\
        -D mapreduce.job.reduces=0 \\
        -D stream.map.input.ignoreKey=false \\
        -files target/release/comity,examples/spark/comity_spark.py,examples/spark/hadoop_mapper.py \\
        -input /data/clauses/ -output /data/comity-answers \\
        -mapper 'python3 hadoop_mapper.py'

`-files` puts the binary and both scripts in each task's working directory.
With `stream.map.input.ignoreKey=false` each input line reaches the mapper
as `<byte offset>\\t<line>`; the mapper writes `<file>:<byte offset>\\t<answer>`,
where the answer is Comity's line for it ({"id", "findings"} or
{"line", "error"}), so every answer, input errors included, is keyed by where
its line is in the input. Input errors never fail the task; a crash of
Comity does (and Hadoop retries it).

Environment: COMITY (default ./comity), COMITY_CONFIG (a shipped
comity.toml, optional), COMITY_THREADS (default 1: one map slot, one core).
"""

import os
import sys

from comity_spark import comity_answers


def keyed_lines(stream, source):
    for raw in stream:
        raw = raw.rstrip(b"\n")
        offset, sep, line = raw.partition(b"\t")
        if not sep or not offset.isdigit():
            # Without ignoreKey=false there is no offset: number the lines.
            raise SystemExit(
                "hadoop_mapper.py: expected '<offset>\\t<line>' input; "
                "run with -D stream.map.input.ignoreKey=false"
            )
        yield f"{source}:{offset.decode()}", line


def main():
    source = os.environ.get("mapreduce_map_input_file", "-")
    binary = os.environ.get("COMITY", "./comity")
    threads = int(os.environ.get("COMITY_THREADS", "1"))
    config = os.environ.get("COMITY_CONFIG") or None
    out = sys.stdout.buffer
    for key, answer in comity_answers(
        keyed_lines(sys.stdin.buffer, source), binary, threads, config
    ):
        out.write(f"{key}\t{answer}\n".encode("utf-8"))
    out.flush()


if __name__ == "__main__":
    main()
