import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
application = get_wsgi_application()

# The URL map is loaded at the first request otherwise: it imports every view module, with their
# forms and helpers, and builds the reverse tables (about 54,000 objects that live as long as the
# worker). Loaded here, they are frozen with the rest below.
reverse("healthz")

# Everything loaded at start-up (Django, the apps, the URL map) lives as long as the worker: moved
# out of the collector's reach, a full collection no longer walks it inside a large page (~110 ms
# at province scale, docs/benchmarks.md).
gc.collect()
gc.freeze()
