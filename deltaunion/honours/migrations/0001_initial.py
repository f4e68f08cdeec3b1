import deltaunion.honours.models.results
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0001_initial"),
        ("contests", "0001_initial"),
        ("orgs", "0003_alliance_members_verbose_name"),
        ("people", "0001_initial"),
        ("workplans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RequiredMaterial",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=100, verbose_name="Material")),
                (
                    "kind",
                    models.CharField(
                        choices=[("text", "Text"), ("file", "File")], default="text", max_length=4, verbose_name="Form"
                    ),
                ),
                ("required", models.BooleanField(default=True, verbose_name="Required")),
                ("help", models.CharField(blank=True, default="", max_length=300, verbose_name="What to give")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="Order")),
            ],
            options={
                "verbose_name": "Required material",
                "verbose_name_plural": "Required materials",
                "ordering": ["selection", "order", "id"],
            },
        ),
        migrations.CreateModel(
            name="Exhibition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("title", models.CharField(max_length=200, verbose_name="Title")),
                ("description", models.TextField(blank=True, default="", verbose_name="Description")),
                ("place", models.CharField(blank=True, default="", max_length=200, verbose_name="Place")),
                ("opens_on", models.DateField(blank=True, null=True, verbose_name="Opens on")),
                ("closes_on", models.DateField(blank=True, null=True, verbose_name="Closes on")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published"), ("withdrawn", "Withdrawn")],
                        default="draft",
                        max_length=10,
                        verbose_name="Status",
                    ),
                ),
                ("is_demo", models.BooleanField(default=False, verbose_name="Demo data")),
                (
                    "key_task",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="honours_exhibitions",
                        to="workplans.keytask",
                        verbose_name="Key task",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exhibitions",
                        to="orgs.organisation",
                        verbose_name="Organiser",
                    ),
                ),
            ],
            options={
                "verbose_name": "Exhibition",
                "verbose_name_plural": "Exhibitions",
                "ordering": ["-opens_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Honour",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="Honour")),
                (
                    "recipient_kind",
                    models.CharField(
                        choices=[
                            ("person", "Person"),
                            ("team", "Team or collective"),
                            ("studio", "Innovation studio"),
                            ("result", "Innovation result"),
                        ],
                        max_length=8,
                        verbose_name="Conferred on",
                    ),
                ),
                (
                    "title_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("model_worker", "Model worker"),
                            ("craftsman", "Craftsman"),
                            ("grand_craftsman", "Grand craftsman"),
                            ("technical_expert", "Technical expert"),
                            ("gold_worker", "Gold-medal worker"),
                            ("other", "Other"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="Kind of title on the person's record",
                    ),
                ),
                (
                    "studio_level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("enterprise", "Enterprise level"),
                            ("city", "City level"),
                            ("provincial", "Provincial level"),
                            ("regional", "YRD regional alliance"),
                            ("national_demo", "National demonstration"),
                        ],
                        default="",
                        max_length=16,
                        verbose_name="Studio level recognised",
                    ),
                ),
                ("description", models.TextField(blank=True, default="", verbose_name="Description")),
            ],
            options={
                "verbose_name": "Honour",
                "verbose_name_plural": "Honours",
                "ordering": ["name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("recipient_kind", "studio"), ("studio_level", ""), _connector="OR"),
                        name="honour_level_only_for_studios",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("recipient_kind", "person"), ("title_kind", ""), _connector="OR"),
                        name="honour_title_only_for_people",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Category",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("places", models.PositiveIntegerField(verbose_name="Places")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="Order")),
                (
                    "honour",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="categories",
                        to="honours.honour",
                        verbose_name="Honour",
                    ),
                ),
            ],
            options={
                "verbose_name": "Category",
                "verbose_name_plural": "Categories",
                "ordering": ["selection", "order", "id"],
            },
        ),
        migrations.CreateModel(
            name="InnovationResult",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("title", models.CharField(max_length=200, verbose_name="Title")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("invention_patent", "Invention patent"),
                            ("utility_model", "Utility model"),
                            ("technique", "Technique or method of operation"),
                            ("management", "Management method"),
                        ],
                        max_length=20,
                        verbose_name="Kind of result",
                    ),
                ),
                (
                    "patent_number",
                    models.CharField(blank=True, default="", max_length=40, verbose_name="Patent number"),
                ),
                ("achieved_on", models.DateField(blank=True, null=True, verbose_name="Date")),
                (
                    "application_status",
                    models.CharField(
                        choices=[
                            ("not_applied", "Not yet in use"),
                            ("trial", "In trial use"),
                            ("applied", "In use"),
                            ("promoted", "Promoted to other units"),
                        ],
                        default="not_applied",
                        max_length=12,
                        verbose_name="Application",
                    ),
                ),
                (
                    "benefit_yuan",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=16,
                        null=True,
                        verbose_name="Certified economic benefit (yuan)",
                    ),
                ),
                (
                    "benefit_certified_by",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="Benefit certified by"),
                ),
                ("summary", models.TextField(blank=True, default="", verbose_name="Summary")),
                ("is_demo", models.BooleanField(default=False, verbose_name="Demo data")),
                (
                    "contest",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="innovation_results",
                        to="contests.contest",
                        verbose_name="Contest",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="innovation_results",
                        to="orgs.organisation",
                        verbose_name="Union",
                    ),
                ),
                (
                    "owners",
                    models.ManyToManyField(
                        blank=True, related_name="innovation_results", to="people.worker", verbose_name="Owners"
                    ),
                ),
            ],
            options={
                "verbose_name": "Innovation result",
                "verbose_name_plural": "Innovation results",
                "ordering": ["-achieved_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ExhibitionItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="Position")),
                ("note", models.CharField(blank=True, default="", max_length=300, verbose_name="Curator's note")),
                (
                    "exhibition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="honours.exhibition",
                        verbose_name="Exhibition",
                    ),
                ),
                (
                    "result",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exhibition_items",
                        to="honours.innovationresult",
                        verbose_name="Innovation result",
                    ),
                ),
            ],
            options={
                "verbose_name": "Exhibited result",
                "verbose_name_plural": "Exhibited results",
                "ordering": ["exhibition", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="Nomination",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("person", "Person"),
                            ("team", "Team or collective"),
                            ("studio", "Innovation studio"),
                            ("result", "Innovation result"),
                        ],
                        max_length=8,
                        verbose_name="Nominee",
                    ),
                ),
                (
                    "team_name",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="Team or collective"),
                ),
                (
                    "years_in_trade",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="Years in the trade"),
                ),
                ("statement", models.TextField(blank=True, default="", verbose_name="Deeds and reasons")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("in_review", "In expert review"),
                            ("on_notice", "On public notice"),
                            ("named", "Named"),
                            ("not_selected", "Not selected"),
                            ("withdrawn", "Withdrawn"),
                            ("disqualified", "Disqualified"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="Status",
                    ),
                ),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="Submitted at")),
                ("checked_at", models.DateTimeField(blank=True, null=True, verbose_name="Checked at")),
                ("reason", models.TextField(blank=True, default="", verbose_name="Reasons")),
                (
                    "score",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name="Score"),
                ),
                ("rank", models.PositiveIntegerField(blank=True, null=True, verbose_name="Rank")),
                ("outlier_flagged", models.BooleanField(default=False, verbose_name="Outlying score flagged")),
                ("outlier_resolved", models.BooleanField(default=False, verbose_name="Outlier decided by the chair")),
                (
                    "outlier_q",
                    models.DecimalField(
                        blank=True, decimal_places=3, max_digits=5, null=True, verbose_name="Dixon's Q"
                    ),
                ),
                (
                    "outlier_note",
                    models.CharField(blank=True, default="", max_length=300, verbose_name="Chair's decision"),
                ),
                ("outlier_basis", models.CharField(blank=True, default="", editable=False, max_length=64)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="honours.category",
                        verbose_name="Category",
                    ),
                ),
                (
                    "checked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Checked by",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Drafted by",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="honour_nominations",
                        to="orgs.organisation",
                        verbose_name="Nominating union",
                    ),
                ),
                (
                    "result",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="honours.innovationresult",
                        verbose_name="Innovation result",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Submitted by",
                    ),
                ),
                (
                    "team_employer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.employer",
                        verbose_name="Employer",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="nominations",
                        to="people.worker",
                        verbose_name="Person",
                    ),
                ),
            ],
            options={
                "verbose_name": "Nomination",
                "verbose_name_plural": "Nominations",
                "ordering": ["selection", "category", "rank", "id"],
            },
        ),
        migrations.CreateModel(
            name="Objection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("contact", models.CharField(blank=True, default="", max_length=100, verbose_name="Contact")),
                ("text", models.TextField(verbose_name="Objection")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Awaiting an answer"), ("upheld", "Upheld"), ("dismissed", "Dismissed")],
                        default="open",
                        max_length=10,
                        verbose_name="Status",
                    ),
                ),
                ("response", models.TextField(blank=True, default="", verbose_name="Response")),
                ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="Answered at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Filed at")),
                (
                    "filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Filed by",
                    ),
                ),
                (
                    "nomination",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objections",
                        to="honours.nomination",
                        verbose_name="Nomination",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Answered by",
                    ),
                ),
            ],
            options={
                "verbose_name": "Objection",
                "verbose_name_plural": "Objections",
                "ordering": ["nomination", "created_at"],
            },
        ),
        migrations.CreateModel(
            name="Panel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="Panel")),
                ("signed_off_at", models.DateTimeField(blank=True, null=True, verbose_name="Signed off at")),
                (
                    "categories",
                    models.ManyToManyField(related_name="panels", to="honours.category", verbose_name="Categories"),
                ),
                (
                    "signed_off_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Signed off by",
                    ),
                ),
            ],
            options={
                "verbose_name": "Review panel",
                "verbose_name_plural": "Review panels",
                "ordering": ["selection", "id"],
            },
        ),
        migrations.CreateModel(
            name="PanelMember",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("is_chair", models.BooleanField(default=False, verbose_name="Chair")),
                ("employer_name", models.CharField(blank=True, default="", max_length=200, verbose_name="Employer")),
                (
                    "city",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.region",
                        verbose_name="City",
                    ),
                ),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.employer",
                        verbose_name="Employer",
                    ),
                ),
                (
                    "panel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="honours.panel",
                        verbose_name="Panel",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="honours_panel_seats",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Expert",
                    ),
                ),
            ],
            options={
                "verbose_name": "Panel member",
                "verbose_name_plural": "Panel members",
                "ordering": ["panel", "-is_chair", "id"],
            },
        ),
        migrations.CreateModel(
            name="MaterialAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("text", models.TextField(blank=True, default="", verbose_name="Text")),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=200, upload_to="honours/materials/%Y/", verbose_name="File"
                    ),
                ),
                ("filename", models.CharField(blank=True, default="", max_length=200, verbose_name="File name")),
                ("content_type", models.CharField(blank=True, default="", max_length=80)),
                (
                    "nomination",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="honours.nomination",
                        verbose_name="Nomination",
                    ),
                ),
                (
                    "material",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="honours.requiredmaterial",
                        verbose_name="Required material",
                    ),
                ),
            ],
            options={
                "verbose_name": "Material given",
                "verbose_name_plural": "Materials given",
                "ordering": ["nomination", "material__order", "id"],
            },
        ),
        migrations.CreateModel(
            name="ResultPhoto",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                (
                    "image",
                    models.FileField(
                        max_length=200,
                        upload_to=deltaunion.honours.models.results.result_photo_path,
                        verbose_name="Photo",
                    ),
                ),
                ("content_type", models.CharField(default="image/jpeg", max_length=40)),
                ("caption", models.CharField(blank=True, default="", max_length=200, verbose_name="Caption")),
                ("credit", models.CharField(max_length=200, verbose_name="Photo credit and licence")),
                (
                    "result",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="honours.innovationresult",
                        verbose_name="Innovation result",
                    ),
                ),
            ],
            options={
                "verbose_name": "Result photo",
                "verbose_name_plural": "Result photos",
                "ordering": ["result", "id"],
            },
        ),
        migrations.CreateModel(
            name="Review",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scores", models.JSONField(default=dict, verbose_name="Scores")),
                ("total", models.DecimalField(decimal_places=2, max_digits=6, verbose_name="Total")),
                ("comment", models.TextField(blank=True, default="", verbose_name="Comment")),
                ("submitted_at", models.DateTimeField(verbose_name="Submitted at")),
                ("excluded", models.BooleanField(default=False, verbose_name="Set aside by the chair")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="honours.panelmember",
                        verbose_name="Expert",
                    ),
                ),
                (
                    "nomination",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="honours.nomination",
                        verbose_name="Nomination",
                    ),
                ),
            ],
            options={
                "verbose_name": "Score sheet",
                "verbose_name_plural": "Score sheets",
                "ordering": ["nomination", "id"],
            },
        ),
        migrations.AddField(
            model_name="nomination",
            name="outlier_review",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="honours.review",
                verbose_name="Outlying score",
            ),
        ),
        migrations.CreateModel(
            name="Selection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("title", models.CharField(max_length=200, verbose_name="Title")),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="Year")),
                ("issuing_body", models.CharField(max_length=200, verbose_name="Conferred by")),
                ("description", models.TextField(blank=True, default="", verbose_name="Description")),
                ("nominations_open_on", models.DateField(blank=True, null=True, verbose_name="Nominations open on")),
                ("nominations_close_on", models.DateField(blank=True, null=True, verbose_name="Nominations close on")),
                ("review_by", models.DateField(blank=True, null=True, verbose_name="Expert review by")),
                ("notice_days", models.PositiveSmallIntegerField(default=7, verbose_name="Public notice (days)")),
                ("naming_on", models.DateField(blank=True, null=True, verbose_name="Naming date")),
                ("trades", models.JSONField(blank=True, default=list, verbose_name="Trades")),
                (
                    "min_years",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="Minimum years in the trade"),
                ),
                (
                    "skill_level_at_least",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (5, "Level 5 / junior worker"),
                            (4, "Level 4 / intermediate worker"),
                            (3, "Level 3 / senior worker"),
                            (2, "Level 2 / technician"),
                            (1, "Level 1 / senior technician"),
                        ],
                        null=True,
                        verbose_name="Skill level at least",
                    ),
                ),
                (
                    "prior_title_kinds",
                    models.JSONField(blank=True, default=list, verbose_name="Prior honours required (any of)"),
                ),
                ("members_only", models.BooleanField(default=True, verbose_name="Union members only")),
                (
                    "conflict_same_city",
                    models.BooleanField(default=False, verbose_name="Experts never score nominees of their own city"),
                ),
                ("min_reviews", models.PositiveSmallIntegerField(default=3, verbose_name="Experts per nomination")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "In preparation"),
                            ("open", "Open for nominations"),
                            ("review", "Checking and expert review"),
                            ("notice", "On public notice"),
                            ("published", "Named and published"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="Status",
                    ),
                ),
                ("notice_until", models.DateTimeField(blank=True, null=True, verbose_name="Notice until")),
                ("named_at", models.DateTimeField(blank=True, null=True, verbose_name="Named at")),
                ("is_demo", models.BooleanField(default=False, verbose_name="Demo data")),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="selections",
                        to="campaigns.campaign",
                        verbose_name="Campaign",
                    ),
                ),
                (
                    "contest",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="selections",
                        to="contests.contest",
                        verbose_name="Contest",
                    ),
                ),
                (
                    "key_task",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="selections",
                        to="workplans.keytask",
                        verbose_name="Key task",
                    ),
                ),
                (
                    "lead_org",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="led_selections",
                        to="orgs.organisation",
                        verbose_name="Organiser",
                    ),
                ),
                (
                    "named_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Named by",
                    ),
                ),
            ],
            options={
                "verbose_name": "Selection",
                "verbose_name_plural": "Selections",
                "ordering": ["-year", "-id"],
            },
        ),
        migrations.AddField(
            model_name="requiredmaterial",
            name="selection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="materials",
                to="honours.selection",
                verbose_name="Selection",
            ),
        ),
        migrations.CreateModel(
            name="Quota",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("places", models.PositiveIntegerField(verbose_name="Places")),
                ("used", models.PositiveIntegerField(default=0, verbose_name="Used")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="Nominating union",
                    ),
                ),
                (
                    "selection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="quotas",
                        to="honours.selection",
                        verbose_name="Selection",
                    ),
                ),
            ],
            options={
                "verbose_name": "Nomination quota",
                "verbose_name_plural": "Nomination quotas",
                "ordering": ["selection", "organisation__path"],
            },
        ),
        migrations.AddField(
            model_name="panel",
            name="selection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="panels",
                to="honours.selection",
                verbose_name="Selection",
            ),
        ),
        migrations.AddField(
            model_name="nomination",
            name="selection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="nominations",
                to="honours.selection",
                verbose_name="Selection",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="selection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="categories",
                to="honours.selection",
                verbose_name="Selection",
            ),
        ),
        migrations.CreateModel(
            name="Studio",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("name", models.CharField(max_length=120, verbose_name="Studio name")),
                (
                    "industry",
                    models.CharField(
                        choices=[
                            ("manufacturing", "Manufacturing"),
                            ("energy", "Power, heat, gas and water"),
                            ("mining", "Mining"),
                            ("construction", "Construction"),
                            ("transport", "Transport and logistics"),
                            ("it", "Information technology"),
                            ("research", "Research and technical services"),
                            ("services", "Other services"),
                            ("other", "Other"),
                        ],
                        default="manufacturing",
                        max_length=16,
                        verbose_name="Industry",
                    ),
                ),
                ("site", models.CharField(blank=True, default="", max_length=300, verbose_name="Site")),
                ("equipment", models.TextField(blank=True, default="", verbose_name="Facilities and equipment")),
                ("rules", models.TextField(blank=True, default="", verbose_name="Working rules")),
                (
                    "funding_yuan",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="Yearly funding (yuan)"
                    ),
                ),
                ("founded_on", models.DateField(blank=True, null=True, verbose_name="Founded on")),
                (
                    "level",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("enterprise", "Enterprise level"),
                            ("city", "City level"),
                            ("provincial", "Provincial level"),
                            ("regional", "YRD regional alliance"),
                            ("national_demo", "National demonstration"),
                        ],
                        default="",
                        max_length=16,
                        verbose_name="Level",
                    ),
                ),
                ("is_demo", models.BooleanField(default=False, verbose_name="Demo data")),
                (
                    "employer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="studios",
                        to="people.employer",
                        verbose_name="Employer",
                    ),
                ),
                (
                    "lead",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="led_studios",
                        to="people.worker",
                        verbose_name="Lead",
                    ),
                ),
                (
                    "members",
                    models.ManyToManyField(
                        blank=True, related_name="studios", to="people.worker", verbose_name="Team members"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="studios",
                        to="orgs.organisation",
                        verbose_name="Union",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.region",
                        verbose_name="Province",
                    ),
                ),
            ],
            options={
                "verbose_name": "Innovation studio",
                "verbose_name_plural": "Innovation studios",
                "ordering": ["name", "id"],
            },
        ),
        migrations.AddField(
            model_name="nomination",
            name="studio",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="nominations",
                to="honours.studio",
                verbose_name="Studio",
            ),
        ),
        migrations.AddField(
            model_name="innovationresult",
            name="studio",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="results",
                to="honours.studio",
                verbose_name="Studio",
            ),
        ),
        migrations.CreateModel(
            name="Award",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="Year")),
                ("named_on", models.DateField(verbose_name="Named on")),
                ("issuing_body", models.CharField(max_length=200, verbose_name="Conferred by")),
                (
                    "recipient_kind",
                    models.CharField(
                        choices=[
                            ("person", "Person"),
                            ("team", "Team or collective"),
                            ("studio", "Innovation studio"),
                            ("result", "Innovation result"),
                        ],
                        max_length=8,
                        verbose_name="Conferred on",
                    ),
                ),
                ("recipient_name", models.CharField(max_length=200, verbose_name="Name")),
                (
                    "team_name",
                    models.CharField(blank=True, default="", max_length=200, verbose_name="Team or collective"),
                ),
                ("employer_name", models.CharField(blank=True, default="", max_length=200, verbose_name="Employer")),
                ("code", models.CharField(max_length=16, unique=True, verbose_name="Certificate code")),
                (
                    "status",
                    models.CharField(
                        choices=[("valid", "Valid"), ("revoked", "Revoked")],
                        default="valid",
                        max_length=8,
                        verbose_name="Status",
                    ),
                ),
                ("revoke_reason", models.TextField(blank=True, default="", verbose_name="Reason for revoking")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.organisation",
                        verbose_name="Nominating union",
                    ),
                ),
                (
                    "title",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="people.title",
                        verbose_name="Honorary title",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="honours",
                        to="people.worker",
                        verbose_name="Person",
                    ),
                ),
                (
                    "honour",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="awards",
                        to="honours.honour",
                        verbose_name="Honour",
                    ),
                ),
                (
                    "result",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="awards",
                        to="honours.innovationresult",
                        verbose_name="Innovation result",
                    ),
                ),
                (
                    "nomination",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award",
                        to="honours.nomination",
                        verbose_name="Nomination",
                    ),
                ),
                (
                    "selection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="awards",
                        to="honours.selection",
                        verbose_name="Selection",
                    ),
                ),
                (
                    "studio",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="honours",
                        to="honours.studio",
                        verbose_name="Studio",
                    ),
                ),
            ],
            options={
                "verbose_name": "Named honour",
                "verbose_name_plural": "Named honours",
                "ordering": ["-year", "honour__name", "id"],
            },
        ),
        migrations.CreateModel(
            name="StudioCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                (
                    "item",
                    models.CharField(
                        choices=[
                            ("lead", "Led by a model worker or craftsman"),
                            ("team", "Has an innovation team"),
                            ("site", "Has a place to work"),
                            ("equipment", "Has facilities and equipment"),
                            ("rules", "Has working rules"),
                            ("funding", "Has secured funding"),
                            ("results", "Has innovation results"),
                        ],
                        max_length=12,
                        verbose_name="Item of the standard",
                    ),
                ),
                ("evidence", models.TextField(blank=True, default="", verbose_name="Evidence")),
                (
                    "studio",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checks",
                        to="honours.studio",
                        verbose_name="Studio",
                    ),
                ),
            ],
            options={
                "verbose_name": "Seven-haves item",
                "verbose_name_plural": "Seven-haves items",
                "ordering": ["studio", "id"],
            },
        ),
        migrations.CreateModel(
            name="StudioRecognition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("enterprise", "Enterprise level"),
                            ("city", "City level"),
                            ("provincial", "Provincial level"),
                            ("regional", "YRD regional alliance"),
                            ("national_demo", "National demonstration"),
                        ],
                        max_length=16,
                        verbose_name="Level",
                    ),
                ),
                ("recognised_on", models.DateField(verbose_name="Recognised on")),
                ("body", models.CharField(max_length=200, verbose_name="Recognised by")),
                ("title", models.CharField(blank=True, default="", max_length=200, verbose_name="Title conferred")),
                (
                    "award",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="studio_recognition",
                        to="honours.award",
                        verbose_name="Honour",
                    ),
                ),
                (
                    "studio",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recognitions",
                        to="honours.studio",
                        verbose_name="Studio",
                    ),
                ),
            ],
            options={
                "verbose_name": "Studio recognition",
                "verbose_name_plural": "Studio recognitions",
                "ordering": ["studio", "-recognised_on", "id"],
            },
        ),
        migrations.CreateModel(
            name="StudioReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="Created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="Updated at")),
                ("year", models.PositiveSmallIntegerField(verbose_name="Year")),
                ("topics", models.PositiveIntegerField(default=0, verbose_name="Innovation topics")),
                ("projects", models.PositiveIntegerField(default=0, verbose_name="Tackling projects")),
                ("results", models.PositiveIntegerField(default=0, verbose_name="Innovation results")),
                ("applied_results", models.PositiveIntegerField(default=0, verbose_name="Results put into use")),
                ("patents", models.PositiveIntegerField(default=0, verbose_name="Patents")),
                (
                    "savings_yuan",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=16, verbose_name="Economic benefit (yuan)"
                    ),
                ),
                (
                    "studio",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="honours.studio",
                        verbose_name="Studio",
                    ),
                ),
            ],
            options={
                "verbose_name": "Studio yearly report",
                "verbose_name_plural": "Studio yearly reports",
                "ordering": ["studio", "-year"],
            },
        ),
        migrations.CreateModel(
            name="Criterion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="Criterion")),
                ("weight", models.DecimalField(decimal_places=2, max_digits=5, verbose_name="Weight")),
                (
                    "max_score",
                    models.DecimalField(decimal_places=2, default=10, max_digits=6, verbose_name="Full marks"),
                ),
                ("guidance", models.TextField(blank=True, default="", verbose_name="Scoring guidance")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="Order")),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="criteria",
                        to="honours.category",
                        verbose_name="Category",
                    ),
                ),
            ],
            options={
                "verbose_name": "Criterion",
                "verbose_name_plural": "Criteria",
                "ordering": ["category", "order", "id"],
                "constraints": [
                    models.UniqueConstraint(fields=("category", "name"), name="criterion_unique_name"),
                    models.CheckConstraint(condition=models.Q(("weight__gt", 0)), name="criterion_weight_positive"),
                    models.CheckConstraint(condition=models.Q(("max_score__gt", 0)), name="criterion_max_positive"),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="exhibition",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("opens_on__isnull", True),
                    ("closes_on__isnull", True),
                    ("closes_on__gte", models.F("opens_on")),
                    _connector="OR",
                ),
                name="exhibition_dates_in_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="exhibitionitem",
            constraint=models.UniqueConstraint(fields=("exhibition", "result"), name="exhibition_item_unique"),
        ),
        migrations.AddConstraint(
            model_name="panelmember",
            constraint=models.UniqueConstraint(fields=("panel", "user"), name="panel_member_unique"),
        ),
        migrations.AddConstraint(
            model_name="panelmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_chair", True)), fields=("panel",), name="panel_one_chair"
            ),
        ),
        migrations.AddConstraint(
            model_name="materialanswer",
            constraint=models.UniqueConstraint(fields=("nomination", "material"), name="material_answer_unique"),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.UniqueConstraint(fields=("nomination", "member"), name="review_one_per_expert"),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(("total__gte", 0), ("total__lte", 100)), name="review_total_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="selection",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1949), ("year__lte", 2100)), name="selection_year_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="selection",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_reviews__gte", 3)), name="selection_three_experts_at_least"
            ),
        ),
        migrations.AddConstraint(
            model_name="selection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("nominations_open_on__isnull", True),
                    ("nominations_close_on__isnull", True),
                    ("nominations_close_on__gte", models.F("nominations_open_on")),
                    _connector="OR",
                ),
                name="selection_nomination_dates_in_order",
            ),
        ),
        migrations.AddConstraint(
            model_name="requiredmaterial",
            constraint=models.UniqueConstraint(fields=("selection", "label"), name="material_unique_label"),
        ),
        migrations.AddConstraint(
            model_name="quota",
            constraint=models.UniqueConstraint(fields=("selection", "organisation"), name="honours_quota_unique_org"),
        ),
        migrations.AddConstraint(
            model_name="quota",
            constraint=models.CheckConstraint(
                condition=models.Q(("used__gte", 0), ("used__lte", models.F("places"))),
                name="honours_quota_used_within_places",
            ),
        ),
        migrations.AddConstraint(
            model_name="panel",
            constraint=models.UniqueConstraint(fields=("selection", "name"), name="panel_unique_name"),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.UniqueConstraint(fields=("selection", "honour"), name="category_unique_honour"),
        ),
        migrations.AddConstraint(
            model_name="category",
            constraint=models.CheckConstraint(condition=models.Q(("places__gte", 1)), name="category_places_positive"),
        ),
        migrations.AddIndex(
            model_name="studio",
            index=models.Index(fields=["province", "level"], name="studio_province_level_idx"),
        ),
        migrations.AddConstraint(
            model_name="studio",
            constraint=models.UniqueConstraint(fields=("organisation", "name"), name="studio_unique_name_in_org"),
        ),
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(fields=["selection", "status"], name="nomination_selection_status"),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "person"), ("worker__isnull", False)),
                    models.Q(("kind", "studio"), ("studio__isnull", False)),
                    models.Q(("kind", "result"), ("result__isnull", False)),
                    models.Q(("kind", "team"), models.Q(("team_name", ""), _negated=True)),
                    _connector="OR",
                ),
                name="nomination_has_its_nominee",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("checked_by__isnull", True),
                    models.Q(("checked_by", models.F("submitted_by")), _negated=True),
                    _connector="OR",
                ),
                name="nomination_checker_not_submitter",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(
                condition=models.Q(("worker__isnull", False), models.Q(("status", "withdrawn"), _negated=True)),
                fields=("category", "worker"),
                name="nomination_one_per_person",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(
                condition=models.Q(("studio__isnull", False), models.Q(("status", "withdrawn"), _negated=True)),
                fields=("category", "studio"),
                name="nomination_one_per_studio",
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.UniqueConstraint(
                condition=models.Q(("result__isnull", False), models.Q(("status", "withdrawn"), _negated=True)),
                fields=("category", "result"),
                name="nomination_one_per_result",
            ),
        ),
        migrations.AddConstraint(
            model_name="innovationresult",
            constraint=models.CheckConstraint(
                condition=models.Q(("benefit_yuan__isnull", True), ("benefit_yuan__gte", 0), _connector="OR"),
                name="result_benefit_nonnegative",
            ),
        ),
        migrations.AddConstraint(
            model_name="innovationresult",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("benefit_yuan__isnull", True),
                    models.Q(("benefit_certified_by", ""), _negated=True),
                    _connector="OR",
                ),
                name="result_benefit_has_certifier",
            ),
        ),
        migrations.AddIndex(
            model_name="award",
            index=models.Index(fields=["honour", "year"], name="award_honour_year_idx"),
        ),
        migrations.AddConstraint(
            model_name="studiocheck",
            constraint=models.UniqueConstraint(fields=("studio", "item"), name="studio_check_unique_item"),
        ),
        migrations.AddConstraint(
            model_name="studioreport",
            constraint=models.UniqueConstraint(fields=("studio", "year"), name="studio_report_unique_year"),
        ),
        migrations.AddConstraint(
            model_name="studioreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("applied_results__lte", models.F("results"))),
                name="studio_report_applied_le_results",
            ),
        ),
        migrations.AddConstraint(
            model_name="studioreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("savings_yuan__gte", 0)), name="studio_report_savings_nonnegative"
            ),
        ),
        migrations.AddConstraint(
            model_name="studioreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1949), ("year__lte", 2100)), name="studio_report_year_range"
            ),
        ),
    ]
