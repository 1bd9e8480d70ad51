"""The Celery app with one no-op task added: the bench's yardstick for what one task per
nudge could never beat."""

from config.celery import app


@app.task(name="bench.noop", ignore_result=True)
def noop() -> None:
    return None
