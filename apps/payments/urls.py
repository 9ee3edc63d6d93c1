"""Routes of /payments/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PaymentListView.as_view(), name="payment-list"),
    path("history/", views.PaymentListView.as_view(), name="payment-history"),
    path("services/", views.PayableServiceListView.as_view(), name="payment-services"),
    path("process/", views.ProcessView.as_view(), name="payment-process"),
    path("verify/", views.VerifyView.as_view(), name="payment-verify"),
    path("callback/<str:gateway>/", views.CallbackView.as_view(), name="payment-callback"),
    path(
        "bkash/callback/",
        views.CallbackView.as_view(),
        {"gateway": "bkash"},
        name="payment-bkash-callback",
    ),
    path("ipn/sslcommerz/", views.SslCommerzIpnView.as_view(), name="payment-ipn-sslcommerz"),
    path("result/", views.result_page, name="payment-result"),
    path("refund/", views.RefundRequestView.as_view(), name="payment-refund"),
    path("refunds/", views.RefundListView.as_view(), name="payment-refund-list"),
    path(
        "refunds/<uuid:refund_id>/<str:decision>/",
        views.RefundDecisionView.as_view(),
        name="payment-refund-decision",
    ),
    path("<uuid:payment_id>/", views.PaymentDetailView.as_view(), name="payment-detail"),
    path(
        "<uuid:payment_id>/receipt/",
        views.PaymentReceiptView.as_view(),
        name="payment-receipt",
    ),
]
