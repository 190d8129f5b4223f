from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth import signals

        from . import otp, security

        # Replaced by security.on_signed_in, which also stores last_login, without a history row.
        signals.user_logged_in.disconnect(dispatch_uid="update_last_login")
        signals.user_logged_in.connect(security.on_signed_in, dispatch_uid="accounts_signed_in")
        signals.user_login_failed.connect(security.on_sign_in_failed, dispatch_uid="accounts_sign_in_failed")
        signals.user_logged_out.connect(security.on_signed_out, dispatch_uid="accounts_signed_out")
        signals.user_logged_in.connect(otp.on_signed_in, dispatch_uid="accounts_otp_signed_in")
