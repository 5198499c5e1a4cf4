import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

from fanarchive.core import gc_policy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Web workers only: the collector runs rarely inside a request, and collects each
# request's garbage after its response (see fanarchive/core/gc_policy.py).
gc_policy.tune()
request_finished.connect(
    gc_policy.collect_request_garbage, dispatch_uid="fanarchive.gc_after_response"
)
