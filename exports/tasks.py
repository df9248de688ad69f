from celery import shared_task

from . import services


@shared_task(name="exports.build")
def build_export(pk: int) -> bool:
    return services.build(pk)
