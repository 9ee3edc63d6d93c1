"""File storages by purpose: private files are kept where no URL serves them."""

from django.core.files.storage import storages


def private_storage():
    """Reports and chat attachments: handed out only by views that check who asks."""
    return storages["private"]
