"""The sandbox wired in: development and test settings only (test.py imports this; local.py does
while SANDBOX_ENABLED is on, as it is by default).

Production settings never import this module, so no production path can reach a simulator: the
app is not installed, its URLs are not routed, and no backend, transport, host or key names it.
"""

from django.utils.functional import lazy

from .base import (
    EXTRA_URLCONFS,
    INSTALLED_APPS,
    NAGAD_MERCHANT_PRIVATE_KEY,
    NAGAD_PUBLIC_KEY,
    PUSH_BACKENDS,
    SMS_BACKENDS,
    env,
)

SANDBOX_HOST = "sandbox.invalid"  # a reserved name that can never reach a network

SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "apps.sandbox"]
EXTRA_URLCONFS = [*EXTRA_URLCONFS, ("sandbox/", "apps.sandbox.urls")]
SMS_BACKENDS = {**SMS_BACKENDS, "sandbox": "apps.sandbox.backends.SandboxSmsBackend"}
PUSH_BACKENDS = {**PUSH_BACKENDS, "sandbox": "apps.sandbox.backends.SandboxPushBackend"}
# Provider base URLs on this reserved .invalid host are answered in-process by the simulators.
HTTP_TRANSPORTS = {SANDBOX_HOST: "apps.sandbox.transport.SandboxTransport"}
# The simulators' hosted payment pages are rendered by our own server (PAYMENT_PUBLIC_BASE_URL).
PAYMENT_SIMULATOR_HOSTS = [SANDBOX_HOST]


def _sandbox_key(name: str) -> str:
    # Imported on first use, not at settings import: the key store reads settings.VAR_DIR.
    from apps.sandbox.providers.nagad.keys import sandbox_keys

    return getattr(sandbox_keys(), name)


# The Nagad simulator's key pairs, generated at run time into var/sandbox (mode 0600, never
# committed); resolved on each use so a test's use_keys() is seen. Explicit settings win.
NAGAD_MERCHANT_PRIVATE_KEY = NAGAD_MERCHANT_PRIVATE_KEY or lazy(_sandbox_key, str)(
    "merchant_private"
)
NAGAD_PUBLIC_KEY = NAGAD_PUBLIC_KEY or lazy(_sandbox_key, str)("nagad_public")

# The SMS and push outboxes show every code sent; by default only this machine may read them.
SANDBOX_OUTBOX_PUBLIC = env.bool("SANDBOX_OUTBOX_PUBLIC", default=False)
