"""Routes of /dashboard/."""

urlpatterns: list = []
