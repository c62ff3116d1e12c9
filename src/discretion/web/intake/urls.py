from __future__ import annotations

app_name = "intake"
urlpatterns: list = []
