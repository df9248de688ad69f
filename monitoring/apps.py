from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from django.core.signals import request_finished

        from . import checks, metrics, middleware  # noqa: F401 - registers the settings check

        metrics.count_celery_tasks()
        metrics.count_status_changes()
        # After the outbox's own receiver (its app is loaded first), which sends the
        # request's mail: its lines keep the request id.
        request_finished.connect(middleware.forget_request_id, dispatch_uid="monitoring")
