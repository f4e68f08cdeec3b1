# The `english` fixture lives in the root conftest.py (shared with the practice tests).
