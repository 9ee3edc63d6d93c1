"""OpenAPI helpers: the schema documents the canonical /api/v1/ prefix only."""


def only_canonical_prefix(endpoints):
    """drf-spectacular preprocessing hook dropping the /api/ alias routes and the sandbox."""
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if path.startswith("/api/v1/") or path.startswith("/open311/")
    ]
