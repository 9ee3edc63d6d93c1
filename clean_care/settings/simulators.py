"""The sandbox wired in: development and test settings only (test.py imports this; local.py does
while SANDBOX_ENABLED is on, as it is by default).

Production settings never import this module, so no production path can reach a simulator: the
app is not installed, its URLs are not routed, and no backend or transport names it.
"""

from .base import INSTALLED_APPS, PUSH_BACKENDS, SMS_BACKENDS, env

SANDBOX_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "apps.sandbox"]
SMS_BACKENDS = {**SMS_BACKENDS, "sandbox": "apps.sandbox.backends.SandboxSmsBackend"}
PUSH_BACKENDS = {**PUSH_BACKENDS, "sandbox": "apps.sandbox.backends.SandboxPushBackend"}
# Provider base URLs on this reserved .invalid host are answered in-process by the simulators.
HTTP_TRANSPORTS = {"sandbox.invalid": "apps.sandbox.transport.SandboxTransport"}
# The SMS and push outboxes show every code sent; by default only this machine may read them.
SANDBOX_OUTBOX_PUBLIC = env.bool("SANDBOX_OUTBOX_PUBLIC", default=False)
