"""The machine-readable copies, included by faqs.urls under SITE_URL's path (their
names stay in the `faqs` namespace: faqs:llms_txt, faqs:llms_page,
faqs:question_markdown). `faq/<slug>.md` has no trailing slash, so it never meets the
question page (`faq/<slug>/`) nor the site pages' catch-all."""

from django.urls import path

from machine_copies import views

urlpatterns = [
    path("llms.txt", views.llms_index, name="llms_txt"),
    path("llms/<str:page_number>.txt", views.llms_page, name="llms_page"),
    path("faq/<str:slug>.md", views.question_markdown, name="question_markdown"),
]
