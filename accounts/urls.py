"""The password reset pages, under the admin's path and by the names Django's admin
and auth views look for (no namespace): included in certfaq/urls.py before the admin."""

from django.urls import path

from accounts import passwords

urlpatterns = [
    path("password_reset/", passwords.PasswordResetView.as_view(), name="admin_password_reset"),
    path("password_reset/done/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("reset/done/", passwords.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
