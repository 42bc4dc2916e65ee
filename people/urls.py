from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("author/<str:slug>/", views.author_page, name="author"),
    path("author/<str:slug>/page/<int:page_number>/", views.author_page, name="author_page"),
]
