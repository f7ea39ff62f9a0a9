"""The short load run of ``make test``: a real ``reportqa serve``, 10 clients asking for 5 s through
/api/ask and the stream, with malformed and oversized requests mixed in: zero errors
(the full run is ``make load``, see docs/reliability.md)."""

from __future__ import annotations

from evals.load import request, run_clients, start_server, summary


def test_ten_clients_for_five_seconds_get_no_errors(bundled_index_dir, tmp_path):
    server = start_server(bundled_index_dir, tmp_path / "server")
    try:
        result = summary(run_clients(server.port, clients=10, seconds=5.0))
        _, headers, _ = request(server.port, "GET", "/api/health")
    finally:
        server.stop()
    assert result["errors"] == 0, result["first_errors"]
    assert result["requests"] >= 10 and result["abuse_requests"] >= 5
    assert "server" not in headers  # no banner naming the server software
    assert headers["x-content-type-options"] == "nosniff"
