import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")
application = get_wsgi_application()

# Load the broker transport now rather than on the first request that queues a task
# (~0.7 s of imports that would otherwise land on some user's signup).
import kombu.transport.redis  # noqa: E402, F401
