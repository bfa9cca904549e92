from django.contrib import admin

from gongkai.credit.models import CodeListEntry, CreditSettings, FieldRequirement, PublicityRule, SubmissionToken


@admin.register(CreditSettings)
class CreditSettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "hold_for_review", "publish_warnings"]
    list_select_related = ["organization"]


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(admin.ModelAdmin):
    """Administrators issue an organisation's key; it is shown here once created, and can be revoked."""

    list_display = ["organization", "name", "created_at", "revoked"]
    readonly_fields = ["key", "created_at"]
    list_select_related = ["organization"]


@admin.register(FieldRequirement)
class FieldRequirementAdmin(admin.ModelAdmin):
    """When a field must be filled: the defaults of the standard, changed here without code (STATUTES §3.3)."""

    list_display = ["record_type", "field_code", "rule", "subjects", "when_field", "when_values"]
    list_filter = ["record_type", "rule"]


@admin.register(CodeListEntry)
class CodeListEntryAdmin(admin.ModelAdmin):
    """Entries added to, relabelled in or retired from the standard's code lists."""

    list_display = ["code_list", "code", "label", "retired"]
    list_filter = ["code_list", "retired"]


@admin.register(PublicityRule)
class PublicityRuleAdmin(admin.ModelAdmin):
    """How long penalties are published, per regime and class (STATUTES §3.5). A change applies to penalties
    imported, or whose class is changed, afterwards."""

    list_display = [
        "regime", "severity", "in_force_from", "in_force_to", "min_months", "max_months", "repairable", "published",
    ]  # fmt: skip
    list_filter = ["regime", "severity"]
