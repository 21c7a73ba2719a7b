# Imtegrate's key service as a stock FastAPI + pydantic app declared from openapi/imtegrate.yaml:
# the ApiKeyCreate model, create (201, response model ApiKeyCreated), list and revoke, auth as a
# dependency reading the Authorization header parameter, and what FastAPI answers on its own.
# What is Imtegrate's own code rather than its framework (auth wording, scopes, token format)
# follows docs/vendors/imtegrate.md. Keys live in memory. Test code only, never shipped.
import re
import uuid
from datetime import datetime, timezone
from typing import List, Optional

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Field

from reference_server import base62, serve

WRITE_SCOPES = ("*", "api_keys:write")
READ_SCOPES = ("*", "api_keys:write", "api_keys:read")
DEMO = "imt_test_kfdemo05_ImtegrateDemoToken00000000000000"
ORG = uuid.uuid4()
TOKEN = re.compile(r"(imt_(?:test|live)_[0-9A-Za-z]{8})_[0-9A-Za-z]{32}")
# JavaScript's \s within Latin-1: what keyforge's header parsing splits on.
AUTHORIZATION = re.compile(r"([A-Za-z][A-Za-z0-9-]*) +([^\t\n\x0b\x0c\r \xa0]+) *")


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=2, max_length=120)
    scopes: List[str] = []
    env: str = Field("test", pattern=r"^(test|live)$")


class ApiKey(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    prefix: str
    name: str
    scopes: List[str]
    last_used_at: Optional[datetime]
    revoked_at: Optional[datetime]
    created_at: datetime


class ApiKeyCreated(ApiKey):
    token: str


def now() -> datetime:
    # keyforge keeps milliseconds.
    moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def record(token: str, name: str, scopes: list) -> dict:
    return {"id": uuid.uuid4(), "org_id": ORG, "prefix": TOKEN.fullmatch(token).group(1), "name": name, "scopes": scopes,
            "last_used_at": None, "revoked_at": None, "created_at": now(), "token": token}


keys: List[dict] = [record(DEMO, "keyforge-root", ["*"])]
app = FastAPI(title="Imtegrate API", version="dev")


def caller(authorization: Optional[str] = Header(None)) -> dict:
    match = AUTHORIZATION.fullmatch(authorization or "")
    if match is None or match.group(1).lower() != "bearer":
        raise HTTPException(401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    token = match.group(2)
    key = next((k for k in keys if k["token"] == token and k["revoked_at"] is None), None)
    if key is None:
        raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"})
    key["last_used_at"] = now()
    return key


def scoped(allowed: tuple):
    def check(key: dict = Depends(caller)) -> dict:
        if not any(scope in key["scopes"] for scope in allowed):
            raise HTTPException(403, "Insufficient scope")
        return key

    return check


def view(key: dict) -> dict:
    return {name: value for name, value in key.items() if name != "token"}


@app.post("/v1/api-keys", status_code=201, response_model=ApiKeyCreated, tags=["api-keys"])
def create_key(body: ApiKeyCreate, key: dict = Depends(scoped(WRITE_SCOPES))):
    token = f"imt_{body.env}_{base62(8)}_{base62(32)}"
    created = record(token, body.name, body.scopes)
    keys.append(created)
    return created


@app.get("/v1/api-keys", response_model=List[ApiKey], tags=["api-keys"])
def list_keys(key: dict = Depends(scoped(READ_SCOPES))):
    return [view(k) for k in keys]


@app.post("/v1/api-keys/{id}/revoke", response_model=ApiKey, tags=["api-keys"])
def revoke_key(id: uuid.UUID, key: dict = Depends(scoped(WRITE_SCOPES))):
    found = next((k for k in keys if k["id"] == id), None)
    if found is None:
        raise HTTPException(404, "Not Found")
    if found["revoked_at"] is None:
        found["revoked_at"] = now()
    return view(found)


if __name__ == "__main__":
    serve(app)
