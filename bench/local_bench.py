"""The embedded engine against DuckDB's CLI and chDB (ClickHouse in-process), zcat|awk, and the
decompression floor, over the same files in one run.

Generates RECORDS flow-log records over DAYS days with `athq sample` (gzip text in 5-minute files,
and the same data as hourly Parquet), then for every query and format runs athq, DuckDB and chDB
one after the other, REPS times (paired runs), and prints the medians, the ratios the targets are
stated in, and each engine's peak memory (max RSS of the whole process). Then: `zcat | awk` and the
two-stream `zcat` floor for reject-top; a `--threads` sweep (1, 2, every core) of athq against
DuckDB given the same threads; and a find-ip-shaped export of STREAM_ROWS rows to CSV with athq's
peak memory. Prints figures; asserts nothing.
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATHQ = os.path.join(ROOT, "target", "release", "athq")
BIN = os.path.dirname(sys.executable)
DUCKDB = os.path.join(BIN, "duckdb")
RECORDS = int(os.environ.get("RECORDS", "10000000"))
DAYS = int(os.environ.get("DAYS", "3"))
REPS = int(os.environ.get("REPS", "3"))
STREAM_ROWS = int(os.environ.get("STREAM_ROWS", "5000000"))
NOW = "2026-11-22T10:26:29Z"
WORK = os.environ.get("BENCH_DIR") or os.path.join(tempfile.gettempdir(), f"athq-bench-{RECORDS}-{DAYS}")
ENV = dict(os.environ, ATHQ_NOW=NOW, ATHQ_VPC_CIDRS="10.20.0.0/16")
CORES = len(os.sched_getaffinity(0))
# Which parts to run: any of text, parquet, awk, threads, export.
PARTS = set(os.environ.get("PARTS", "text,parquet,awk,threads,export").split(","))

# The library's queries, written for each reference engine over a `flows` relation.
QUERIES = {
    "reject-top": "SELECT srcaddr, COUNT(*) AS rejected_flows, SUM(packets), SUM(bytes), COUNT(DISTINCT dstport) FROM flows WHERE {w} AND action = 'REJECT' GROUP BY srcaddr ORDER BY 2 DESC, srcaddr LIMIT 25",
    "bytes-by-pair": "SELECT srcaddr, dstaddr, SUM(bytes) AS b, SUM(packets), COUNT(*) FROM flows WHERE {w} AND log_status = 'OK' GROUP BY 1, 2 ORDER BY b DESC, 1, 2 LIMIT 50",
    "outbound-well-known-ports": "SELECT dstport, protocol, COUNT(*) AS n, COUNT(DISTINCT srcaddr), COUNT(DISTINCT dstaddr), SUM(bytes) FROM flows WHERE {w} AND srcaddr LIKE '10.20.%' AND NOT dstaddr LIKE '10.20.%' AND dstport <= 1023 GROUP BY 1, 2 ORDER BY n DESC LIMIT 100",
    "bytes-over-time": "SELECT {hour} AS b, COUNT(*), SUM(packets), SUM(bytes) FROM flows WHERE {w} AND log_status = 'OK' GROUP BY 1 ORDER BY 1",
}
WINDOW = "\"end\" >= 1795083960 AND \"start\" < 1795343160"
V2 = [("version", "INT"), ("account-id", "VARCHAR"), ("interface-id", "VARCHAR"), ("srcaddr", "VARCHAR"),
      ("dstaddr", "VARCHAR"), ("srcport", "INT"), ("dstport", "INT"), ("protocol", "BIGINT"),
      ("packets", "BIGINT"), ("bytes", "BIGINT"), ("start", "BIGINT"), ("end", "BIGINT"),
      ("action", "VARCHAR"), ("log-status", "VARCHAR")]


def duck_sql(fmt, root, sql, threads=None):
    if fmt == "text":
        cols = ", ".join(f"'{n.replace('-', '_')}': '{t}'" for n, t in V2)
        view = (f"CREATE VIEW flows AS SELECT * FROM read_csv('{root}/**/*.log.gz', delim=' ', header=true, "
                f"nullstr='-', columns={{{cols}}});")
    else:
        view = f"CREATE VIEW flows AS SELECT * FROM read_parquet('{root}/**/*.parquet');"
    setting = f"SET threads={threads};" if threads else ""
    return setting + view + sql.format(w=WINDOW, hour='("start" // 3600) * 3600') + ";"


def chdb_sql(fmt, root, sql):
    ch = {"INT": "Nullable(Int32)", "BIGINT": "Nullable(Int64)", "VARCHAR": "Nullable(String)"}
    if fmt == "text":
        structure = ", ".join(f"`{n.replace('-', '_')}` {ch[t]}" for n, t in V2)
        source = f"file('{root}/**/*.log.gz', 'CustomSeparatedWithNames', '{structure}')"
        settings = (" SETTINGS format_custom_field_delimiter=' ', format_custom_escaping_rule='CSV', "
                    "input_format_with_names_use_header=0, format_csv_null_representation='-'")
    else:
        source = f"file('{root}/**/*.parquet', 'Parquet')"
        settings = ""
    q = sql.format(w=WINDOW, hour='intDiv("start", 3600) * 3600').replace("FROM flows", f"FROM {source}")
    return q + settings


def commands(fmt, d, q, threads=None):
    athq = [ATHQ, "-q", "run", q, "--engine", "local", "--source", d, "--days", "3", "--format", "csv"]
    if threads:
        athq += ["--threads", str(threads)]
    duck = [DUCKDB, "-csv", "-c", duck_sql(fmt, d, QUERIES[q], threads)]
    chdb = [sys.executable, "-c", "import chdb,sys; chdb.query(sys.argv[1], 'CSV')", chdb_sql(fmt, d, QUERIES[q])]
    return athq, duck, chdb


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t


def peak_mib(cmd):
    """Max RSS of one child process, measured in a fresh helper so children do not mix."""
    code = ("import resource,subprocess,sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True, env=ENV)
    return int(out.stdout.strip()) / 1024


def paired(cmds):
    """Medians of REPS rounds, each round running every command once, in turn."""
    times = [[] for _ in cmds]
    for _ in range(REPS):
        for i, c in enumerate(cmds):
            times[i].append(timed(c))
    return [statistics.median(t) for t in times]


def main():
    text_dir, pq_dir = os.path.join(WORK, "text"), os.path.join(WORK, "parquet")
    for d, fmt in ((text_dir, "text"), (pq_dir, "parquet")):
        if not os.path.isdir(d):
            print(f"generating {RECORDS:,} records over {DAYS} days as {fmt} in {d} ...", flush=True)
            subprocess.run([ATHQ, "-q", "sample", "--output", d, "--records", str(RECORDS), "--days", str(DAYS),
                            "--format", fmt, "--hourly"], check=True, env=ENV)
    gz = sorted(glob.glob(f"{text_dir}/**/*.log.gz", recursive=True))
    pq = sorted(glob.glob(f"{pq_dir}/**/*.parquet", recursive=True))
    raw = subprocess.run(f"zcat {' '.join(gz[:50])} | wc -c", shell=True, capture_output=True, text=True, check=True).stdout
    print(f"{RECORDS:,} records, {CORES} cores; {len(gz)} gz files, {sum(map(os.path.getsize, gz)) / 1e6:.0f} MB "
          f"(~{int(raw) * len(gz) / 50 / 1e9:.2f} GB raw); {len(pq)} Parquet files, "
          f"{sum(map(os.path.getsize, pq)) / 1e6:.0f} MB; medians of {REPS} paired runs", flush=True)

    print(f"\n{'format':8} {'query':26} {'athq s':>7} {'duck s':>7} {'chdb s':>7} {'/duck':>6} {'/chdb':>6}"
          f" {'athq MiB':>9} {'duck MiB':>9} {'chdb MiB':>9} {'mem/duck':>8}", flush=True)
    for fmt, d in (("text", text_dir), ("parquet", pq_dir)):
        if fmt not in PARTS:
            continue
        for q in QUERIES:
            cmds = commands(fmt, d, q)
            a, b, c = paired(cmds)
            ma, mb, mc = (peak_mib(x) for x in cmds)
            print(f"{fmt:8} {q:26} {a:7.2f} {b:7.2f} {c:7.2f} {a / b:6.2f} {a / c:6.2f} {ma:9.0f} {mb:9.0f} {mc:9.0f}"
                  f" {ma / mb:8.2f}", flush=True)

    if "awk" in PARTS:
        awk_figures(text_dir)
    if "threads" in PARTS:
        threads_sweep(text_dir, pq_dir)
    if "export" in PARTS:
        export(text_dir, pq_dir)


def awk_figures(text_dir):
    athq_reject = paired([commands("text", text_dir, "reject-top")[0]])[0]
    awk = (f"find {text_dir} -name '*.log.gz' -print0 | xargs -0 zcat | awk '$13==\"REJECT\" {{n[$4]++}} "
           "END {for (k in n) print n[k], k}' | sort -rn | head -25")
    floor = f"find {text_dir} -name '*.log.gz' -print0 | xargs -0 -n 100 -P 2 zcat > /dev/null"
    awk_t, floor_t = paired([["bash", "-c", awk], ["bash", "-c", floor]])
    print(f"\nreject-top on text: athq {athq_reject:.2f} s; zcat|awk {awk_t:.2f} s ({awk_t / athq_reject:.2f}x slower "
          f"than athq, target >= 2.5x); two-stream zcat floor {floor_t:.2f} s (athq is {athq_reject / floor_t:.2f}x it)")


def threads_sweep(text_dir, pq_dir):
    print(f"\n--threads sweep (DuckDB given the same threads): {'threads':>7} {'athq s':>7} {'duck s':>7} {'/duck':>6} {'speed-up':>8}")
    for fmt, d in (("parquet", pq_dir), ("text", text_dir)):
        base = None
        for n in sorted({1, 2, CORES}):
            athq, duck, _ = commands(fmt, d, "bytes-by-pair", threads=n)
            a, b = paired([athq, duck])
            base = base or a
            print(f"{fmt:8} bytes-by-pair{'':23} {n:7} {a:7.2f} {b:7.2f} {a / b:6.2f} {base / a:7.2f}x", flush=True)


def export(text_dir, pq_dir):
    # find-ip's columns and order, for every internal source's flows: the rows reach the CSV as
    # they are produced; the sort holds them first.
    select = ("SELECT CASE WHEN srcaddr LIKE '10.20.%' THEN 'out' ELSE 'in' END AS direction, "
              "from_unixtime(\"start\") AS start_time, interface_id, srcaddr, srcport, dstaddr, dstport, protocol, "
              "packets, bytes, action FROM vpc_flow_logs WHERE srcaddr LIKE '10.20.%'")
    print(f"\n{STREAM_ROWS:,}-row export to CSV (find-ip's columns):")
    # The sorted export with the default memory limit (80% of the machine's) holds its rows;
    # with --memory-limit its sort spills to temporary files.
    recent = f"{select} ORDER BY \"start\" DESC LIMIT {STREAM_ROWS}"
    for label, sql, extra in (("in file order", f"{select} LIMIT {STREAM_ROWS}", []),
                              ("most recent first", recent, []),
                              ("... --memory-limit 64MB", recent, ["--memory-limit", "64MB"])):
        for fmt, d in (("text", text_dir), ("parquet", pq_dir)):
            cmd = [ATHQ, "-q", "exec", "--engine", "local", "--source", d, "--all", "--format", "csv", *extra, "--sql", sql]
            t = paired([cmd])[0]
            print(f"  {label:26} {fmt:8} {t:6.2f} s, athq peak {peak_mib(cmd):5.0f} MiB (target < 300 MiB)", flush=True)


if __name__ == "__main__":
    main()
