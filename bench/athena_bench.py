"""athq vs the AWS CLI and PyAthena on the AWS stand-in (moto, tests/standin/athq_standin.py).

1. A small query end to end: `athq exec` vs the AWS CLI's start-query-execution,
   get-query-execution (until SUCCEEDED) and get-query-results.
2. A 200,000-row result: `athq exec --format csv` vs PyAthena's default cursor (execute + fetchall).
Both sides run against the same server in the same run; medians of several runs.
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ATHQ = os.path.join(ROOT, "target", "release", "athq")
ACCOUNT = "424242424242"
REPS_SMALL = int(os.environ.get("REPS_SMALL", "7"))
REPS_LARGE = int(os.environ.get("REPS_LARGE", "3"))
ROWS_LARGE = int(os.environ.get("ROWS_LARGE", "200000"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    urllib.request.urlopen(req).read()


def queue_result(base, n_rows):
    cols = ["srcaddr", "dstaddr", "total_bytes", "total_packets", "flows"]
    rows = [{"Data": [{"VarCharValue": c} for c in cols]}]
    for i in range(n_rows):
        rows.append({"Data": [{"VarCharValue": v} for v in (
            f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", f"203.0.113.{i % 250}", str(i * 1500), str(i * 3), str(i % 97))]})
    info = [{"Name": c, "Type": "varchar" if i < 2 else "bigint"} for i, c in enumerate(cols)]
    post(f"{base}/moto-api/static/athena/query-results",
         {"account_id": ACCOUNT, "region": "us-east-1", "results": [{"rows": rows, "column_info": info}]})


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main():
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "standin", "athq_standin.py"), str(port)],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, AWS_ACCESS_KEY_ID=f"ATHQ{ACCOUNT}TEST", AWS_SECRET_ACCESS_KEY="x", AWS_REGION="us-east-1",
               AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=base, AWS_CONFIG_FILE="/nonexistent",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/moto-api/data.json").read()
                break
            except OSError:
                time.sleep(0.1)
        bucket = "athq-bench-results"
        subprocess.run(["aws", "s3api", "create-bucket", "--bucket", bucket], env=env, check=True, capture_output=True)
        work = tempfile.mkdtemp()
        with open(os.path.join(work, "athq.yaml"), "w") as f:
            f.write(f"output_location: s3://{bucket}/athq/\n")
        sql = "SELECT srcaddr, dstaddr, total_bytes, total_packets, flows FROM flows"

        def athq(out):
            subprocess.run([ATHQ, "-q", "exec", "--sql", sql, "--format", "csv", "--output", out], cwd=work, env=env, check=True)

        def aws_cli():
            qid = json.loads(subprocess.run(["aws", "athena", "start-query-execution", "--query-string", sql,
                                             "--result-configuration", f"OutputLocation=s3://{bucket}/cli/"],
                                            env=env, check=True, capture_output=True).stdout)["QueryExecutionId"]
            while True:
                st = json.loads(subprocess.run(["aws", "athena", "get-query-execution", "--query-execution-id", qid],
                                               env=env, check=True, capture_output=True).stdout)
                if st["QueryExecution"]["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                    break
                time.sleep(0.2)
            subprocess.run(["aws", "athena", "get-query-results", "--query-execution-id", qid], env=env, check=True,
                           capture_output=True)

        small_athq, small_cli = [], []
        for _ in range(REPS_SMALL):
            queue_result(base, 20)
            small_athq.append(timed(lambda: athq(os.path.join(work, "small.csv"))))
            queue_result(base, 20)
            small_cli.append(timed(aws_cli))

        os.environ.update(env)  # PyAthena runs in this process
        from pyathena import connect
        cursor = connect(s3_staging_dir=f"s3://{bucket}/pyathena/", region_name="us-east-1", endpoint_url=base).cursor()

        def pyathena():
            cursor.execute(sql)
            n = len(cursor.fetchall())
            assert n == ROWS_LARGE, n

        large_athq, large_py = [], []
        for _ in range(REPS_LARGE):
            queue_result(base, ROWS_LARGE)
            large_athq.append(timed(lambda: athq(os.path.join(work, "large.csv"))))
            with open(os.path.join(work, "large.csv")) as f:
                assert sum(1 for _ in f) == ROWS_LARGE + 1
            queue_result(base, ROWS_LARGE)
            large_py.append(timed(pyathena))

        m = statistics.median
        print(f"small query, end to end (median of {REPS_SMALL}):")
        print(f"  athq exec                      {m(small_athq):7.3f} s")
        print(f"  aws cli start/get/get-results  {m(small_cli):7.3f} s")
        print(f"  ratio athq / aws cli           {m(small_athq) / m(small_cli):7.3f}   (target <= 0.2)")
        print(f"{ROWS_LARGE:,}-row result, end to end (median of {REPS_LARGE}):")
        print(f"  athq exec --format csv         {m(large_athq):7.3f} s")
        print(f"  PyAthena cursor fetchall       {m(large_py):7.3f} s")
        print(f"  ratio athq / PyAthena          {m(large_athq) / m(large_py):7.3f}   (target <= 0.1)")
    finally:
        server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
