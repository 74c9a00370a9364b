#!/usr/bin/env python3
"""moto in server mode, extended for athq's tests.

Usage: athq_standin.py PORT   (serves on 127.0.0.1:PORT until its stdin closes)

moto 5.2 implements Athena, Glue and S3 well enough for athq, but not everything its tests need.
This launcher adds, on moto's own Athena backend and responses:

* Accounts by access key: an access key id of the form ATHQ<12 digits>TEST (moto reads only
  20-character keys) acts in that account, so a
  test that runs the athq binary is isolated by its credentials alone.
* GetQueryResults paging, as the API reference specifies: MaxResults (1..1000, default 1000) and an
  opaque NextToken; moto itself returns every row in one page.
* Scripted executions: POST /moto-api/athq/athena/executions with
    {"account_id", "region", "executions": [{"states": ["QUEUED", "RUNNING", "SUCCEEDED"],
      "reason": "...", "error_category": 2, "error_type": 1006, "data_scanned": 123,
      "engine_ms": 10, "queue_ms": 5, "reused": false, "throttle": 2}]}
  queues scripts for the next StartQueryExecution calls in that account and region (FIFO). Each
  GetQueryExecution of that execution returns the next state of the script (the last one repeats);
  StopQueryExecution moves it to CANCELLED for good. A FAILED state carries StateChangeReason and
  AthenaError (ErrorCategory, ErrorType, ErrorMessage); a CANCELLED one carries the script's
  "reason", if any, as StateChangeReason (as a cancellation by the work group's scan limit does). "throttle": N answers the first N
  GetQueryExecution calls with TooManyRequestsException (HTTP 400), as Athena does under load.
  "start_delay_ms": N answers StartQueryExecution N ms late (the query already exists and runs),
  and "results_delay_ms": N answers each GetQueryResults of it N ms late: a slow start call and a
  slow result download, for signals that arrive while athq waits on them.
  Executions without a script behave as in moto (SUCCEEDED at once).
* ListQueryExecutions as the API reference specifies: MaxResults (0-50, default 50), an opaque
  NextToken, newest first (moto lists every id, oldest first), and BatchGetQueryExecution
  (1-50 ids; each described as GetQueryExecution describes it, scripted statistics included;
  unknown ids in UnprocessedQueryExecutionIds with ErrorCode INVALID_INPUT), which moto lacks.
* ListNamedQueries paging: moto 5.2.1's paginator fails (HTTP 500) as soon as a work group holds
  more than one page; this implements MaxResults (1-50, default 50) and an opaque NextToken.
* Named queries: UpdateNamedQuery, DeleteNamedQuery and BatchGetNamedQuery, which moto lacks, as the
  Athena API reference specifies them (names 1-128 characters, descriptions up to 1024, query strings
  up to 262,144; 1-50 ids per BatchGetNamedQuery; unknown ids come back in UnprocessedNamedQueryIds
  with ErrorCode INVALID_INPUT; InvalidRequestException for an unknown id to update or delete).
  POST /moto-api/athq/athena/named-query-faults with {"account_id", "region", "unprocessed": N,
  "fail": {"CreateNamedQuery": K}} makes the next N ids asked of BatchGetNamedQuery come back
  unprocessed (INTERNAL_FAILURE, to be retried), and the next call of an operation fail after K
  more succeed (InvalidRequestException "injected failure"), to test retries and interrupted syncs.
"""
import json
import os
import re
import sys
import threading
import time

from moto import server
from moto.athena import models as athena_models
from moto.athena import responses as athena_responses
from moto.iam import models as iam_models
from moto.moto_api._internal import urls as api_urls

# --- accounts by access key -------------------------------------------------------------------
_ACCESS_KEY = re.compile(r"^ATHQ(\d{12})TEST$")
_original_account_from = iam_models.get_account_id_from


def _account_from(access_key):
    m = _ACCESS_KEY.match(access_key or "")
    return m.group(1) if m else _original_account_from(access_key)


iam_models.get_account_id_from = _account_from

# --- scripted executions ----------------------------------------------------------------------
_scripts = {}  # (account, region) -> [script, ...]
_lock = threading.Lock()


def _queue_scripts(request, full_url, headers):
    body = api_urls.response_instance._get_body(headers, request)
    key = (body.get("account_id", "123456789012"), body.get("region", "us-east-1"))
    with _lock:
        _scripts.setdefault(key, []).extend(body.get("executions", []))
    return 201, {}, ""


api_urls.url_paths["{0}/moto-api/athq/athena/executions$"] = _queue_scripts

_original_start = athena_models.AthenaBackend.start_query_execution


def _start(self, *args, **kwargs):
    exec_id = _original_start(self, *args, **kwargs)
    with _lock:
        queue = _scripts.get((self.account_id, self.region_name))
        script = queue.pop(0) if queue else None
    if script is not None:
        execution = self.executions[exec_id]
        execution.athq_script = dict(script)
        execution.athq_step = 0
        execution.athq_cancelled = False
        time.sleep(script.get("start_delay_ms", 0) / 1000)
    return exec_id


athena_models.AthenaBackend.start_query_execution = _start

_original_stop = athena_models.AthenaBackend.stop_query_execution


def _stop(self, exec_id):
    _original_stop(self, exec_id)
    execution = self.executions[exec_id]
    execution.athq_cancelled = True


athena_models.AthenaBackend.stop_query_execution = _stop

_original_get_execution = athena_responses.AthenaResponse.get_query_execution


def _throttled():
    body = json.dumps({"__type": "TooManyRequestsException", "Message": "Rate exceeded", "Reason": "CONCURRENT_QUERY_LIMIT_EXCEEDED"})
    return body, {"status": 400}


def _get_execution(self):
    exec_id = self._get_param("QueryExecutionId")
    execution = self.athena_backend.executions.get(exec_id)
    script = getattr(execution, "athq_script", None)
    if script is None:
        return _original_get_execution(self)
    if script.get("throttle", 0) > 0:
        script["throttle"] -= 1
        return _throttled()
    states = script.get("states") or ["SUCCEEDED"]
    if execution.athq_cancelled:
        state = "CANCELLED"
    else:
        state = states[min(execution.athq_step, len(states) - 1)]
        execution.athq_step += 1
    # moto's own state machine must agree, or GetQueryResults refuses to answer.
    execution.status = state
    result = json.loads(_original_get_execution(self))
    status = result["QueryExecution"]["Status"]
    status["State"] = state
    if state == "FAILED":
        status["StateChangeReason"] = script.get("reason", "FAILED")
        status["AthenaError"] = {
            "ErrorCategory": script.get("error_category", 2),
            "ErrorType": script.get("error_type", 1006),
            "Retryable": False,
            "ErrorMessage": script.get("reason", "FAILED"),
        }
    if state == "CANCELLED" and "reason" in script:
        status["StateChangeReason"] = script["reason"]
    if state in ("QUEUED", "RUNNING"):
        status.pop("CompletionDateTime", None)
    stats = result["QueryExecution"]["Statistics"]
    stats["DataScannedInBytes"] = script.get("data_scanned", 0)
    stats["EngineExecutionTimeInMillis"] = script.get("engine_ms", 0)
    stats["QueryQueueTimeInMillis"] = script.get("queue_ms", 0)
    stats["TotalExecutionTimeInMillis"] = script.get("engine_ms", 0) + script.get("queue_ms", 0)
    stats["ResultReuseInformation"] = {"ReusedPreviousResult": bool(script.get("reused", False))}
    return json.dumps(result)


athena_responses.AthenaResponse.get_query_execution = _get_execution

# --- execution history --------------------------------------------------------------------------
def _list_query_executions(self):
    workgroup = self._get_param("WorkGroup")
    max_results = int(self._get_param("MaxResults") or 50)
    if not 0 <= max_results <= 50:
        return _invalid(self, "MaxResults must be between 0 and 50")
    executions = self.athena_backend.list_query_executions(workgroup)
    ids = [e.id for e in sorted(executions.values(), key=lambda e: e.start_time, reverse=True)]
    start = int(self._get_param("NextToken") or 0)
    page = ids[start:start + (max_results or 50)]
    body = {"QueryExecutionIds": page}
    if start + len(page) < len(ids):
        body["NextToken"] = str(start + len(page))
    return json.dumps(body)


class _OneExecution:
    """Stands in for a request of GetQueryExecution for one id."""

    def __init__(self, response, exec_id):
        self.athena_backend = response.athena_backend
        self._id = exec_id

    def _get_param(self, name, default=None):
        return self._id if name == "QueryExecutionId" else default


def _batch_get_query_execution(self):
    ids = self._get_param("QueryExecutionIds") or []
    if not 1 <= len(ids) <= 50:
        return _invalid(self, "QueryExecutionIds must hold 1 to 50 ids")
    found, unprocessed = [], []
    for exec_id in ids:
        if exec_id not in self.athena_backend.executions:
            unprocessed.append({"QueryExecutionId": exec_id, "ErrorCode": "INVALID_INPUT",
                                "ErrorMessage": "QueryExecution " + exec_id + " was not found"})
            continue
        answer = _get_execution(_OneExecution(self, exec_id))
        if isinstance(answer, tuple):  # throttled: Athena would list it as unprocessed
            unprocessed.append({"QueryExecutionId": exec_id, "ErrorCode": "INTERNAL_FAILURE"})
            continue
        found.append(json.loads(answer)["QueryExecution"])
    return json.dumps({"QueryExecutions": found, "UnprocessedQueryExecutionIds": unprocessed})


athena_responses.AthenaResponse.list_query_executions = _list_query_executions
athena_responses.AthenaResponse.batch_get_query_execution = _batch_get_query_execution

# --- GetQueryResults paging -------------------------------------------------------------------
def _get_results(self):
    max_results = self._get_param("MaxResults") or 1000
    if not 1 <= int(max_results) <= 1000:
        return self.error("MaxResults must be between 1 and 1000", 400)
    token = self._get_param("NextToken")
    # Slice before serialising: a page costs its own rows, not the whole result.
    exec_id = self._get_param("QueryExecutionId")
    script = getattr(self.athena_backend.executions.get(exec_id), "athq_script", None) or {}
    time.sleep(script.get("results_delay_ms", 0) / 1000)
    results = self.athena_backend.get_query_results(exec_id)
    start = int(token) if token else 0
    end = start + int(max_results)
    out = {
        "ResultSet": {
            "Rows": results.rows[start:end],
            "ResultSetMetadata": {"ColumnInfo": results.column_info},
        },
        "UpdateCount": 0,
    }
    if end < len(results.rows):
        out["NextToken"] = str(end)
    return json.dumps(out)


athena_responses.AthenaResponse.get_query_results = _get_results


# --- named queries ------------------------------------------------------------------------------
_faults = {}  # (account, region) -> {"unprocessed": n, "fail": {operation: calls_left_before_failing}}


def _queue_faults(request, full_url, headers):
    body = api_urls.response_instance._get_body(headers, request)
    key = (body.get("account_id", "123456789012"), body.get("region", "us-east-1"))
    with _lock:
        f = _faults.setdefault(key, {"unprocessed": 0, "fail": {}})
        f["unprocessed"] += int(body.get("unprocessed", 0))
        f["fail"].update(body.get("fail", {}))
    return 201, {}, ""


api_urls.url_paths["{0}/moto-api/athq/athena/named-query-faults$"] = _queue_faults


def _injected_failure(self, operation):
    """True when this call of `operation` is the one set to fail."""
    with _lock:
        f = _faults.get((self.current_account, self.region), {}).get("fail", {})
        if operation not in f:
            return False
        if f[operation] > 0:
            f[operation] -= 1
            return False
        del f[operation]
        return True


def _invalid(self, message):
    return self.error(message, 400)


def _check_lengths(self, name, description, query_string):
    if name is not None and not 1 <= len(name) <= 128:
        return _invalid(self, "Name must be 1 to 128 characters")
    if description is not None and len(description) > 1024:
        return _invalid(self, "Description must be at most 1024 characters")
    if query_string is not None and not 1 <= len(query_string) <= 262144:
        return _invalid(self, "QueryString must be 1 to 262144 characters")
    return None


_original_create_named = athena_responses.AthenaResponse.create_named_query


def _create_named_query(self):
    if _injected_failure(self, "CreateNamedQuery"):
        return _invalid(self, "injected failure")
    bad = _check_lengths(self, self._get_param("Name"), self._get_param("Description"), self._get_param("QueryString"))
    return bad or _original_create_named(self)


def _update_named_query(self):
    if _injected_failure(self, "UpdateNamedQuery"):
        return _invalid(self, "injected failure")
    nq = self.athena_backend.named_queries.get(self._get_param("NamedQueryId") or "")
    if nq is None:
        return _invalid(self, "NamedQuery not found")
    name, description, query = self._get_param("Name"), self._get_param("Description"), self._get_param("QueryString")
    if name is None or query is None:
        return _invalid(self, "Name and QueryString are required")
    bad = _check_lengths(self, name, description, query)
    if bad:
        return bad
    nq.name, nq.query_string = name, query
    nq.description = description or ""
    return json.dumps({})


def _delete_named_query(self):
    if _injected_failure(self, "DeleteNamedQuery"):
        return _invalid(self, "injected failure")
    qid = self._get_param("NamedQueryId") or ""
    if qid not in self.athena_backend.named_queries:
        return _invalid(self, "NamedQuery not found")
    del self.athena_backend.named_queries[qid]
    return json.dumps({})


def _batch_get_named_query(self):
    ids = self._get_param("NamedQueryIds") or []
    if not 1 <= len(ids) <= 50:
        return _invalid(self, "NamedQueryIds must hold 1 to 50 ids")
    found, unprocessed = [], []
    for qid in ids:
        with _lock:
            f = _faults.get((self.current_account, self.region))
            throttled = f is not None and f["unprocessed"] > 0
            if throttled:
                f["unprocessed"] -= 1
        nq = self.athena_backend.named_queries.get(qid)
        if throttled and nq is not None:
            unprocessed.append({"NamedQueryId": qid, "ErrorCode": "INTERNAL_FAILURE", "ErrorMessage": "try again"})
        elif nq is None:
            unprocessed.append({"NamedQueryId": qid, "ErrorCode": "INVALID_INPUT", "ErrorMessage": "NamedQuery not found"})
        else:
            found.append({"Name": nq.name, "Description": nq.description, "Database": nq.database,
                          "QueryString": nq.query_string, "NamedQueryId": nq.id, "WorkGroup": nq.workgroup.name})
    return json.dumps({"NamedQueries": found, "UnprocessedNamedQueryIds": unprocessed})


def _list_named_queries(self):
    max_results = int(self._get_param("MaxResults") or 50)
    if not 1 <= max_results <= 50:
        return _invalid(self, "MaxResults must be between 1 and 50")
    work_group = self._get_param("WorkGroup") or "primary"
    if not self.athena_backend.get_work_group(work_group):
        return _invalid(self, "WorkGroup does not exist")
    ids = [q.id for q in self.athena_backend.named_queries.values() if q.workgroup.name == work_group]
    start = int(self._get_param("NextToken") or 0)
    out = {"NamedQueryIds": ids[start:start + max_results]}
    if start + max_results < len(ids):
        out["NextToken"] = str(start + max_results)
    return json.dumps(out)


athena_responses.AthenaResponse.list_named_queries = _list_named_queries
athena_responses.AthenaResponse.create_named_query = _create_named_query
athena_responses.AthenaResponse.update_named_query = _update_named_query
athena_responses.AthenaResponse.delete_named_query = _delete_named_query
athena_responses.AthenaResponse.batch_get_named_query = _batch_get_named_query


# --- prepared statements ------------------------------------------------------------------------
_STATEMENT_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_@:]{1,256}$")


def _not_found(message):
    return json.dumps({"__type": "ResourceNotFoundException", "Message": message}), {"status": 400}


def _statements(self):
    """This backend's prepared statements: {(work group, name): {...}}."""
    backend = self.athena_backend
    if not hasattr(backend, "athq_prepared"):
        backend.athq_prepared = {}
    return backend.athq_prepared


def _statement_request(self, operation):
    """The work group and name of a request, or an error answer."""
    if operation and _injected_failure(self, operation):
        return None, None, _invalid(self, "injected failure")
    work_group, name = self._get_param("WorkGroup"), self._get_param("StatementName")
    if not work_group or not self.athena_backend.get_work_group(work_group):
        return None, None, _invalid(self, f"WorkGroup {work_group} is not found")
    if not _STATEMENT_NAME.match(name or ""):
        return None, None, _invalid(self, "StatementName must match [a-zA-Z_][a-zA-Z0-9_@:]{1,256}")
    return work_group, name, None


def _statement_body(self):
    query, description = self._get_param("QueryStatement"), self._get_param("Description")
    if query is None or not 1 <= len(query) <= 262144:
        return None, _invalid(self, "QueryStatement must be 1 to 262144 characters")
    if description is not None and not 1 <= len(description) <= 1024:
        return None, _invalid(self, "Description must be 1 to 1024 characters")
    return {"QueryStatement": query, "Description": description}, None


def _statement_json(work_group, name, st):
    out = {"StatementName": name, "WorkGroupName": work_group, "QueryStatement": st["QueryStatement"],
           "LastModifiedTime": st["LastModifiedTime"]}
    if st["Description"] is not None:
        out["Description"] = st["Description"]
    return out


def _put_prepared_statement(self, operation, exists):
    """CreatePreparedStatement (exists=False) or UpdatePreparedStatement (exists=True)."""
    work_group, name, bad = _statement_request(self, operation)
    if bad:
        return bad
    body, bad = _statement_body(self)
    if bad:
        return bad
    with _lock:
        statements = _statements(self)
        if exists and (work_group, name) not in statements:
            return _not_found(f"Prepared statement {name} not found in WorkGroup {work_group}")
        if not exists and (work_group, name) in statements:
            return _invalid(self, f"Prepared statement {name} already exists in WorkGroup {work_group}")
        statements[(work_group, name)] = dict(body, LastModifiedTime=time.time())
    return json.dumps({})


def _create_prepared_statement(self):
    return _put_prepared_statement(self, "CreatePreparedStatement", exists=False)


def _update_prepared_statement(self):
    return _put_prepared_statement(self, "UpdatePreparedStatement", exists=True)


def _delete_prepared_statement(self):
    work_group, name, bad = _statement_request(self, "DeletePreparedStatement")
    if bad:
        return bad
    with _lock:
        if _statements(self).pop((work_group, name), None) is None:
            return _not_found(f"Prepared statement {name} not found in WorkGroup {work_group}")
    return json.dumps({})


def _get_prepared_statement(self):
    work_group, name, bad = _statement_request(self, None)
    if bad:
        return bad
    st = _statements(self).get((work_group, name))
    if st is None:
        return _not_found(f"Prepared statement {name} not found in WorkGroup {work_group}")
    return json.dumps({"PreparedStatement": _statement_json(work_group, name, st)})


def _list_prepared_statements(self):
    max_results = int(self._get_param("MaxResults") or 50)
    if not 1 <= max_results <= 50:
        return _invalid(self, "MaxResults must be between 1 and 50")
    work_group = self._get_param("WorkGroup")
    if not work_group or not self.athena_backend.get_work_group(work_group):
        return _invalid(self, f"WorkGroup {work_group} is not found")
    names = sorted(n for (wg, n) in _statements(self) if wg == work_group)
    start = int(self._get_param("NextToken") or 0)
    page = [{"StatementName": n, "LastModifiedTime": _statements(self)[(work_group, n)]["LastModifiedTime"]}
            for n in names[start:start + max_results]]
    out = {"PreparedStatements": page}
    if start + max_results < len(names):
        out["NextToken"] = str(start + max_results)
    return json.dumps(out)


def _batch_get_prepared_statement(self):
    work_group = self._get_param("WorkGroup")
    names = self._get_param("PreparedStatementNames") or []
    if not work_group or not self.athena_backend.get_work_group(work_group):
        return _invalid(self, f"WorkGroup {work_group} is not found")
    if not 1 <= len(names) <= 256:
        return _invalid(self, "PreparedStatementNames must hold 1 to 256 names")
    found, unprocessed = [], []
    for name in names:
        st = _statements(self).get((work_group, name))
        if not _STATEMENT_NAME.match(name):
            unprocessed.append({"StatementName": name, "ErrorCode": "INVALID_INPUT", "ErrorMessage": "INVALID_INPUT"})
        elif st is None:
            unprocessed.append({"StatementName": name, "ErrorCode": "STATEMENT_NOT_FOUND",
                                "ErrorMessage": "STATEMENT_NOT_FOUND"})
        else:
            found.append(_statement_json(work_group, name, st))
    return json.dumps({"PreparedStatements": found, "UnprocessedPreparedStatementNames": unprocessed})


athena_responses.AthenaResponse.create_prepared_statement = _create_prepared_statement
athena_responses.AthenaResponse.update_prepared_statement = _update_prepared_statement
athena_responses.AthenaResponse.delete_prepared_statement = _delete_prepared_statement
athena_responses.AthenaResponse.get_prepared_statement = _get_prepared_statement
athena_responses.AthenaResponse.list_prepared_statements = _list_prepared_statements
athena_responses.AthenaResponse.batch_get_prepared_statement = _batch_get_prepared_statement


def _exit_when_stdin_closes():
    # The test harness holds our stdin; when the test process ends, so do we.
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    port = sys.argv[1]
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    server.main(["-H", "127.0.0.1", "-p", port])
