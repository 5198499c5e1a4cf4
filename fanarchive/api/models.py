"""Personal access tokens for the API. Only a hash of each secret is stored."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import User


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A token is "fa_<prefix>_<secret>": the prefix finds the row, the hash checks the rest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    # sha256 of the whole token, hex: the token has 256 random bits, so no slow hash is needed.
    digest = models.CharField(max_length=64)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
