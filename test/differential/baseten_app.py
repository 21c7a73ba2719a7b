# Baseten's API-key calls as a stock FastAPI + pydantic service would declare them from
# openapi/baseten.yaml: the pydantic models of its schemas, create/list/delete in the order
# keyforge serves them, auth as a dependency, and what FastAPI answers on its own. What is
# Baseten's own code rather than its framework (auth wording, key format, which types manage
# keys) follows docs/vendors/baseten.md. Keys live in memory. Test code only, never shipped.
import re
from datetime import datetime, timezone
from enum import Enum
from typing import List, Optional

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field, model_validator

from reference_server import base62, serve


class APIKeyCategory(str, Enum):
    PERSONAL = "PERSONAL"
    WORKSPACE_MANAGE_ALL = "WORKSPACE_MANAGE_ALL"
    WORKSPACE_EXPORT_METRICS = "WORKSPACE_EXPORT_METRICS"
    WORKSPACE_INVOKE = "WORKSPACE_INVOKE"


MODEL_SCOPED = (APIKeyCategory.WORKSPACE_EXPORT_METRICS, APIKeyCategory.WORKSPACE_INVOKE)
KEY_MANAGING = (APIKeyCategory.PERSONAL, APIKeyCategory.WORKSPACE_MANAGE_ALL)


class CreateAPIKeyRequestV1(BaseModel):
    name: Optional[str] = Field(None, description="Optional name for the API key")
    type: APIKeyCategory = Field(description="Type of the API key.")
    model_ids: Optional[List[str]] = Field(None, description="List of model IDs to scope the API key to")

    @model_validator(mode="after")
    def model_ids_only_for_scoped_types(self):
        if self.model_ids is not None and self.type not in MODEL_SCOPED:
            raise ValueError("model_ids can only be set for WORKSPACE_EXPORT_METRICS or WORKSPACE_INVOKE keys")
        return self


class APIKeyV1(BaseModel):
    api_key: str


def now() -> str:
    # As keyforge stores time: milliseconds, printed like JavaScript's toISOString.
    moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


DEMO = "kfdemo01.BasetenDemoKey000000000000000000"
KEY = re.compile(r"([0-9A-Za-z]{8})\.[0-9A-Za-z]{32}")
# JavaScript's \s within Latin-1: what keyforge's header parsing splits on.
AUTHORIZATION = re.compile(r"([A-Za-z][A-Za-z0-9-]*) +([^\t\n\x0b\x0c\r \xa0]+) *")

keys: dict = {"kfdemo01": {"secret": DEMO, "name": "keyforge-root", "type": APIKeyCategory.PERSONAL, "model_ids": None, "created_at": now(), "last_used_at": None}}

app = FastAPI(title="Baseten management API")
authorization_header = APIKeyHeader(name="Authorization", auto_error=False)


def caller(authorization: Optional[str] = Depends(authorization_header)) -> dict:
    match = AUTHORIZATION.fullmatch(authorization or "")
    if match is None or match.group(1).lower() not in ("api-key", "bearer"):
        raise HTTPException(401, "Authentication credentials were not provided.")
    secret = match.group(2)
    key = KEY.fullmatch(secret) and keys.get(secret[:8])
    if not key or key["secret"] != secret:
        raise HTTPException(401, "Invalid API key.")
    key["last_used_at"] = now()
    return key


def may_manage_keys(key: dict) -> None:
    if key["type"] not in KEY_MANAGING:
        raise HTTPException(403, "You do not have permission to perform this action.")


@app.post("/v1/api_keys", response_model=APIKeyV1)
def create_api_key(body: CreateAPIKeyRequestV1, key: dict = Depends(caller)):
    may_manage_keys(key)
    prefix = base62(8)
    secret = f"{prefix}.{base62(32)}"
    keys[prefix] = {"secret": secret, "name": body.name, "type": body.type, "model_ids": body.model_ids, "created_at": now(), "last_used_at": None}
    return {"api_key": secret}


@app.get("/v1/api_keys")
def list_api_keys(key: dict = Depends(caller)):
    may_manage_keys(key)
    return {
        "keys": [
            {"prefix": prefix, "name": k["name"], "type": k["type"].value, "model_ids": k["model_ids"], "created_at": k["created_at"], "last_used_at": k["last_used_at"]}
            for prefix, k in keys.items()
        ]
    }


@app.delete("/v1/api_keys/{api_key_prefix}")
def delete_api_key(api_key_prefix: str, key: dict = Depends(caller)):
    may_manage_keys(key)
    if api_key_prefix not in keys:
        raise HTTPException(404, "API key not found.")
    del keys[api_key_prefix]
    return {"prefix": api_key_prefix}


if __name__ == "__main__":
    serve(app)
