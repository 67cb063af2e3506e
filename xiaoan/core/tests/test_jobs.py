import pytest
from django.conf import settings

from xiaoan.jobs import ping


def test_it_runs_jobs_in_process_under_tests():
    assert settings.HUEY["immediate"] is True
    assert ping().get() == "pong"


@pytest.mark.parametrize("redis", [False, True])
def test_it_picks_the_queue_backend_from_the_environment(tmp_path, redis):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "XIAOAN_DATA_DIR": str(tmp_path)}
    if redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    code = "from django.conf import settings; print(settings.HUEY['huey_class'])"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            f"'xiaoan.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == ("xiaoan.core.queue.RedisHuey" if redis else "xiaoan.core.queue.SqliteHuey")
