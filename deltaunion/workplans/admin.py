from django.contrib import admin

from deltaunion.workplans.models import JointMeeting, KeyTask, WorkPlan


class KeyTaskInline(admin.TabularInline):
    model = KeyTask
    extra = 0
    fields = ("number", "title", "kind", "tier", "lead_org", "lead_alliance", "deadline", "status")


@admin.register(JointMeeting)
class JointMeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "held_on", "place")


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "meeting")
    list_filter = ("year",)
    inlines = [KeyTaskInline]
