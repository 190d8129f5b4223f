app_name = "milestones"
urlpatterns: list = []
