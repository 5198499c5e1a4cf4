import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Web workers only. A /works/ page makes ~20,000 short-lived objects, ~4,000 of them in
# reference cycles (model instances and their prefetch caches), which only the cyclic
# collector frees. With Python's default thresholds (700, 10, 10) the collector ran ~30
# times inside each request, and the garbage of many requests piled up in the middle
# generation until one collection freed ~80,000 objects at once, stalling that request
# by 60-130 ms (bench/discovery.py). So the youngest generation is collected only
# every 20,000 allocations, and each request's garbage is collected once its response
# has been sent (Django's request_finished runs when the server closes the response),
# while the worker waits for the next request instead of inside one. (The catalogue
# index is frozen out of the collector's sight, see discovery/index/live.py.)
gc.set_threshold(20_000, 20, 100)


def _collect_after_response(**kwargs: object) -> None:
    gc.collect(1)


request_finished.connect(_collect_after_response, dispatch_uid="fanarchive.gc_after_response")
