"""Session-wide test set-up: Qt runs offscreen, Hypothesis profiles."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Database fixtures (``db``, ``db_url``, ``reference``, ``demo_db`` ...) for every test folder.
pytest_plugins = ["tests.db_fixtures"]
