"""The "Was this helpful?" endpoint, included by faqs.urls under SITE_URL's path (its
names stay in the `faqs` namespace: faqs:feedback_vote, faqs:feedback_reason)."""

from django.urls import path

from feedback import views

urlpatterns = [
    path("feedback/<int:question_id>/", views.vote, name="feedback_vote"),
    path("feedback/<int:question_id>/reason/", views.reason, name="feedback_reason"),
]
