"""Calls with their round trips overlapped (acli/hosts/overlap.py): answers
in order, several in flight at once, the first failure raised."""

from __future__ import annotations

import threading

import pytest

from acli.hosts.overlap import overlapped


def test_answers_come_back_in_the_order_of_the_items():
    assert overlapped(lambda n: n * n, range(50), width=8) == [n * n for n in range(50)]
    assert overlapped(lambda n: n, [], width=8) == []


def test_width_calls_are_in_flight_at_once():
    """Four calls that each wait for the other three: done only if all four
    run at the same time (one at a time, the barrier times out)."""
    barrier = threading.Barrier(4, timeout=10)
    assert overlapped(lambda n: barrier.wait() is not None and n, range(4), width=4) == [0, 1, 2, 3]


def test_one_at_a_time_where_there_is_nothing_to_overlap():
    threads = set()
    overlapped(lambda n: threads.add(threading.get_ident()), range(20), width=1)
    assert threads == {threading.get_ident()}


def test_the_first_items_failure_is_raised_and_no_new_calls_start_after_it():
    started = []

    def call(n):
        started.append(n)
        if n in (3, 5):
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item 3"):
        overlapped(call, range(1000), width=2)
    assert len(started) < 1000
