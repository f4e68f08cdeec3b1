"""core.gathering: what a process gathered reaches its destination at a normal exit, including a
batch the sending thread has under way."""

from __future__ import annotations

import threading
import time

from deltaunion.core.gathering import Gathered


class _Slow(Gathered):
    """Gathers numbers; a send takes a moment and records what arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[int] = []
        self.started = threading.Event()

    def seconds(self) -> float:
        return 3600  # no sending thread of its own here: the test sends

    def _empty(self) -> list[int]:
        return []

    def _add(self, item: int) -> None:
        self.items.append(item)

    def _send(self, batch: list[int]) -> None:
        self.started.set()
        time.sleep(0.3)
        self.sent.extend(batch)

    def _put_back(self, batch: list[int]) -> None:
        self.items[:0] = batch


def test_the_exit_waits_for_a_batch_under_way_and_sends_the_rest():
    g = _Slow()
    g.items = [1, 2]
    sender = threading.Thread(target=g.flush)  # as the sending thread: it takes the items
    sender.start()
    assert g.started.wait(2)
    assert g.items == []  # the batch is under way, nothing is left gathered
    g.at_exit()
    assert g.sent == [1, 2]  # the exit returned only once the batch was in
    sender.join()

    g.items = [3]
    g.at_exit()
    assert g.sent == [1, 2, 3]
    g.at_exit()  # nothing gathered, nothing under way: returns at once
    assert g.sent == [1, 2, 3]
