#!/usr/bin/env python3
"""The independent answer: DuckDB over the same flow-log files athq's embedded engine reads.

Usage: duck.py FORMAT ROOT SQL   (FORMAT text|parquet|firehose; prints the result as CSV, header first)

`firehose` is text as Kinesis Data Firehose delivers it: gzip objects without a header line (any
`*.gz` below ROOT), read with AWS's default (version 2) fields.

In SQL, `flows` holds every record below ROOT, with AWS's field names in underscore form and typed
as AWS documents them, plus `day` (`YYYY/MM/DD`), the date folder each text file sits in, as an
Athena table partitioned by day sees it (read here from the path with a regular expression; for
Parquet too, when the files sit in date folders). Text files are parsed here in plain Python (each file's header names its
fields, `-` is NULL, files with different field orders are unified by name) and handed to DuckDB as
one CSV; Parquet is read by DuckDB's own reader. Nothing of athq's is used.
"""
import csv
import glob
import re
import gzip
import os
import sys
import tempfile

import duckdb

INTS = {"version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp_flags", "traffic_path", "encryption_status"}


V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status".split()


def text_to_csv(root, out_path, headerless=False):
    if headerless:
        files = sorted(glob.glob(f"{root}/**/*.gz", recursive=True))
    else:
        files = sorted(glob.glob(f"{root}/**/*.log.gz", recursive=True) + glob.glob(f"{root}/**/*.log", recursive=True))
    headers = []
    for f in files:
        if headerless:
            headers.append([h.replace("-", "_") for h in V2])
            continue
        with (gzip.open(f, "rt") if f.endswith(".gz") else open(f)) as fh:
            headers.append([h.replace("-", "_") for h in fh.readline().split()])
    columns = sorted({c for h in headers for c in h})
    with open(out_path, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(columns + ["day"])
        for f, header in zip(files, headers):
            with (gzip.open(f, "rt") if f.endswith(".gz") else open(f)) as fh:
                if not headerless:
                    fh.readline()
                for line in fh:
                    parts = line.split()
                    if len(parts) != len(header):
                        continue  # not a record of this file's format
                    rec = dict(zip(header, parts))
                    folder = re.search(r"/(\d{4})/(\d{2})/(\d{2})/", f)
                    day = "/".join(folder.groups()) if folder else ""
                    w.writerow(["" if rec.get(c, "-") == "-" else rec[c] for c in columns] + [day])
    return columns


def shown(v, inside=False):
    """A value as Athena prints it: lists `[1, 2]`, maps and structs `{k=v}`, NULL inside them,
    booleans in lower case."""
    if v is None:
        return "NULL" if inside else ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(shown(x, True) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{shown(k, True)}={shown(x, True)}" for k, x in v.items()) + "}"
    return str(v) if inside else v


def main():
    fmt, root, sql = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect()
    con.execute("SET threads = 1")
    con.execute("SET memory_limit = '1GB'")
    with tempfile.TemporaryDirectory() as tmp:
        if fmt in ("text", "firehose"):
            path = os.path.join(tmp, "flows.csv")
            columns = text_to_csv(root, path, headerless=(fmt == "firehose"))
            types = ", ".join(f"'{c}': '{'BIGINT' if c in INTS else 'VARCHAR'}'" for c in columns + ["day"])
            con.execute(f"CREATE VIEW flows AS SELECT * FROM read_csv('{path}', header=true, nullstr='', columns={{{types}}})")
        else:
            files = "'" + root.replace("'", "''") + "/**/*.parquet'"
            # `day` from the date folder, as for text (AWS's plain layout: .../YYYY/MM/DD/file).
            con.execute(
                f"CREATE VIEW flows AS SELECT * EXCLUDE (filename), "
                f"NULLIF(regexp_extract(filename, '/(\\d{{4}}/\\d{{2}}/\\d{{2}})/', 1), '') AS day "
                f"FROM read_parquet({files}, union_by_name=true, filename=true)"
            )
        rel = con.execute(sql)
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow([d[0] for d in rel.description])
        for row in rel.fetchall():
            out.writerow(["" if v is None else shown(v) for v in row])


if __name__ == "__main__":
    main()
