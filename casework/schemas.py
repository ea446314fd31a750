"""Case work's API schemas (``ninja.Schema``), for the endpoints of ``casework.api``: none yet."""
