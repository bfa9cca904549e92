"""Background work as rows: the database is the queue and ``gongkai worker`` is the consumer."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=Job.Status.QUEUED, run_at__lte=now)

    def stale(self, now, lease):
        """Jobs claimed by a worker that has not finished them within the lease: it probably died."""
        return self.filter(status=Job.Status.RUNNING, claimed_at__lt=now - lease)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("执行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=80, db_index=True)
    payload = models.JSONField(_("参数"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("机构"), null=True, blank=True, on_delete=models.CASCADE
    )
    # Scheduled and periodic jobs carry a key so that however many workers or web processes schedule the
    # same thing, it is queued, and so run, once.
    unique_key = models.CharField(_("唯一键"), max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    run_at = models.DateTimeField(_("计划时间"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"), default=5)
    claimed_by = models.CharField(_("执行者"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["run_at", "id"]
        indexes = [models.Index(fields=["status", "run_at"], name="job_status_run_at")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
