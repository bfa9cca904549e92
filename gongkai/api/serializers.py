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
