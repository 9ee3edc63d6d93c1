"""Django's ASGI handler with the middleware chain run synchronously, in one thread per request.

Django's own ASGI handler always builds an asynchronous chain around an asynchronous core. With
the project's middleware (sync-only ones of its own, Django's adaptable ones, sync views) that
chain crossed between the event loop and the request's thread about six times a request: into
the sync middleware, back out for the adaptable middleware innermost, in again for each of their
``process_request``/``process_response`` hooks, and once more for the view. Each crossing costs
a task, a future and a context copy; together they were about a third of a trivial request's CPU.

Every middleware and view here is synchronous, so this handler builds the synchronous chain (as
WSGI does) and enters it once: the event loop reads the request and writes the response,
everything between runs in the request's thread (asgiref's thread-sensitive context, the thread
Django would have used for the view). An asynchronous view would still be served, through
Django's own adapter, at the cost of crossings again; there is none today.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGIHandler whose middleware chain is the synchronous one, entered once."""

    def load_middleware(self, is_async=False):
        # Django's ASGIHandler asks for the asynchronous chain; this one is always synchronous.
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


def get_asgi_application() -> SyncChainASGIHandler:
    """``django.core.asgi.get_asgi_application`` with this handler."""
    import django

    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
