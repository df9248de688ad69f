"""The Celery app: `celery -A helpdesk_site worker` and `celery -A helpdesk_site beat`.

Configured from Django's settings (the CELERY_ names in settings.py); tasks are found in
each app's `tasks.py`. Without CELERY_BROKER_URL nothing here runs: the management
commands do the same work from cron (jobs/).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")

app = Celery("helpdesk_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
