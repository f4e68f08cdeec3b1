from django.contrib import admin

from deltaunion.orgs.models import Alliance, AllianceMember, Organisation, OrgRole, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Read-mostly here: the tree is changed through services so paths and audit stay right."""

    list_display = ("name", "kind", "parent", "region", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name",)
    readonly_fields = ("path", "depth", "parent", "kind")

    def has_add_permission(self, request):
        return False


class AllianceMemberInline(admin.TabularInline):
    model = AllianceMember
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    inlines = [AllianceMemberInline]


@admin.register(OrgRole)
class OrgRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    autocomplete_fields = ("organisation",)
