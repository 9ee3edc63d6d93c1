"""Django admin for Open311: issue, rotate and revoke API keys; read what clients filed."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.users.admin_audit import AuditedAdmin

from .models import Open311ApiKey, Open311Request
from .services import open311_api_key_create, open311_api_key_revoke, open311_api_key_rotate


def _show_once(request, issued) -> None:
    messages.warning(
        request,
        gettext(
            "API key for “%(name)s”: %(secret)s — copy it now and hand it to the client; "
            "it is stored hashed and will never be shown again."
        )
        % {"name": issued.api_key.name, "secret": issued.secret},
    )


@admin.register(Open311ApiKey)
class Open311ApiKeyAdmin(AuditedAdmin):
    """Adding a key needs only the client's name; the secret is shown once, in a message."""

    list_display = ("name", "key_prefix", "is_active", "created_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "key_prefix")
    # The name is also the integration account's name: set once, when the key is issued.
    fields = ("name", "key_prefix", "owner", "is_active", "created_at", "last_used_at")
    readonly_fields = ("key_prefix", "owner", "is_active", "created_at", "last_used_at")
    actions = ("rotate_keys", "revoke_keys")

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ("name",)

    def has_change_permission(self, request, obj=None):
        return False  # a key is never edited: it is rotated or revoked (the actions below)

    def save_model(self, request, obj, form, change):
        issued = open311_api_key_create(name=obj.name, actor=request.user, request=request)
        obj.pk = issued.api_key.pk
        obj._state.adding = False
        obj.refresh_from_db()
        _show_once(request, issued)

    def has_delete_permission(self, request, obj=None):
        return False  # requests filed with a key keep pointing at it; revoke instead

    @admin.action(description=_("Revoke selected keys (they stop working at once)"))
    def revoke_keys(self, request, queryset):
        revoked = sum(
            open311_api_key_revoke(api_key=key, actor=request.user, request=request)
            for key in queryset
        )
        self.message_user(
            request, gettext("%(count)d key(s) revoked.") % {"count": revoked}, messages.SUCCESS
        )

    @admin.action(description=_("Issue a new secret for selected keys (the old one stops working)"))
    def rotate_keys(self, request, queryset):
        for key in queryset.filter(is_active=True):
            _show_once(
                request, open311_api_key_rotate(api_key=key, actor=request.user, request=request)
            )


@admin.register(Open311Request)
class Open311RequestAdmin(AuditedAdmin):
    """Read-only: who a client said the reporter was, for staff who need to reach them."""

    list_display = ("complaint", "api_key", "first_name", "last_name", "created_at")
    list_filter = ("api_key",)
    search_fields = ("complaint__tracking_number", "email", "phone", "last_name")
    list_select_related = ("complaint", "api_key")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
