import pytest

from tests.integration.stack import Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """One real stack for the whole session: trained model, action server, Rasa, gateway."""
    s = Stack(tmp_path_factory.mktemp("stack-var")).start()
    yield s
    s.stop()
