"""Routes of /waste/: collection schedules, special collections and transfer stations."""

urlpatterns: list = []
