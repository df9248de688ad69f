import pytest

from tickets import services


@pytest.fixture
def closed(ticket, member, responsible):
    """`oda`'s ticket, resolved by `kapasite` and confirmed by `oda`: its survey is sent."""
    services.resolve(ticket, by=responsible, explanation="Kodlar eklendi.")
    return services.close(ticket, by=member)
