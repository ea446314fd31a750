import pytest

from classroom import rules
from classroom.factories import UserFactory


@pytest.fixture
def staff_admin_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


@pytest.fixture
def other_admin(site):
    """A second staff administrator of the same site."""
    return UserFactory(username="other-admin", last_name="松本", first_name="恵", roles=[rules.STAFF, rules.STAFF_ADMIN],
                       sites=[site])
