"""wp-json/ routes, as WordPress names them."""

from django.urls import path, re_path

from wordpress import api

urlpatterns = [
    path("", api.index, name="wp_index"),
    path("wp/v2", api.namespace_index),
    path("wp/v2/", api.namespace_index, name="wp_namespace"),
    path("wp/v2/faq", api.faq_collection, name="wp_faq_collection"),
    path("wp/v2/faq/<int:question_id>", api.faq_item, name="wp_faq_item"),
    path("wp/v2/faq-categories", api.term_collection, name="wp_term_collection"),
    path("wp/v2/faq-categories/<int:term_id>", api.term_item, name="wp_term_item"),
    # WordPress answers with or without a trailing slash.
    path("wp/v2/faq/", api.faq_collection),
    path("wp/v2/faq/<int:question_id>/", api.faq_item),
    path("wp/v2/faq-categories/", api.term_collection),
    path("wp/v2/faq-categories/<int:term_id>/", api.term_item),
    path("wp/v2/users", api.user_collection, name="wp_user_collection"),
    path("wp/v2/users/<int:user_id>", api.user_item, name="wp_user_item"),
    path("wp/v2/users/", api.user_collection),
    path("wp/v2/users/<int:user_id>/", api.user_item),
    path("wp/v2/types/faq", api.faq_type),
    path("wp/v2/taxonomies/faq-categories", api.faq_taxonomy),
    path("wp/v2/media", api.media_collection),
    path("wp/v2/media/<int:media_id>", api.media_item, name="wp_media_item"),
    path("wp/v2/media/<int:media_id>/", api.media_item),
    re_path(r"^(?P<rest>.*)$", api.unknown_route),
]
