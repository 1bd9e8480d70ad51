import importlib

import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _seeded_prompts(request):
    """The prompt library comes from a data migration. A transactional test elsewhere on the
    same worker flushes every table when it ends, so put the library back when it is gone."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            break
    else:
        return  # a test without the database (the bridge rules)
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    from checkins.models import Prompt

    if not Prompt.objects.exists():
        seed = importlib.import_module("checkins.migrations.0002_seed_prompts")
        seed.seed(apps, None)
    # A serialized-rollback flush does not run post_migrate, so the permissions the admin
    # tests hand out are gone too until the next such test: put back this app's.
    if not Permission.objects.filter(content_type__app_label="checkins").exists():
        create_permissions(apps.get_app_config("checkins"), verbosity=0)
