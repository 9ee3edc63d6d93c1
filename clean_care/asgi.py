"""ASGI entry point: HTTP through Django, WebSockets through Channels with JWT authentication."""

import gc
import os

from django.core.asgi import get_asgi_application

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")

# Build the Django app before importing anything that touches models (consumers, middleware).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from clean_care.routing import websocket_urlpatterns  # noqa: E402
from core.websocket import JWTAuthMiddleware, OriginValidator  # noqa: E402

# Everything loaded so far (Django, the URL and socket routes, every module) lives as long as
# the process: keep it out of the garbage collector's full passes, which otherwise scan it all
# again and again while thousands of sockets are open (pauses the staff feed's fan-out felt).
gc.freeze()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(JWTAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
