"""nbgrader on the course's hub (hub/jupyterhub_config.py puts this folder on
JUPYTER_CONFIG_PATH): one exchange folder for the class; a student's submissions carry their
hub name, since every server runs as the hub's one system user."""

import os

c = get_config()  # noqa: F821 (nbgrader's config loader defines it)
c.CourseDirectory.course_id = os.environ.get("NBGRADER_COURSE", "neural-networks")
c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
_user = os.environ.get("JUPYTERHUB_USER")
if _user and _user not in os.environ.get("NBGRADER_TEACHERS", "").split(","):
    c.CourseDirectory.student_id = _user
