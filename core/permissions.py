"""Role checks for views; object-level scoping lives in each app's selectors."""

from rest_framework.permissions import BasePermission


class IsSuperAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.user_type == "super_admin")


class IsWardAdminOrSuperAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.user_type in ("admin", "super_admin"))


class IsStaffMember(BasePermission):
    """Ward admins, service providers and super admins."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.user_type in ("admin", "super_admin", "service_provider")
        )


class IsCitizen(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.user_type == "citizen")
