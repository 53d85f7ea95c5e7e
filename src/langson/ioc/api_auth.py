"""Push keys scoped to one dataset (prefix ls_ds_)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from langson.core.api_auth import hash_key, new_key
from langson.ioc.models import Dataset, DatasetToken

DATASET_TOKEN_PREFIX = "ls_ds_"  # noqa: S105 - a public marker, not a secret


def issue_dataset_token(dataset: Dataset, name: str) -> tuple[DatasetToken, str]:
    key, digest = new_key(DATASET_TOKEN_PREFIX)
    token = DatasetToken.objects.create(dataset=dataset, name=name, prefix=key[:12], key_hash=digest)
    return token, key


class DatasetBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> DatasetToken | None:
        if not token.startswith(DATASET_TOKEN_PREFIX):
            return None
        found = (
            DatasetToken.objects.select_related("dataset")
            .filter(key_hash=hash_key(token), revoked=False)
            .first()
        )
        return found
