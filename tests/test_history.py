"""The history checker on synthetic histories: one per anomaly, each caught, and a clean one passing."""

from __future__ import annotations

from harness.verdicts.history import History, check, of_writer
from harness.workloads.acks import AckLog


def _history(attempted: range | list[int], acked: list[int], read: list[int]) -> History:
    return History(frozenset(attempted), tuple(acked), tuple(read))


def test_a_clean_history_has_no_anomaly() -> None:
    verdict = check(_history(range(1, 6), [1, 2, 3, 4], [1, 2, 3, 4]), ordered=True)
    assert verdict.anomalies == {}
    assert verdict.summary() == "no anomaly (0 unacknowledged writes recovered)"


def test_an_acknowledged_id_not_read_is_lost() -> None:
    verdict = check(_history(range(1, 6), [1, 2, 3, 4], [1, 2, 4]))
    assert verdict.anomalies == {"lost": (3,)}


def test_an_id_never_attempted_is_unexpected() -> None:
    verdict = check(_history(range(1, 4), [1, 2, 3], [1, 2, 3, 99]))
    assert verdict.anomalies == {"unexpected": (99,)}


def test_an_id_read_twice_is_duplicated() -> None:
    verdict = check(_history(range(1, 4), [1, 2, 3], [1, 2, 2, 3]))
    assert verdict.anomalies == {"duplicated": (2,)}


def test_an_unacknowledged_write_read_is_recovered_and_fine() -> None:
    verdict = check(_history(range(1, 6), [1, 2, 3], [1, 2, 3, 4]))     # 4 was in flight at the cut
    assert verdict.anomalies == {} and verdict.recovered == (4,)


def test_an_id_read_after_a_later_acknowledged_one_is_reordered_where_order_matters() -> None:
    history = _history(range(1, 5), [1, 2, 3, 4], [1, 3, 2, 4])
    assert check(history, ordered=True).anomalies == {"reordered": (2,)}
    assert check(history).anomalies == {}                              # a table keeps no order


def test_every_anomaly_at_once_is_each_reported() -> None:
    verdict = check(_history(range(1, 8), [1, 2, 3, 4, 5], [1, 1, 3, 2, 5, 6, 42]), ordered=True)
    assert verdict.anomalies == {"lost": (4,), "unexpected": (42,), "duplicated": (1,), "reordered": (2,)}
    assert verdict.recovered == (6,)
    assert verdict.anomalies_besides("lost") == {"unexpected": (42,), "duplicated": (1,), "reordered": (2,)}
    assert verdict.summary().startswith("lost 1: 4; unexpected 1: 42; duplicated 1: 1; reordered 1: 2")


def _acks(numbers: list[int]) -> AckLog:
    log = AckLog()
    for n in numbers:
        log.add({"n": n, "t": float(n)})
    return log


def test_records_written_whose_acknowledgements_were_on_the_way_are_recovered_not_unexpected() -> None:
    # protocol A, seen on the lab: the peer held 17 records past the last acknowledgement the harness got
    read = list(range(1, 1425))
    verdict = check(of_writer(_acks(list(range(1, 1408))), read, acks_in_flight=True), ordered=True)
    assert verdict.anomalies == {} and verdict.recovered == tuple(range(1408, 1425))
    after_a_gap = check(of_writer(_acks([1, 2]), [1, 2, 3, 5], acks_in_flight=True), ordered=True)
    assert after_a_gap.anomalies == {"unexpected": (5,)}
    canary = check(of_writer(_acks([1, 2]), [1, 2, 3, 4]))        # one attempt in flight at most
    assert canary.anomalies == {"unexpected": (4,)} and canary.recovered == (3,)
