from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_uscc(value: str) -> None:
    from gongkai.lib import identifiers

    result = identifiers.check_uscc(value)
    if not result.valid:
        raise ValidationError("; ".join(result.errors))


def validate_region_code(value: str) -> None:
    if len(value) != 6 or not value.isdigit():
        raise ValidationError(_("行政区划代码应为6位数字（GB/T 2260）。 Region code must be 6 digits (GB/T 2260)."))


# District-wide pages live at /gongkai/<these>/: an organisation with such a path would be hidden.
RESERVED_SLUGS = frozenset({"catalog", "search", "feeds", "attachment", "reports"})


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("区政府")
    DEPARTMENT = "department", _("区政府部门")
    STREET_OFFICE = "street_office", _("街道办事处")
    TOWN = "town", _("镇人民政府")
    INSTITUTION = "institution", _("事业单位")
    OTHER = "other", _("其他")


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def reporting(self):
        """Organisations that submit 双公示 records to the credit site."""
        return self.active().filter(is_reporting=True)


class Organization(models.Model):
    """An agency (行政机关) hosted on this installation, e.g. 张店区发展和改革局."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    slug = models.SlugField(_("站点路径"), max_length=60, unique=True, help_text=_("公开站点的路径，如 zdqfzhggj。"))
    kind = models.CharField(
        _("机构类别"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.DEPARTMENT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliates",
        help_text=_("所属事业单位填写其主管部门。"),
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    region_code = models.CharField(_("行政区划代码"), max_length=6, validators=[validate_region_code], default="370303")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    phone = models.CharField(_("电话"), max_length=50, blank=True)
    fax = models.CharField(_("传真"), max_length=50, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    site_id_code = models.CharField(_("网站标识码"), max_length=10, blank=True)
    icp_record = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    police_record = models.CharField(_("公安备案号"), max_length=60, blank=True)
    is_reporting = models.BooleanField(_("双公示报送单位"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from gongkai.lib import identifiers

        self.uscc = identifiers.normalize(self.uscc)
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("站点路径“%(slug)s”已被全区页面使用。 The path is used by a district-wide page.")
                    % {"slug": self.slug}
                }
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("机构不能是自己的上级。 An organisation cannot be its own parent.")})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Department(models.Model):
    """An internal office (科室 / 内设机构) of an organisation."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)
    is_disclosure_office = models.BooleanField(
        _("政府信息公开工作机构"), default=False, help_text=_("负责本机关政府信息公开日常工作的科室。")
    )
    phone = models.CharField(_("电话"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["organization", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.display_name} · {self.name}"


class User(AbstractUser):
    """A member of staff. Every staff user belongs to one organisation; roles are groups (see roles.py)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("科室"), null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.department.organization_id != self.organization_id:
            raise ValidationError(
                {"department": _("科室必须属于用户所在机构。 The department must belong to the user's organisation.")}
            )


class LoginFailure(models.Model):
    """One failed login (a wrong password, or an unknown name), kept while it can count towards a lock-out
    (`gongkai.orgs.lockout`)."""

    username = models.CharField(_("用户名"), max_length=150)
    address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_username"),
            models.Index(fields=["address", "at"], name="login_failure_address"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.address or '-'} · {self.at:%Y-%m-%d %H:%M:%S}"
