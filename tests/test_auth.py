"""isoguide.auth: roles from settings lists and an ID-token claim; what each role may do."""

from __future__ import annotations

import pytest

from isoguide.auth import access_for, local_access, roles_for
from isoguide.settings import AuthSettings, Settings


def test_roles_from_lists_domains_and_claims() -> None:
    s = AuthSettings(
        trainers=["T@Example.com"],
        consultants=["@consult.example"],
        maintainers=["lead@example.com"],
        roles_claim="roles",
        claim_roles={"QualityAdmins": "maintainer", "Trainers": "trainer"},
    )
    assert roles_for({"email": "anyone@example.com"}, s) == {"staff"}
    assert roles_for({"email": "t@example.COM"}, s) == {"staff", "trainer"}
    assert roles_for({"email": "x@consult.example"}, s) == {"staff", "consultant"}
    assert roles_for({"email": "x@notconsult.example"}, s) == {"staff"}
    assert roles_for({"email": "a@b.c", "roles": ["Trainers", "Other"]}, s) == {
        "staff",
        "trainer",
    }
    assert roles_for({"email": "a@b.c", "roles": "QualityAdmins"}, s) == {"staff", "maintainer"}


def test_staff_list_restricts_who_gets_in() -> None:
    s = AuthSettings(staff=["@example.com"], maintainers=["boss@other.example"])
    assert roles_for({"email": "a@example.com"}, s) == {"staff"}
    assert roles_for({"email": "a@elsewhere.example"}, s) == set()
    assert roles_for({"email": "boss@other.example"}, s) == {"staff", "maintainer"}
    assert roles_for({}, s) == set()


def test_pages_and_actions_per_role() -> None:
    s = AuthSettings(trainers=["t@x.y"], consultants=["c@x.y"], maintainers=["m@x.y"])
    staff, trainer, consultant, maintainer = (
        access_for({"email": e}, s) for e in ("s@x.y", "t@x.y", "c@x.y", "m@x.y")
    )
    pages = ("Ask", "Quiz", "Draft", "Analytics")
    assert [p for p in pages if staff.may_open(p)] == ["Ask"]
    assert [p for p in pages if trainer.may_open(p)] == ["Ask", "Quiz"]
    assert [p for p in pages if consultant.may_open(p)] == ["Ask", "Draft"]
    assert [p for p in pages if maintainer.may_open(p)] == list(pages)
    for user in (staff, trainer, consultant):
        assert user.may("ask") and user.may("export")
        assert not user.may("manage_guidance") and not user.may("see_analytics")
    assert maintainer.may("manage_guidance") and maintainer.may("see_analytics")
    assert local_access().may("manage_guidance") and not local_access().signed_in
    assert consultant.may_open("Audit checklist") and maintainer.may_open("Audit checklist")
    assert not staff.may_open("Audit checklist") and not trainer.may_open("Audit checklist")
    assert staff.may_open("Some page no role names"), "a page roles do not name is open"


def test_user_id_is_the_email_else_the_subject() -> None:
    s = AuthSettings()
    assert access_for({"email": "Ann@X.y", "sub": "123"}, s).user_id == "ann@x.y"
    assert access_for({"sub": "123", "name": "Ann"}, s).user_id == "123"
    with pytest.raises(ValueError, match="neither an email"):
        access_for({"name": "Nobody"}, s)


def test_auth_settings_from_environment_and_unknown_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISOGUIDE_AUTH__MAINTAINERS", '["lead@example.com"]')
    monkeypatch.setenv("ISOGUIDE_AUTH__CLAIM_ROLES", '{"admins": "maintainer"}')
    s = Settings()
    assert s.auth.maintainers == ["lead@example.com"]
    assert s.auth.claim_roles == {"admins": "maintainer"}
    assert s.auth.required is False
    with pytest.raises(ValueError):
        AuthSettings(colour="blue")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        AuthSettings(claim_roles={"x": "emperor"})  # type: ignore[dict-item]
