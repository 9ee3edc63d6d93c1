"""Pluggable backends chosen by a setting (SMS, push): one loader with one error message."""

from importlib import import_module

from django.core.exceptions import ImproperlyConfigured


def backend_load(registry: dict[str, str], name: str, *, setting: str):
    """Instantiate ``registry[name]`` (a dotted class path); unknown names fail loudly."""
    try:
        dotted = registry[name]
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"{setting}={name!r} is not one of {', '.join(sorted(registry))}."
        ) from exc
    module_name, class_name = dotted.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()
