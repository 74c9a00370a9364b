#!/usr/bin/env python3
"""Independent check of athq's SQL with sqlglot's Athena dialect.

Reads a JSON list of {"name", "kind", "sql"} on stdin and prints a JSON list of problems
(empty when every statement is what its kind says). Kinds:
  select       a query: must parse to one Select/set-operation, with no Command fallback
  create       must parse to one CREATE TABLE expression
  ctas         CREATE TABLE … WITH (…) AS SELECT …: one CREATE TABLE whose body is a query
  insert       INSERT INTO … SELECT …: one INSERT whose body is a query
  alter_drop   must parse to one ALTER TABLE … DROP PARTITION expression
  alter_add    ALTER TABLE … ADD IF NOT EXISTS PARTITION (…) LOCATION '…' …: sqlglot has no grammar
               for LOCATION, so the statement is checked token by token with sqlglot's tokenizer
  msck         MSCK REPAIR TABLE <table>, checked token by token likewise
sqlglot falls back to a generic Command for syntax it does not understand, so a statement that
parses "fine" as a Command is a failure here.
"""
import json
import logging
import sys

import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

DIALECT = "athena"


def parse_one(sql):
    trees = [t for t in sqlglot.parse(sql, read=DIALECT) if t is not None]
    if len(trees) != 1:
        raise ValueError(f"expected one statement, got {len(trees)}")
    tree = trees[0]
    if any(isinstance(node, exp.Command) for node in tree.walk()):
        raise ValueError("sqlglot fell back to a generic Command: syntax it does not understand")
    return tree


class Tokens:
    def __init__(self, sql, dialect=DIALECT):
        toks = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
        self.toks = [t for t in toks if t.token_type != TokenType.HIVE_TOKEN_STREAM]
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def word(self, text):
        t = self.peek()
        if t is None or t.text.upper() != text:
            raise ValueError(f"expected {text} at token {self.i}, got {t.text if t else 'end'}")
        self.i += 1

    def kind(self, *types):
        t = self.peek()
        if t is None or t.token_type not in types:
            raise ValueError(f"expected {types} at token {self.i}, got {t!r}")
        self.i += 1
        return t

    def table(self):
        self.kind(TokenType.IDENTIFIER, TokenType.VAR)
        if self.peek() is not None and self.peek().token_type == TokenType.DOT:
            self.i += 1
            self.kind(TokenType.IDENTIFIER, TokenType.VAR)

    def end(self):
        if self.peek() is not None and self.peek().token_type == TokenType.SEMICOLON:
            self.i += 1
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek().text!r} after the statement")


def check_alter_add(sql):
    t = Tokens(sql)
    t.word("ALTER"), t.word("TABLE"), t.table(), t.word("ADD"), t.word("IF"), t.word("NOT"), t.word("EXISTS")
    count = 0
    while t.peek() is not None and t.peek().text.upper() == "PARTITION":
        t.word("PARTITION")
        t.kind(TokenType.L_PAREN)
        while True:
            t.kind(TokenType.IDENTIFIER, TokenType.VAR)
            t.kind(TokenType.EQ)
            t.kind(TokenType.STRING)
            if t.peek() is not None and t.peek().token_type == TokenType.COMMA:
                t.i += 1
                continue
            break
        t.kind(TokenType.R_PAREN)
        t.word("LOCATION")
        t.kind(TokenType.STRING)
        count += 1
    t.end()
    if count == 0:
        raise ValueError("no PARTITION clause")
    return count


def check_msck(sql):
    t = Tokens(sql)
    # sqlglot's Hive tokenizer reads "MSCK REPAIR" as a command token and the rest as its text:
    # tokenize that rest again, as the Hive DDL the Athena dialect routes MSCK to.
    first = t.peek()
    if first is None or " ".join(first.text.upper().split()) != "MSCK REPAIR":
        raise ValueError("expected MSCK REPAIR")
    t = Tokens(sql[first.end + 1:], "hive")
    t.word("TABLE"), t.table(), t.end()


def check(item):
    kind, sql = item["kind"], item["sql"]
    if kind == "select":
        tree = parse_one(sql)
        if not isinstance(tree, (exp.Select, exp.SetOperation)):
            raise ValueError(f"parsed as {type(tree).__name__}, not a SELECT")
    elif kind == "create":
        tree = parse_one(sql)
        if not isinstance(tree, exp.Create) or tree.args.get("kind") != "TABLE":
            raise ValueError(f"parsed as {type(tree).__name__}, not CREATE TABLE")
        cols = [c for c in tree.this.expressions if isinstance(c, exp.ColumnDef)]
        if len(cols) != item.get("columns", len(cols)):
            raise ValueError(f"{len(cols)} columns, expected {item['columns']}")
        if "column_types" in item:
            # [name, type] pairs as Hive writes them; compared without case or spaces.
            squash = lambda s: "".join(s.split()).lower()
            got = [[c.name.lower(), squash(c.args["kind"].sql(dialect="hive"))] for c in cols]
            want = [[n.lower(), squash(t)] for n, t in item["column_types"]]
            if got != want:
                diff = [(g, w) for g, w in zip(got, want) if g != w][:3]
                raise ValueError(f"columns differ ({len(got)} vs {len(want)}): {diff}")
    elif kind == "ctas":
        tree = parse_one(sql)
        if not isinstance(tree, exp.Create) or tree.args.get("kind") != "TABLE":
            raise ValueError(f"parsed as {type(tree).__name__}, not CREATE TABLE")
        if not isinstance(tree.expression, (exp.Select, exp.SetOperation)):
            raise ValueError("CREATE TABLE without AS SELECT")
    elif kind == "insert":
        tree = parse_one(sql)
        if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, (exp.Select, exp.SetOperation)):
            raise ValueError(f"parsed as {type(tree).__name__}, not INSERT INTO … SELECT")
    elif kind == "alter_drop":
        tree = parse_one(sql)
        if not isinstance(tree, exp.Alter):
            raise ValueError(f"parsed as {type(tree).__name__}, not ALTER TABLE")
    elif kind == "alter_add":
        n = check_alter_add(sql)
        if "partitions" in item and n != item["partitions"]:
            raise ValueError(f"{n} partitions, expected {item['partitions']}")
    elif kind == "msck":
        check_msck(sql)
    else:
        raise ValueError(f"unknown kind {kind}")


def main():
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    problems = []
    for item in json.load(sys.stdin):
        try:
            check(item)
        except Exception as e:  # every failure is reported, none stops the run
            problems.append({"name": item["name"], "error": f"{type(e).__name__}: {e}"})
    json.dump(problems, sys.stdout)


if __name__ == "__main__":
    main()
