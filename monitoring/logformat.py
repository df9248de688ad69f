"""LOG_FORMAT=json: every log line one JSON object.

Read by the logging configuration before the apps are loaded: it imports no models.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served, carried by every line logged while it is.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# What every LogRecord has; anything else on a record was given as `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the request id, and the fields given as `extra`.

    Only plain values (text, numbers, booleans) of `extra` are written: an object such
    as the request Django passes to its loggers would show its full path, query string
    included.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current:
            line["request_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and _plain(value):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _plain(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
