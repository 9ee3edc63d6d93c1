"""Gallery limits (dependency-free, shared by models, services and serializers)."""

TITLE_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 2000
SLUG_MAX_CHARS = 50
PHOTO_LONG_SIDE = 1920
THUMBNAIL_LONG_SIDE = 480  # a grid tile: sharp on a phone's two-column grid
