from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from gongkai.lib.origin import same_site_post
from gongkai.orgs import views as orgs_views
from gongkai.orgs.lockout import LoginForm

accounts = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("second-factor/", orgs_views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/setup/", orgs_views.second_factor_setup, name="second_factor_setup"),
    path("second-factor/setup/qr.svg", orgs_views.second_factor_qr, name="second_factor_qr"),
    path("second-factor/off/", orgs_views.second_factor_disable, name="second_factor_disable"),
]

urlpatterns = [
    # The catalogue's district-wide pages (gongkai/catalog/, gongkai/search/) come before the portal's
    # gongkai/<slug>/, which has the same shape.
    # 双公示 (xinyong/shuanggongshi/) before the catalogue's credit columns (xinyong/<code>/).
    path("", include("gongkai.credit.urls")),
    path("", include("gongkai.catalog.urls_public")),
    path("", include("gongkai.requests.urls_public")),
    path("", include("gongkai.reports.urls_public")),  # gongkai/reports/, before the portal's gongkai/<slug>/
    path("", include("gongkai.portal.urls")),
    path("staff/", include("gongkai.catalog.urls_staff")),
    path("staff/requests/", include("gongkai.requests.urls_staff")),
    path("staff/credit/upstream/", include("gongkai.upstream.urls")),
    path("staff/credit/", include("gongkai.credit.urls_staff")),
    path("staff/statistics/", include("gongkai.reports.urls_stats")),
    path("staff/reports/", include("gongkai.reports.urls")),
    path("", include("gongkai.orgs.urls")),
    path("accounts/", include(accounts)),
    path("i18n/setlang/", same_site_post(set_language), name="set_language"),
    path("api/v1/", include("gongkai.api.urls")),
    path("admin/", admin.site.urls),
]
