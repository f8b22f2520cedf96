"""What the real server (gunicorn, as `make run` starts it) says about itself."""
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def test_the_server_does_not_advertise_itself(live_server):
    with urllib.request.urlopen(live_server + "/login") as response:
        server = response.headers.get("Server", "")
    assert "gunicorn" not in server.lower() and "python" not in server.lower() and not any(c.isdigit() for c in server)
