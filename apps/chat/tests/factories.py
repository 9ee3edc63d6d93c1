"""Factories for chat rooms and messages."""

import factory

from apps.chat.models import ChatMessage, ChatRoom
from apps.users.tests.factories import UserFactory


class ChatRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatRoom

    citizen = factory.SubFactory(UserFactory, ward_number="5")
    ward_number = "5"
    subject = factory.Sequence(lambda n: f"Drain question {n}")


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    room = factory.SubFactory(ChatRoomFactory)
    sender = factory.LazyAttribute(lambda message: message.room.citizen)
    message = "ড্রেন পরিষ্কার কবে হবে?"
