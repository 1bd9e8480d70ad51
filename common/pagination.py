from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Cursor pages for feeds: stable under inserts, never an offset a client can walk."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
