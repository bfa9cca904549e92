from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongkai.catalog.models import Interpretation
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


class InterpretationLinkSerializer(serializers.Serializer):
    """One end of a 政策解读 link: the other publication, the form of the interpretation and its outside link."""

    id = serializers.IntegerField()
    index_no = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    form = serializers.ChoiceField(
        choices=Interpretation.Form.choices,
        help_text="文字解读、图解、视频、新闻发布会 / the form of the interpretation",
    )
    form_name = serializers.CharField()
    link = serializers.CharField(help_text="视频、新闻发布会等外部地址，可为空 / outside address, may be empty")
    url = serializers.CharField(help_text="该信息的页面 / the publication's page")


class PublicationDetailSerializer(PublicationListSerializer):
    summary = serializers.CharField()
    body = serializers.CharField(help_text="已清理的HTML / sanitised HTML")
    keywords = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)
    expired_on = serializers.DateField(allow_null=True)
    repealed_on = serializers.DateField(allow_null=True)
    attachments = AttachmentSerializer(many=True)
    interprets = serializers.SerializerMethodField(help_text="本信息解读的文件 / the documents this one interprets")
    interpretations = serializers.SerializerMethodField(help_text="本文件的政策解读 / the interpretations of this one")

    def _link(self, link: Interpretation, other) -> dict:
        return {
            "id": other.pk,
            "index_no": other.index_no,
            "title": other.title,
            "publisher": other.publisher.name,
            "form": link.form,
            "form_name": link.get_form_display(),
            "link": link.url,
            "url": self.get_url(other),
        }

    @extend_schema_field(InterpretationLinkSerializer(many=True))
    def get_interprets(self, publication) -> list[dict]:
        links = Interpretation.objects.public().filter(interpretation=publication).select_related("policy__publisher")
        return [self._link(link, link.policy) for link in links]

    @extend_schema_field(InterpretationLinkSerializer(many=True))
    def get_interpretations(self, publication) -> list[dict]:
        links = (
            Interpretation.objects.public()
            .filter(policy=publication)
            .select_related("interpretation__publisher")
            .order_by("-interpretation__published_at", "-id")
        )
        return [self._link(link, link.interpretation) for link in links]
