import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
application = get_wsgi_application()

# Everything loaded at start-up (Django, the apps, the URL map) lives as long as the worker: moved
# out of the collector's reach, a full collection no longer walks it inside a large page (~110 ms
# at province scale, docs/benchmarks.md).
gc.collect()
gc.freeze()
