"""The chaos run, short: a flaky network, killed workers and phones the clinic disconnects and
reconnects lose and double nothing."""

from .proxy import KINDS
from .simulation import Settings, run


def test_nothing_lost_or_doubled_under_faults_and_kills(database_url, tmp_path):
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    report = run(database_url, Settings(devices=20, events=1500), tmp_path, backend)
    print(report.text())
    assert not report.problems, report.text()
    # Not vacuous: every kind of fault happened, workers and the whole server were killed.
    assert all(report.faults[kind] > 0 for kind in KINDS), report.faults
    assert report.kills >= 3 and report.restarts == 1, report.text()
    # Two phones were disconnected and reconnected; what they held reached the server once.
    assert report.reconnects == 2 and report.kept > 0, report.text()
    assert report.events == 1500 and report.clients == 16
    assert report.lost == report.duplicated == report.unmade == report.altered == 0, report.text()
    assert report.diverged == 0, report.text()
