"""What a process gathers for a moment and sends to Redis in one round trip from a thread of its
own: the counters' bumps (core.counters) and the boards' offers of a best (core.leaderboards).

A subclass says how items merge (`_add`), how a batch is sent (`_send`) and how a failed batch
goes back (`_put_back`). `flush()` sends everything gathered so far and, if the thread has a batch
under way, waits for it: after it returns, everything this process gathered is in Redis. A forked
child drops what its parent gathered (the parent sends it) and starts its own thread.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any


class Gathered:
    thread_name = "gathered"

    def __init__(self) -> None:
        self.forked()

    def seconds(self) -> float:
        raise NotImplementedError

    def _empty(self) -> Any:
        raise NotImplementedError

    def _add(self, item: Any) -> None:
        """Merge `item` into `self.items` (under the lock)."""
        raise NotImplementedError

    def _send(self, batch: Any) -> None:
        raise NotImplementedError

    def _put_back(self, batch: Any) -> None:
        """Merge a batch that failed to send back into `self.items` (under the lock)."""
        raise NotImplementedError

    def add(self, item: Any) -> None:
        with self.lock:
            self._add(item)
            if self.pid != os.getpid():
                self.pid = os.getpid()
                threading.Thread(target=self._run, name=self.thread_name, daemon=True).start()

    def forked(self) -> None:
        """A fresh start (in a forked child: the parent's items are the parent's to send)."""
        self.lock = threading.Lock()
        self.sending = threading.Lock()  # a flush waits for one under way: then all is in Redis
        self.items = self._empty()
        self.pid = 0  # the process whose thread sends them

    def under_way(self) -> bool:
        return bool(self.items) or self.sending.locked()

    def flush(self) -> None:
        """Send everything gathered so far in one round trip; on failure it waits for the next."""
        with self.sending:
            with self.lock:
                batch, self.items = self.items, self._empty()
            if not batch:
                return
            try:
                self._send(batch)
            except Exception:
                with self.lock:
                    self._put_back(batch)
                raise

    def _run(self) -> None:
        pid = os.getpid()
        while self.pid == pid:
            time.sleep(self.seconds())
            try:
                self.flush()
            except Exception:  # Redis away: kept, tried again at the next pass
                pass

    def at_exit(self) -> None:
        """Send what is left, and wait for a batch the thread has under way. At exit the
        interpreter stops daemon threads wherever they are; when this looked at `items` alone, a
        batch the thread had taken but not yet written to Redis could be lost (the likely cause
        of six people's last offers missing from a board after one benchmark run)."""
        if self.under_way():
            self.flush()

    def register(self) -> None:
        """Drop the parent's items in a forked child; send what is left at a normal exit."""
        import atexit

        os.register_at_fork(after_in_child=self.forked)
        atexit.register(self.at_exit)
