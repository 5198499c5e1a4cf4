import pytest
from django.core.exceptions import ValidationError

from fanarchive.accounts.block_services import block_create, block_delete
from fanarchive.accounts.models import Block
from fanarchive.accounts.selectors import is_blocked

pytestmark = pytest.mark.django_db


def test_block_and_unblock(user, other_user):
    block_create(user=user, blocked=other_user)
    block_create(user=user, blocked=other_user)
    assert Block.objects.count() == 1
    assert is_blocked(user, other_user) and not is_blocked(other_user, user)
    block_delete(user=user, blocked=other_user)
    assert not is_blocked(user, other_user)


def test_no_blocking_oneself(user):
    with pytest.raises(ValidationError):
        block_create(user=user, blocked=user)
    assert not Block.objects.exists()
