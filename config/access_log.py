"""The development server's request lines lose their query string, as gunicorn's access log does
(config/gunicorn.py): a search or a link there can carry an ID or mobile number (issue 11)."""

import logging
import re

QUERY = re.compile(r"\?[^\s\"]*")


class DropQueryString(logging.Filter):
    def filter(self, record):
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (QUERY.sub("", record.args[0]), *record.args[1:])
        return True
