"""No acknowledged check-in is ever lost: gunicorn (the project's gunicorn.conf.py, 2 workers of 4
threads) is killed with SIGKILL at random moments while several clients write check-ins with
their own ids, then restarted on the same file. Every id that got a 2xx is there exactly once,
with what was sent, and the file passes PRAGMA integrity_check.

20 cycles here; ``.venv/bin/python -m bench.crash --cycles 200`` runs the long version (same code).
"""
import pytest

from bench.crash import check, run_cycles


@pytest.mark.crash
def test_sigkill_mid_write_loses_no_acknowledged_check_in(tmp_path):
    acknowledged, sent, path = run_cycles(tmp_path, cycles=20)
    assert len(acknowledged) > 20  # writes really happened between the kills
    assert check(acknowledged, sent, path) == len(acknowledged)
