"""The embedded engine vs DuckDB (Python package), zcat|awk, and the decompression floor.

Generates RECORDS flow-log records over DAYS days with `athq sample` (gzip text, 5-minute files, and
the same data as Parquet), then times each query on each engine over the same files: medians of
REPS runs, peak memory (max RSS) of athq and DuckDB, and the ratios the targets are stated in.
"""
import glob
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATHQ = os.path.join(ROOT, "target", "release", "athq")
RECORDS = int(os.environ.get("RECORDS", "10000000"))
DAYS = int(os.environ.get("DAYS", "3"))
REPS = int(os.environ.get("REPS", "3"))
NOW = "2026-11-22T10:26:29Z"
WORK = os.environ.get("BENCH_DIR") or os.path.join(tempfile.gettempdir(), f"athq-bench-{RECORDS}-{DAYS}")
ENV = dict(os.environ, ATHQ_NOW=NOW, ATHQ_VPC_CIDRS="10.20.0.0/16")

DUCK = {
    "reject-top": "SELECT srcaddr, COUNT(*) AS rejected_flows, SUM(packets), SUM(bytes), COUNT(DISTINCT dstport) FROM flows WHERE {w} AND action = 'REJECT' GROUP BY srcaddr ORDER BY 2 DESC, srcaddr LIMIT 25",
    "bytes-by-pair": "SELECT srcaddr, dstaddr, SUM(bytes) AS b, SUM(packets), COUNT(*) FROM flows WHERE {w} AND log_status = 'OK' GROUP BY 1, 2 ORDER BY b DESC, 1, 2 LIMIT 50",
    "outbound-well-known-ports": "SELECT dstport, protocol, COUNT(*) AS n, COUNT(DISTINCT srcaddr), COUNT(DISTINCT dstaddr), SUM(bytes) FROM flows WHERE {w} AND srcaddr LIKE '10.20.%' AND NOT dstaddr LIKE '10.20.%' AND dstport <= 1023 GROUP BY 1, 2 ORDER BY n DESC LIMIT 100",
    "bytes-over-time": "SELECT (\"start\" // 3600) * 3600 AS b, COUNT(*), SUM(packets), SUM(bytes) FROM flows WHERE {w} AND log_status = 'OK' GROUP BY 1 ORDER BY 1",
}
WINDOW = "\"end\" >= 1795083960 AND \"start\" < 1795343160"


def timed(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def peak_kib(cmd, **kw):
    """Max RSS of one child process, measured in a fresh helper so children do not mix."""
    code = "import resource,subprocess,sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True, **kw)
    return int(out.stdout.strip())


def median(xs):
    return statistics.median(xs)


def main():
    text_dir, pq_dir = os.path.join(WORK, "text"), os.path.join(WORK, "parquet")
    if not os.path.isdir(text_dir):
        print(f"generating {RECORDS:,} records over {DAYS} days in {WORK} ...", flush=True)
        for d, fmt in ((text_dir, "text"), (pq_dir, "parquet")):
            subprocess.run([ATHQ, "sample", "--output", d, "--records", str(RECORDS), "--days", str(DAYS), "--format", fmt], check=True, env=ENV)
    gz = sorted(glob.glob(f"{text_dir}/**/*.log.gz", recursive=True))
    raw = subprocess.run(f"zcat {' '.join(gz[:50])} | wc -c", shell=True, capture_output=True, text=True, check=True).stdout
    print(f"{len(gz)} gz files, {sum(os.path.getsize(f) for f in gz) / 1e6:.0f} MB gz (~{int(raw) * len(gz) / 50 / 1e9:.2f} GB raw); "
          f"{len(glob.glob(f'{pq_dir}/**/*.parquet', recursive=True))} Parquet files")

    duck_script = (
        "import duckdb,sys\ncon=duckdb.connect()\nfmt,root,sql=sys.argv[1:4]\n"
        "if fmt=='text':\n con.execute(\"CREATE VIEW flows AS SELECT * FROM read_csv(?, delim=' ', header=true, nullstr='-', "
        "columns={'version':'INT','account-id':'VARCHAR','interface-id':'VARCHAR','srcaddr':'VARCHAR','dstaddr':'VARCHAR','srcport':'INT','dstport':'INT',"
        "'protocol':'BIGINT','packets':'BIGINT','bytes':'BIGINT','start':'BIGINT','end':'BIGINT','action':'VARCHAR','log_status':'VARCHAR'})\".replace('?', repr(root+'/**/*.log.gz')))\n"
        "else:\n con.execute('CREATE VIEW flows AS SELECT * FROM read_parquet(%r)' % (root+'/**/*.parquet'))\n"
        "con.execute(sql).fetchall()\n"
    )
    rows = []
    for fmt, d in (("text", text_dir), ("parquet", pq_dir)):
        for q, sql in DUCK.items():
            athq_cmd = [ATHQ, "-q", "run", q, "--engine", "local", "--source", d, "--days", "3", "--format", "csv"]
            duck_cmd = [sys.executable, "-c", duck_script, fmt, d, sql.format(w=WINDOW)]
            a = median([timed(athq_cmd, env=ENV) for _ in range(REPS)])
            b = median([timed(duck_cmd) for _ in range(REPS)])
            rows.append((fmt, q, a, b, peak_kib(athq_cmd, env=ENV), peak_kib(duck_cmd)))
    awk = f"find {text_dir} -name '*.log.gz' -print0 | xargs -0 zcat | awk '$13==\"REJECT\" {{n[$4]++}} END {{for (k in n) print n[k], k}}' | sort -rn | head -25"
    awk_t = median([timed(["bash", "-c", awk]) for _ in range(REPS)])
    floor = f"find {text_dir} -name '*.log.gz' -print0 | xargs -0 -n 100 -P 2 zcat > /dev/null"
    floor_t = median([timed(["bash", "-c", floor]) for _ in range(REPS)])

    print(f"\n{'format':8} {'query':28} {'athq s':>8} {'duckdb s':>9} {'ratio':>6} {'athq MB':>8} {'duck MB':>8}")
    for fmt, q, a, b, ma, mb in rows:
        print(f"{fmt:8} {q:28} {a:8.2f} {b:9.2f} {a / b:6.2f} {ma / 1024:8.0f} {mb / 1024:8.0f}")
    reject_text = rows[0][2]
    print(f"\nzcat|awk reject-top: {awk_t:.2f} s; athq is {awk_t / reject_text:.2f}x faster (target >= 2.5x)")
    print(f"decompression floor (zcat, 2 streams): {floor_t:.2f} s; athq reject-top on text is {reject_text / floor_t:.2f}x the floor (target <= 1.3x)")


if __name__ == "__main__":
    main()
