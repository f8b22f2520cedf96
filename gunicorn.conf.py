"""gunicorn settings, read automatically from the repository root (``make run``, tests, benchmarks).

Threaded workers (gthread): a long CSV export streams in one thread while the worker's main
loop keeps answering the arbiter's heartbeat, so ``timeout`` never kills a worker mid-export
(a sync worker would be killed after ``timeout`` seconds of streaming). Each thread keeps its
own SQLite connection (diary.db.get_db).
"""
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "4"))
timeout = 60           # a worker whose main loop is stuck this long is restarted
graceful_timeout = 30  # on restart or deploy, requests in flight get this long to finish
keepalive = 5

# Don't advertise the server or its version in every response ("Server: gunicorn/23.0.0" helps
# only an attacker matching known flaws). gunicorn has no setting for it; its Response reads this.
import gunicorn.http.wsgi  # noqa: E402

gunicorn.http.wsgi.SERVER = "diary"
