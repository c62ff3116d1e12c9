from __future__ import annotations

from web_builders import make_case


def test_organisation_admins_see_only_their_organisation_in_the_back_office(
    client, admin, alpha, other_org, charlie
):
    admin.is_staff = True
    admin.save()
    make_case(alpha, identity={"name": "Alpha Person"})
    make_case(other_org, identity={"name": "Other Person"})
    client.force_login(admin)

    r = client.get("/admin/cases/case/")

    assert r.status_code == 200
    assert "Alpha Person" in r.content.decode()
    assert "Other Person" not in r.content.decode()
    r = client.get("/admin/accounts/membership/")
    assert "charlie" not in r.content.decode()
    assert client.get("/admin/audit/auditevent/").status_code == 200


def test_members_who_are_not_admins_get_no_back_office(client, alice):
    alice.is_staff = True
    alice.save()
    client.force_login(alice)
    r = client.get("/admin/cases/case/")
    assert r.status_code in (302, 403)


def test_an_org_admin_cannot_move_people_between_organisations(client, admin, alice, other_org):
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    m = alice.membership
    r = client.post(
        f"/admin/accounts/membership/{m.pk}/change/", {"organisation": other_org.pk, "role": "read_only"}
    )
    m.refresh_from_db()
    assert m.organisation_id != other_org.pk
    assert r.status_code in (200, 302)
