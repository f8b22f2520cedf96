"""The yardstick for the write benchmark: the least a Flask endpoint can do to store a check-in.

One plain-SQL INSERT per request over a reused per-thread connection (WAL, synchronous=FULL),
no session, no CSRF, no validation. Served by gunicorn with the project's gunicorn.conf.py, like
the app (``gunicorn bench.reference:app``); bench/checkins.py reports the app's write path as a
share of this. Set REFERENCE_DATABASE to the file to write.
"""
import os
import sqlite3
import threading
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
_local = threading.local()


def connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = sqlite3.connect(os.environ["REFERENCE_DATABASE"], isolation_level=None, timeout=5)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS entries (id TEXT PRIMARY KEY, date TEXT, anxiety INTEGER, note TEXT)")
    return conn


@app.post("/insert")
def insert():
    data = request.get_json()
    entry_id = data.get("id") or str(uuid.uuid4())
    connection().execute("INSERT INTO entries (id, date, anxiety, note) VALUES (?, ?, ?, ?)",
                         [entry_id, data["date"], data["anxiety"], data.get("note", "")])
    return jsonify(id=entry_id), 201


@app.get("/ping")
def ping():
    return "ok"
