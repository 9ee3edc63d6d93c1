"""People and their standing: users, the wards they live in, staff permissions and the audit log."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.validators import validate_nid


class UserType(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ADMIN = "admin", _("Ward admin")
    SUPER_ADMIN = "super_admin", _("Super admin")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class Language(models.TextChoices):
    BENGALI = "bn", _("Bengali")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    """Creates users keyed by E.164 phone; phones are normalised by the services before this."""

    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra):
        if not phone:
            raise ValueError("A phone number is required.")
        email = extra.pop("email", None)
        user = self.model(phone=phone, email=self.normalize_email(email) or None, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("user_type", UserType.SUPER_ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_verified", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(_("phone"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # Unique ignoring case (constraint below): Rahim@x.com and rahim@x.com are one address.
    email = models.EmailField(_("email"), max_length=255, null=True, blank=True)
    nid = models.CharField(
        _("NID"), max_length=20, null=True, blank=True, validators=[validate_nid]
    )
    address = models.TextField(_("address"), null=True, blank=True)
    ward_number = models.CharField(_("ward number"), max_length=10, null=True, blank=True)
    profile_picture = models.ImageField(
        _("profile picture"), upload_to="avatars/%Y/%m/", max_length=500, null=True, blank=True
    )
    user_type = models.CharField(
        _("user type"), max_length=20, choices=UserType.choices, default=UserType.CITIZEN
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.BENGALI
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    is_staff = models.BooleanField(_("can use Django admin"), default=False)
    # When every web session (console, admin) was last ended: sign-out everywhere, password
    # change, deactivation. It is part of the session hash, so older sessions stop counting and
    # stay dead even after the account is reactivated.
    sessions_ended_at = models.DateTimeField(
        _("web sessions ended at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        db_table = "users"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            models.Index(fields=["ward_number"], name="idx_users_ward"),
            models.Index(fields=["user_type"], name="idx_users_type"),
            models.Index(fields=["-created_at"], name="idx_users_created_at"),
            models.Index(Lower("name"), name="idx_users_name_lower"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user_type__in=UserType.values), name="users_user_type_valid"
            ),
            models.UniqueConstraint(Lower("email"), name="users_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.phone})"

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (of the password), also covering ``sessions_ended_at``."""
        if self.sessions_ended_at is None:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "apps.users.models.User.get_session_auth_hash"
        value = f"{self.password}|{self.sessions_ended_at.isoformat()}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Ward(models.Model):
    """Reference table of a city corporation's wards; seeded with Dhaka South's 75."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    city_corporation = models.CharField(_("city corporation"), max_length=20, default="DSCC")
    number = models.CharField(_("ward number"), max_length=10)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_bn = models.CharField(_("name (Bengali)"), max_length=200)
    zone = models.PositiveSmallIntegerField(_("zone"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=10, decimal_places=8, null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)

    class Meta:
        db_table = "wards"
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["city_corporation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["city_corporation", "number"], name="wards_unique_number_per_city"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_corporation} {self.number}: {self.name_en}"


class AdminPermission(models.Model):
    """What a staff member may do, on which resource, in which wards (seed 002)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    admin = models.ForeignKey(
        "users.User", on_delete=models.CASCADE, related_name="admin_permissions"
    )
    permission_type = models.CharField(_("permission type"), max_length=50)
    resource_type = models.CharField(_("resource type"), max_length=50, null=True, blank=True)
    ward_numbers = models.JSONField(_("ward numbers"), default=list, blank=True)
    can_create = models.BooleanField(default=False)
    can_read = models.BooleanField(default=True)
    can_update = models.BooleanField(default=False)
    can_delete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "admin_permissions"
        verbose_name = _("admin permission")
        verbose_name_plural = _("admin permissions")
        indexes = [models.Index(fields=["permission_type"], name="idx_admin_permissions_type")]

    def __str__(self) -> str:
        return f"{self.admin_id} {self.permission_type} {self.ward_numbers}"


class ActivityAction(models.TextChoices):
    REGISTER = "auth.register", _("Registered")
    OTP_SENT = "auth.otp_sent", _("OTP sent")
    OTP_VERIFIED = "auth.otp_verified", _("OTP verified")
    OTP_FAILED = "auth.otp_failed", _("Wrong OTP entered")
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    LOGOUT = "auth.logout", _("Signed out")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET = "auth.password_reset", _("Password reset")
    PROFILE_UPDATED = "users.profile_updated", _("Profile updated")
    USER_UPDATED = "users.updated", _("User updated by staff")
    USER_DEACTIVATED = "users.deactivated", _("User deactivated")
    STAFF_CREATED = "users.staff_created", _("Staff account created")
    PERMISSIONS_CHANGED = "users.permissions_changed", _("Staff permissions changed")
    COMPLAINT_UPDATED = "complaints.updated", _("Complaint edited")
    COMPLAINT_DELETED = "complaints.deleted", _("Complaint deleted")
    COMPLAINT_STATUS_CHANGED = "complaints.status_changed", _("Complaint status changed")
    COMPLAINT_ASSIGNED = "complaints.assigned", _("Complaint assigned")
    CHAT_ASSIGNED = "chat.assigned", _("Conversation handed on")
    CHAT_CLOSED = "chat.closed", _("Conversation closed")
    EMERGENCY_ASSIGNED = "emergency.assigned", _("Emergency assigned")
    EMERGENCY_STATUS_CHANGED = "emergency.status_changed", _("Emergency status changed")
    NOTICE_CREATED = "notices.created", _("Notice created")
    NOTICE_UPDATED = "notices.updated", _("Notice edited")
    NOTICE_WITHDRAWN = "notices.withdrawn", _("Notice withdrawn")
    OPEN311_KEY_CREATED = "open311.key_created", _("Open311 key created")
    OPEN311_KEY_ROTATED = "open311.key_rotated", _("Open311 key rotated")
    OPEN311_KEY_REVOKED = "open311.key_revoked", _("Open311 key revoked")
    PAYMENT_VERIFIED = "payments.verified", _("Payment checked with the provider")
    REFUND_APPROVED = "payments.refund_approved", _("Refund approved")
    REFUND_REJECTED = "payments.refund_rejected", _("Refund rejected")
    REPORT_REQUESTED = "dashboard.report_requested", _("Report requested")
    DONATION_PROJECT_CREATED = "donations.project_created", _("Donation project created")
    DONATION_PROJECT_UPDATED = "donations.project_updated", _("Donation project edited")
    DONATION_PROJECT_CLOSED = "donations.project_closed", _("Donation project closed")
    WASTE_SCHEDULE_CREATED = "waste.schedule_created", _("Collection schedule added")
    WASTE_SCHEDULE_UPDATED = "waste.schedule_updated", _("Collection schedule changed")
    WASTE_SCHEDULE_DELETED = "waste.schedule_deleted", _("Collection schedule removed")
    SPECIAL_COLLECTION_UPDATED = "waste.special_request_updated", _("Special collection updated")
    STATION_CREATED = "waste.station_created", _("Transfer station added")
    STATION_UPDATED = "waste.station_updated", _("Transfer station edited")
    STATION_KEY_CREATED = "waste.station_key_created", _("Weighbridge key created")
    STATION_KEY_REVOKED = "waste.station_key_revoked", _("Weighbridge key revoked")
    GALLERY_IMAGE_CREATED = "gallery.image_created", _("Gallery photo added")
    GALLERY_IMAGE_UPDATED = "gallery.image_updated", _("Gallery photo edited")
    GALLERY_IMAGE_DELETED = "gallery.image_deleted", _("Gallery photo removed")
    EVENT_CREATED = "calendar.event_created", _("Calendar event added")
    EVENT_UPDATED = "calendar.event_updated", _("Calendar event edited")
    EVENT_DELETED = "calendar.event_deleted", _("Calendar event removed")
    DEVICE_MOVED = "notifications.device_moved", _("Phone's notifications moved to this account")
    ADMIN_ADDED = "admin.added", _("Added in Django admin")
    ADMIN_CHANGED = "admin.changed", _("Changed in Django admin")
    ADMIN_DELETED = "admin.deleted", _("Deleted in Django admin")


class ActivityLog(models.Model):
    """Append-only audit trail of auth events and staff writes.

    On PostgreSQL a trigger (migration 0005) refuses UPDATE and DELETE of its rows.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        "users.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_logs",
    )
    action = models.CharField(_("action"), max_length=100, choices=ActivityAction.choices)
    resource_type = models.CharField(_("resource type"), max_length=50, null=True, blank=True)
    resource_id = models.UUIDField(_("resource id"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.TextField(_("user agent"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "activity_logs"
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        indexes = [
            models.Index(fields=["action"], name="idx_activity_logs_action"),
            models.Index(fields=["-created_at"], name="idx_activity_logs_created_at"),
            # One person's trail, newest first (admin-users/{id}/activity-log/).
            models.Index(fields=["user", "-created_at"], name="idx_activity_logs_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Activity log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Activity log entries are append-only.")
