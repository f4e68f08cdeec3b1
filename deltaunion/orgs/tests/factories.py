"""factory_boy factories for orgs.

Organisations are created through `organisation_create`, the service, so `path` and `depth`
are what the real code computes; a factory that wrote the model directly would test nothing.
Roles are granted through `org_role_grant`. Without `by`, the system does it (no permission check).
"""

from __future__ import annotations

import factory

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.orgs.models import Organisation, OrgRole, Region, Role
from deltaunion.orgs.services import org_role_grant, organisation_create

K = Organisation.Kind

# The kind a child gets by default under a parent of each kind.
DEFAULT_CHILD_KIND = {
    None: K.ACFTU,
    K.ACFTU: K.PROVINCIAL,
    K.PROVINCIAL: K.CITY,
    K.CITY: K.GRASSROOTS,
    K.DISTRICT: K.GRASSROOTS,
    K.INDUSTRY: K.GRASSROOTS,
}


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"33{(n % 9000) + 1000:04d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = Region.Level.PREFECTURE
    parent = None


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试工会{n}")
    parent = None
    kind = factory.LazyAttribute(lambda o: DEFAULT_CHILD_KIND[o.parent.kind if o.parent else None])
    region = None
    short_name = ""
    is_demo = False
    source = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        by = kwargs.pop("by", None)
        return organisation_create(by=by, **kwargs)


class OrgRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgRole

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_role_grant(by=kwargs.pop("by", None), **kwargs)
