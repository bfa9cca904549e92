from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteSettings(models.Model):
    """The one row (pk=1) describing this installation as a government website (站点信息).

    The footer and the ``SiteName`` / ``SiteDomain`` / ``SiteIDCode`` meta tags of every page come from
    here and from the host organisation (主办单位), whose own row holds the address, phone, 网站标识码,
    ICP备案号 and 公安备案号 (《政府网站发展指引》, 国办发〔2017〕47号).
    """

    SINGLETON_PK = 1

    name = models.CharField(
        _("网站名称"),
        max_length=100,
        blank=True,
        help_text=_("页眉和 SiteName 标签显示的名称，如 张店区发展和改革局。"),
    )
    domain = models.CharField(
        _("网站域名"),
        max_length=100,
        blank=True,
        help_text=_("SiteDomain 标签的值，如 fgj.zhangdian.gov.cn。"),
    )
    host = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("页脚显示其地址、邮编、电话、网站标识码、ICP备案号和公安备案号。"),
    )
    credit_site_name = models.CharField(_("信用网站名称"), max_length=50, default="信用张店")

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # There is exactly one row: whatever was loaded or built, it is row 1.
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "SiteSettings":
        """The settings row, created empty on first use (with the host organisation joined in)."""
        site, _created = cls.objects.select_related("host").get_or_create(pk=cls.SINGLETON_PK)
        return site

    @property
    def title(self) -> str:
        """The name to show: the configured site name, else the host organisation's name."""
        if self.name:
            return self.name
        if self.host_id:
            return self.host.name
        return ""


class PageGeneration(models.Model):
    """A row per area of the public site: a number that changes whenever that area's content does
    (gongkai.portal.pagecache).

    It lives in the database, not the cache, so that every web process and worker, on any machine, sees a
    change in the same transaction that made it, whatever cache each process has.
    """

    # The primary keys of the areas. 政府信息公开: the publications and what lists them (the credit site's
    # columns included). 双公示: the penalties and licences, which a daily import changes by the thousand.
    DISCLOSURE = 1
    CREDIT = 2
    AREAS = (DISCLOSURE, CREDIT)
    value = models.PositiveBigIntegerField(_("代数"), default=0)

    class Meta:
        verbose_name = _("公开页面缓存代数")
        verbose_name_plural = _("公开页面缓存代数")

    def __str__(self) -> str:
        return str(self.value)
