"""Password reset under ``/accounts/`` (Django's views; the mail goes through ``EMAIL_BACKEND``).

Sign-in and sign-out are ``web:login`` and ``web:logout`` (``actionplan.server.web.urls``).
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

T = "accounts/password_reset_"

urlpatterns = [
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name=f"{T}form.html",
            email_template_name=f"{T}email.html",
            subject_template_name=f"{T}subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=f"{T}done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=f"{T}confirm.html", success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name=f"{T}complete.html"),
        name="password_reset_complete",
    ),
]
