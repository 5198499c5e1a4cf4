import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Web workers only. A /works/ page makes ~20,000 short-lived objects; with Python's
# default thresholds (700, 10, 10) the collector runs ~30 times inside each request
# and promotes whatever is still alive to the oldest generation, whose collection
# then stalls about one request in 25 for 40-90 ms (bench/discovery.py). Collecting
# the youngest generation every 20,000 allocations leaves a request's objects to
# reference counting and the rare cycles to a cheap young collection. (The catalogue
# index is frozen out of the collector's sight, see discovery/index/live.py.)
gc.set_threshold(20_000, 20, 100)
