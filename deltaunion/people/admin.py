from django.contrib import admin

from deltaunion.people.models import Employer, SkillLevelRecord, Title, Worker


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "ownership", "organisation", "is_demo")
    list_filter = ("ownership", "is_demo")
    search_fields = ("name",)
    autocomplete_fields = ("organisation",)


class SkillLevelInline(admin.TabularInline):
    model = SkillLevelRecord
    extra = 0


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "employer", "skill_level", "is_member", "is_demo")
    list_filter = ("skill_level", "is_member", "is_demo")
    search_fields = ("name", "=id_number")
    autocomplete_fields = ("organisation", "employer")
    inlines = [SkillLevelInline]


admin.site.register(Title)
