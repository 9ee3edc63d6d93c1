"""factory_boy factories for users and staff permissions."""

import factory

from apps.users.models import AdminPermission, User

DEFAULT_PASSWORD = "correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(
        lambda n: f"+8801911{n + 1:06d}"
    )  # clear of demo numbers and sandbox knobs
    name = factory.Sequence(lambda n: f"Citizen {n}")
    user_type = "citizen"
    is_verified = True
    is_active = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class AdminPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminPermission

    admin = factory.SubFactory(UserFactory, user_type="admin")
    permission_type = "complaints"
    resource_type = "complaint"
    ward_numbers = factory.LazyFunction(lambda: ["1", "2"])
    can_read = True
    can_update = True


def staff_with_rights(permission_type: str, wards, *, resource_type=None, **flags):
    """A ward admin holding ``permission_type`` rights for ``wards`` (read and update unless
    ``flags`` says otherwise): the staff of every app's permission matrix."""
    admin = UserFactory(user_type="admin")
    AdminPermissionFactory(
        admin=admin,
        permission_type=permission_type,
        resource_type=resource_type or permission_type,
        ward_numbers=wards,
        **flags,
    )
    return admin
