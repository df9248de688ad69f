"""Each job runs once in its period, however many schedulers ask: beat's tasks,
`run_jobs` from cron, or both."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.module_loading import import_string

from conftest import JOBS_REDIS, redis_test_url
from jobs import runner
from jobs.management.commands import run_jobs
from jobs.table import JOBS, Job
from outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db

calls = []


def probe():
    calls.append(timezone.now())
    return len(calls)


def explode():
    raise RuntimeError("boom")


PROBE = Job("probe", "jobs.tests.test_runs.probe", every=datetime.timedelta(minutes=10))


@pytest.fixture(autouse=True)
def _no_calls_yet():
    calls.clear()


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The cache every process shares: the database's table, or Redis (REDIS_URL)."""
    if request.param == "redis":
        import redis

        url = redis_test_url(JOBS_REDIS)
        redis.Redis.from_url(url).flushdb()
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    yield request.param


def test_a_job_runs_once_in_each_period(shared_cache):
    start = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)

    first = runner.run(PROBE, now=start + datetime.timedelta(minutes=1))
    again = runner.run(PROBE, now=start + datetime.timedelta(minutes=9, seconds=59))
    next_period = runner.run(PROBE, now=start + datetime.timedelta(minutes=10))

    assert (first.ran, again.ran, next_period.ran) == (True, False, True)
    assert len(calls) == 2


def test_with_the_cache_down_a_job_runs_all_the_same(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
        }
    }

    assert runner.run(PROBE).ran
    assert len(calls) == 1


def test_every_job_of_the_table_calls_a_function():
    assert all(callable(import_string(job.call)) for job in JOBS)
    assert len({job.name for job in JOBS}) == len(JOBS)


def test_run_jobs_once_runs_what_is_due_and_the_second_time_nothing(smtp_server, capsys):
    OutgoingMail.objects.create(to="ayse@example.org", subject="Konu", text="Metin")

    call_command("run_jobs", "--once")
    first = capsys.readouterr().out.splitlines()
    call_command("run_jobs", "--once")
    second = capsys.readouterr().out.splitlines()

    # Every job of the table ran once, in its order; the mail went.
    assert [line.split(":")[0] for line in first] == [job.name for job in JOBS]
    assert first[0] == "send_mail: (1, 0)"
    assert second == [f"{job.name}: already run in this period" for job in JOBS]
    assert [message["To"] for message in smtp_server.messages] == ["ayse@example.org"]


def test_run_jobs_runs_only_the_jobs_named(capsys):
    call_command("run_jobs", "--once", "close_resolved")

    assert capsys.readouterr().out.splitlines() == ["close_resolved: 0"]


def test_run_jobs_refuses_a_name_it_does_not_know():
    with pytest.raises(CommandError, match="No job named sendmail. The jobs are: send_mail,"):
        call_command("run_jobs", "--once", "sendmail")


def test_a_failing_job_keeps_no_other_from_running(monkeypatch, capsys):
    broken = Job("broken", "jobs.tests.test_runs.explode", every=datetime.timedelta(minutes=1))
    monkeypatch.setattr(run_jobs, "JOBS", (broken, PROBE))

    with pytest.raises(CommandError, match="Failed: broken"):
        call_command("run_jobs", "--once")

    assert len(calls) == 1
    assert "probe: 1" in capsys.readouterr().out
