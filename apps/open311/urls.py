"""Routes of /open311/v2/: GeoReport v2, each in .json and .xml."""

from django.urls import re_path

from . import views

app_name = "open311"

# Named "fmt", not "format": DRF leaves ".{format}" paths out of the OpenAPI schema.
FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", views.DiscoveryView.as_view(), name="discovery"),
    re_path(rf"^services{FORMAT}", views.ServiceListView.as_view(), name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+?){FORMAT}",
        views.ServiceDefinitionView.as_view(),
        name="service-definition",
    ),
    re_path(rf"^requests{FORMAT}", views.ServiceRequestListView.as_view(), name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+?){FORMAT}",
        views.ServiceRequestDetailView.as_view(),
        name="request",
    ),
    re_path(rf"^tokens/(?P<token>[^/]+?){FORMAT}", views.TokenView.as_view(), name="token"),
    # Anything else that asks for an Open311 format gets the spec's 404 in that format; paths
    # without a format suffix keep the project's JSON 404 (core.views.page_not_found).
    re_path(rf"^.+?{FORMAT}", views.UnknownPathView.as_view(), name="unknown"),
]
