"""What the API shows and takes. Writes name only the fields a form of the site takes:
anything else sent is ignored, never assigned."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from categories.models import Category
from tickets import uploads
from tickets.forms import DESCRIPTION_MAX_LENGTH
from tickets.models import (
    Channel,
    Component,
    EventKind,
    ParentRecord,
    Priority,
    Product,
    Status,
    TicketKind,
)

from .models import Scope

User = get_user_model()


# -- errors --------------------------------------------------------------------------


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every error under /api/ (api/errors.py): a machine code, a message in the
    request's language, and per field what is wrong with it."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=FieldErrorSerializer(many=True), required=False)


# -- small references ----------------------------------------------------------------


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def ref(obj, name=None):
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else str(obj)}


def person(user):
    return None if user is None else {"id": user.pk, "name": user.display_name()}


class KindSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="__str__")


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    description = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField()
    organisation = serializers.SerializerMethodField()
    role = serializers.CharField()
    handles_tickets = serializers.BooleanField()
    token_scope = serializers.ChoiceField(choices=Scope.choices, allow_null=True)

    @extend_schema_field(Ref(allow_null=True))
    def get_organisation(self, user):
        return ref(user.organisation, user.organisation.name if user.organisation else None)


# -- tickets -------------------------------------------------------------------------


class TicketSerializer(serializers.Serializer):
    """A row of the list."""

    id = serializers.IntegerField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    priority = serializers.ChoiceField(choices=Priority.choices)
    priority_label = serializers.CharField(source="get_priority_display")
    kind = KindSerializer()
    category = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    requester = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    channel = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    parent = serializers.IntegerField(
        source="parent_id", allow_null=True, help_text=_("The case or order it is about.")
    )
    custom = serializers.DictField(help_text=_("The category's custom field values by key."))

    @extend_schema_field(Ref)
    def get_category(self, ticket):
        return ref(ticket.category)

    @extend_schema_field(Ref)
    def get_organisation(self, ticket):
        return ref(ticket.organisation, ticket.organisation.name)

    @extend_schema_field(Ref)
    def get_requester(self, ticket):
        return person(ticket.requester)

    @extend_schema_field(Ref(allow_null=True))
    def get_assignee(self, ticket):
        return person(ticket.assignee)


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    internal = serializers.BooleanField()
    redacted = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_name(self, document) -> str:
        return "" if document.redacted else document.download_name

    def get_url(self, document) -> str | None:
        if document.redacted:
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/attachments/{document.pk}/")


class EventSerializer(serializers.Serializer):
    """One entry of the action log, as the caller may see it; facts in their language."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    note = serializers.CharField(source="typed_note")
    facts = serializers.SerializerMethodField()
    internal = serializers.BooleanField()
    documents = serializers.SerializerMethodField()

    @extend_schema_field(Ref(allow_null=True))
    def get_actor(self, event):
        return person(event.actor)

    def get_facts(self, event) -> str:
        return str(event.facts)

    def get_documents(self, event) -> list[int]:
        return [document.pk for document in event.attachments.all()]


class TicketDetailSerializer(TicketSerializer):
    description = serializers.CharField()
    parent_record = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    component = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    actions = serializers.ListField(child=serializers.CharField(), source="api_actions")

    @extend_schema_field(Ref(allow_null=True))
    def get_parent_record(self, ticket):
        return ref(ticket.parent)

    @extend_schema_field(Ref(allow_null=True))
    def get_product(self, ticket):
        return ref(ticket.product)

    @extend_schema_field(Ref(allow_null=True))
    def get_component(self, ticket):
        return ref(ticket.component)

    @extend_schema_field(EventSerializer(many=True))
    def get_messages(self, ticket):
        """Replies (and, for handlers, internal notes): the conversation."""
        said = [e for e in ticket.api_events if e.kind in (EventKind.REPLIED, EventKind.NOTE)]
        return EventSerializer(said, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, ticket):
        return EventSerializer(ticket.api_events, many=True, context=self.context).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, ticket):
        return DocumentSerializer(ticket.api_documents, many=True, context=self.context).data


class TicketPageSerializer(serializers.Serializer):
    results = TicketSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


# -- writes --------------------------------------------------------------------------


def _text(**kwargs):
    return serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, **kwargs)


class DocumentsField(serializers.ListField):
    """Documents sent as multipart `attachments`, each judged by its content; one refused
    file refuses the request, so that nothing is half done."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.conf import settings

        files = super().to_internal_value(data)
        if len(files) > settings.HELPDESK_MAX_FILES_PER_REQUEST:
            raise serializers.ValidationError(uploads.too_many_files())
        refused = []
        for upload in files:
            try:
                uploads.inspect(upload)
            except DjangoValidationError as error:
                refused.extend(error.messages)
        if refused:
            raise serializers.ValidationError(refused)
        return files


class TicketCreateSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    kind = serializers.SlugRelatedField(
        slug_field="code", queryset=TicketKind.objects.filter(is_active=True)
    )
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    subject = serializers.CharField(max_length=200)
    description = _text()
    attachments = DocumentsField()
    # Handlers only (filing for a member: phone call, e-mail, visit); ignored from others.
    requester = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True, organisation__isnull=False),
        required=False,
        help_text=_("Handlers only: the member the ticket is filed for."),
    )
    channel = serializers.ChoiceField(
        choices=[(value, label) for value, label in Channel.choices if value != Channel.WEB],
        required=False,
        help_text=_("Handlers only, with requester: how the member got in touch."),
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=ParentRecord.objects.all(),
        required=False,
        help_text=_("The case or order the request is about (one the requester may file about)."),
    )
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all(), required=False)
    component = serializers.PrimaryKeyRelatedField(queryset=Component.objects.all(), required=False)
    custom = serializers.DictField(
        required=False, help_text=_("The category's custom field values by key.")
    )

    def __init__(self, *args, on_behalf: bool = True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not on_behalf:
            del self.fields["requester"]
            del self.fields["channel"]
            # A record of someone else is "not found", like a ticket.
            if user is not None:
                self.fields["parent"].queryset = ParentRecord.objects.fileable_by(user)


class ReplySerializer(serializers.Serializer):
    body = _text()
    internal = serializers.BooleanField(default=False)
    attachments = DocumentsField()


class NoteSerializer(serializers.Serializer):
    body = _text()
    attachments = DocumentsField()


class BodySerializer(serializers.Serializer):
    body = _text()


class ResolveSerializer(serializers.Serializer):
    explanation = _text()


class RedirectSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    body = _text(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class PrioritySerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices)


class EmptySerializer(serializers.Serializer):
    pass


class UploadSerializer(serializers.Serializer):
    attachments = DocumentsField(required=True, allow_empty=False)
    internal = serializers.BooleanField(default=False)
