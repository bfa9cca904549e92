from rest_framework import serializers

from gongkai.orgs.models import Organization


class OrganizationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "parent",
            "uscc",
            "region_code",
            "address",
            "postcode",
            "phone",
            "fax",
            "email",
            "office_hours",
            "site_id_code",
            "is_reporting",
        ]


class AddWorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(help_text="起算日（不计入）/ start day, not counted")
    days = serializers.IntegerField(min_value=0, max_value=3650, help_text="工作日数 / number of working days")


class DueDateSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField(help_text="第N个工作日 / the N-th working day after start")
    provisional = serializers.BooleanField(
        help_text="涉及未录入完整的年份时为 true / true when a year's calendar is missing"
    )
    missing_years = serializers.ListField(child=serializers.IntegerField())


class PublicationListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index_no = serializers.CharField()
    title = serializers.CharField()
    doc_no = serializers.CharField(source="doc_no_display")
    issued_on = serializers.DateField()
    published_at = serializers.DateTimeField()
    publisher = serializers.CharField(source="publisher.name")
    publisher_uscc = serializers.CharField(source="publisher.uscc")
    column = serializers.CharField(source="column.code")
    column_name = serializers.CharField(source="column.name")
    topic = serializers.CharField(source="topic.name", allow_null=True, default=None)
    genre = serializers.CharField(source="genre.name", allow_null=True, default=None)
    validity = serializers.CharField(source="get_validity_display")
    url = serializers.SerializerMethodField()

    def get_url(self, publication) -> str:
        from django.urls import reverse

        url = reverse("catalog:detail", args=[publication.publisher.slug, publication.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    kind = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class PublicationDetailSerializer(PublicationListSerializer):
    summary = serializers.CharField()
    body = serializers.CharField(help_text="已清理的HTML / sanitised HTML")
    keywords = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    expired_on = serializers.DateField(allow_null=True)
    repealed_on = serializers.DateField(allow_null=True)
    attachments = AttachmentSerializer(many=True)
