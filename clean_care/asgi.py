"""ASGI entry point: HTTP through Django, WebSockets through Channels with JWT authentication."""

import gc
import os

from core.handlers import get_asgi_application

# Servers and workers are production unless told otherwise; manage.py (and so `make run`, whose
# child processes inherit its environment) sets clean_care.settings.local.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clean_care.settings.production")

# Build the Django app before importing anything that touches models (consumers, middleware);
# the handler runs the middleware chain in the request's thread, entered once (core/handlers.py).
django_asgi_app = get_asgi_application()

from core.rls import use_app_role  # noqa: E402

use_app_role()  # row-level security: this process's connections act as DATABASE_APP_ROLE

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from clean_care.routing import websocket_urlpatterns  # noqa: E402
from core.websocket import JWTAuthMiddleware, OriginValidator  # noqa: E402

# The garbage collector's full passes stop the whole process while they scan every object; with
# 2,000 sockets open that is a pause of a few hundred milliseconds that every frame in flight
# waits out (make bench-ws measured it). So: what is loaded so far (Django, the routes, every
# module) lives as long as the process and is taken out of those passes for good, and the young
# generation is collected less often, so the many objects a frame creates die by reference
# counting before they can be promoted and count towards a full pass.
gc.freeze()
gc.set_threshold(50_000, 20, 100)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(JWTAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
