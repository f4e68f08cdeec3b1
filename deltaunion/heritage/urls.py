"""Heritage pages (namespace `heritage`)."""

from django.urls import path

from deltaunion.heritage import views

app_name = "heritage"
urlpatterns = [
    path("", views.map_view, name="map"),
    path("venues.xlsx", views.export_xlsx, name="export_xlsx"),
    path("venues.geojson", views.export_geojson, name="export_geojson"),
    path("venues/<int:venue_id>/", views.venue_detail, name="venue"),
    path("venues/<int:venue_id>/edit/", views.venue_edit, name="venue_edit"),
    path("venues/<int:venue_id>/status/", views.venue_status, name="venue_status"),
    path("venues/<int:venue_id>/photos/", views.venue_photo_add, name="venue_photo_add"),
    path("venues/<int:venue_id>/check-in/", views.venue_check_in, name="venue_check_in"),
    path("venues/<int:venue_id>/review/", views.venue_review, name="venue_review"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("routes/", views.route_list, name="routes"),
    path("routes/<int:route_id>/", views.route_detail, name="route"),
    path("routes/<int:route_id>/edit/", views.route_edit, name="route_edit"),
    path("routes/<int:route_id>/status/", views.route_status, name="route_status"),
    path("visits/", views.visits, name="visits"),
    path("manage/", views.manage, name="manage"),
    path("manage/venues/new/", views.venue_create, name="venue_create"),
    path("manage/routes/new/", views.route_create, name="route_create"),
    path("manage/import/", views.venue_import, name="venue_import"),
    path("manage/import-geojson/", views.venue_import_geojson, name="venue_import_geojson"),
]
