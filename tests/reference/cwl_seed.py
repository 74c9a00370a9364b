#!/usr/bin/env python3
"""Publishes flow-log files to CloudWatch Logs the way VPC Flow Logs does, for athq's tests.

Usage: cwl_seed.py GROUP ROOT [--drop FIELD] [--stamp-now]

Every record of the text files below ROOT (each file's header names its fields) becomes one event
in log group GROUP, in the stream `<interface-id>-all`, stamped with the record's `start` in
milliseconds, its message the record's fields in file order, without a header. With --drop FIELD,
that field is left out of every message (flow logs whose format lacks `interface-id`, say). With
--stamp-now, events are stamped with the current time instead (CloudWatch Logs refuses events
older than 14 days, and some tests' records are dated by a fixed clock).
The endpoint and credentials come from the environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, …).
"""
import argparse
import glob
import gzip
import sys
import time
from collections import defaultdict

import boto3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("group")
    ap.add_argument("root")
    ap.add_argument("--drop")
    ap.add_argument("--stamp-now", action="store_true")
    args = ap.parse_args()
    group, root, drop = args.group, args.root, args.drop
    now_ms = int(time.time() * 1000)
    streams = defaultdict(list)
    files = sorted(glob.glob(f"{root}/**/*.log.gz", recursive=True) + glob.glob(f"{root}/**/*.log", recursive=True))
    for path in files:
        with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as fh:
            header = fh.readline().split()
            for line in fh:
                parts = line.split()
                if len(parts) != len(header):
                    continue
                rec = dict(zip(header, parts))
                message = " ".join(v for k, v in zip(header, parts) if k != drop)
                start = int(rec["start"]) if rec.get("start", "-") != "-" else 0
                stamp = now_ms if args.stamp_now else start * 1000
                streams[f"{rec['interface-id']}-all"].append((stamp, message))
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=group)
    for stream, events in sorted(streams.items()):
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        events.sort(key=lambda e: e[0])
        for i in range(0, len(events), 5000):
            batch = [{"timestamp": t, "message": m} for t, m in events[i:i + 5000]]
            out = logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=batch)
            if out.get("rejectedLogEventsInfo"):
                sys.exit(f"{stream}: events rejected: {out['rejectedLogEventsInfo']}")
    print(sum(len(e) for e in streams.values()))


if __name__ == "__main__":
    main()
