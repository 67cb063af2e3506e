import pytest

from xiaoan.channels import sms
from xiaoan.channels.tests.support import Receiver


@pytest.fixture
def receiver():
    fake = Receiver()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()
