"""bench/api.py reads wrk's output through bench/wrk.lua's summary line."""

import pytest

from bench.api import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8151/api/v1/me
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.51ms    1.20ms  30.02ms   90.00%
    Req/Sec     0.89k    50.00     1.00k    70.00%
  17800 requests in 10.00s, 9.10MB read
{non_2xx}Requests/sec:   1779.93
Transfer/sec:      0.91MB
BENCH_SUMMARY {{"requests": 17800, "duration_us": 10000500, "p50_us": 4210, "p99_us": 12875, \
"status_errors": {status_errors}, "socket_errors": 2}}
"""


def test_summary_line_gives_rate_latencies_and_errors():
    result = parse_wrk(WRK_OUTPUT.format(non_2xx="", status_errors=0))

    assert result.requests == 17800
    assert result.seconds == pytest.approx(10.0005)
    assert result.rps == pytest.approx(17800 / 10.0005)
    assert result.p50_ms == pytest.approx(4.21)
    assert result.p99_ms == pytest.approx(12.875)
    assert result.non_2xx == 0
    assert result.socket_errors == 2


def test_wrks_own_non_2xx_line_counts_redirects_the_summary_does_not():
    # wrk's status errors are answers >= 400; its "Non-2xx or 3xx" line also counts redirects
    # (an https redirect is no answer for the benchmark either).
    result = parse_wrk(
        WRK_OUTPUT.format(non_2xx="  Non-2xx or 3xx responses: 31\n", status_errors=4)
    )

    assert result.non_2xx == 31


def test_status_errors_count_when_wrk_prints_no_non_2xx_line():
    assert parse_wrk(WRK_OUTPUT.format(non_2xx="", status_errors=7)).non_2xx == 7


def test_output_without_the_summary_line_is_refused():
    with pytest.raises(ValueError, match="BENCH_SUMMARY"):
        parse_wrk("Running 10s test @ http://127.0.0.1:8151/\nRequests/sec: 10.00\n")
