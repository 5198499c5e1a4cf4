"""When the garbage collector runs in processes that serve requests.

A /works/ or search page makes ~20,000 short-lived objects, ~4,000 of them in reference
cycles (model instances and their prefetch caches), which only the cyclic collector
frees. With Python's default thresholds (700, 10, 10) the collector ran ~30 times inside
each request, and the garbage of many requests piled up in the middle generation until
one collection freed ~80,000 objects at once, stalling that request by 60-130 ms
(bench/discovery.py). So the youngest generation is collected only every 20,000
allocations, and each request's garbage is collected once its response has been sent,
while the worker waits for the next request instead of inside one. The catalogue index
is frozen out of the collector's sight (discovery/index/live.py).

config/wsgi.py applies this to web workers; bench/discovery.py applies the same to its
in-process searches, so they are timed as a web worker serves them.
"""

from __future__ import annotations

import gc


def tune() -> None:
    gc.set_threshold(20_000, 20, 100)


def collect_request_garbage(**kwargs: object) -> None:
    """Django's request_finished receiver: runs when the server closes the response."""
    gc.collect(1)
