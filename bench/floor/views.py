from django.db import connection
from django.http import JsonResponse


def floor(request):
    """One SELECT and a small JSON answer: the least a database-backed endpoint can do."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return JsonResponse({"ok": one})
