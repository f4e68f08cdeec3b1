"""Practice pages: the workers' pages (worker_urls) and the officers' pages (officer_urls)."""

from deltaunion.practice.officer_urls import urlpatterns as officer_patterns
from deltaunion.practice.worker_urls import urlpatterns as worker_patterns

app_name = "practice"
urlpatterns = [*worker_patterns, *officer_patterns]
