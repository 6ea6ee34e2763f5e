"""JupyterHub for a class on one machine: `make hub` starts it on 127.0.0.1.

For testing and for a small class on a server of your own:
- every user logs in with one shared password (DummyAuthenticator, $HUB_PASSWORD);
- each user's server runs as the hub's own system user, with its own home folder under
  hub/homes/ (SimpleLocalProcessSpawner), and gets the students' notebooks there;
- nbgitpuller is installed, so a link can hand out (and later update) the notebooks;
- the idle culler stops servers idle for an hour;
- nbgrader's exchange lives in hub/exchange (see hub/nbgrader_config.py).

A real deployment changes the authenticator (the university's login: LTI, OAuth, LDAP), runs
each user as a system user of their own (The Littlest JupyterHub, SystemdSpawner) or in a
container (Zero to JupyterHub on Kubernetes: hub/values.yaml), which also enforce the memory
and CPU limits below; this spawner only announces them to the server ($MEM_LIMIT).
"""

import os
import shutil
import sys
from pathlib import Path

HUB = Path(__file__).resolve().parent
ROOT = HUB.parent
VENV_BIN = Path(sys.executable).parent
STATE = Path(os.environ.get("HUB_STATE", HUB / "state"))  # the hub's database, cookie secret
HOMES = Path(os.environ.get("HUB_HOMES", HUB / "homes"))
RUNTIME = Path(os.environ.get("HUB_RUNTIME", f"/tmp/course-hub-{os.getuid()}"))
TEACHERS = set(filter(None, os.environ.get("HUB_TEACHERS", "teacher").split(",")))

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

# ---------------------------------------------------------------- the hub, on loopback only
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.command = [str(HUB / "node_modules" / ".bin" / "configurable-http-proxy")]
PROXY_API_PORT = int(os.environ.get("HUB_PROXY_API_PORT", "8001"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
STATE.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# ---------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("HUB_PASSWORD", "")
c.Authenticator.allow_all = True
c.Authenticator.admin_users = TEACHERS

# A token for scripts (the load test, the nbgrader test): it may create users, start their
# servers and use them. Unset, there is none.
if os.environ.get("HUB_ADMIN_TOKEN"):
    c.JupyterHub.services = [{"name": "course-admin", "api_token": os.environ["HUB_ADMIN_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "course-admin",
        "scopes": ["admin:users", "admin:servers", "access:servers", "tokens", "list:users",
                   "read:users"],
        "services": ["course-admin"],
    }]
else:
    c.JupyterHub.services = []
    c.JupyterHub.load_roles = []

# ---------------------------------------------------------------- stop idle servers
c.JupyterHub.services.append({
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={int(os.environ.get('HUB_IDLE_TIMEOUT', '3600'))}"],
})
c.JupyterHub.load_roles.append({
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})

# ---------------------------------------------------------------- each user's server
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
# Kernels talk to their server over Unix sockets in the user's runtime folder: with TCP, many
# kernels starting at once (40 on this machine) pick the same free port and fail. A hub
# started by root (a container, CI) runs the servers as root too.
c.Spawner.args = ["--KernelManager.transport=ipc", *(["--allow-root"] if os.getuid() == 0 else [])]
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Announced to the server (jupyter-resource-usage shows it); enforced only by a spawner with
# cgroups or containers. From the measured peak of a student's kernel (README, teachers).
c.Spawner.mem_limit = os.environ.get("HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("HUB_CPU_LIMIT", "1"))
EXCHANGE = Path(os.environ.get("HUB_EXCHANGE", HUB / "exchange"))
EXCHANGE.mkdir(parents=True, exist_ok=True)
EXCHANGE.chmod(0o777)  # nbgrader's exchange: every user writes their submissions here
c.Spawner.environment = {
    "NBGRADER_EXCHANGE": str(EXCHANGE),
    "NBGRADER_TEACHERS": ",".join(sorted(TEACHERS)),
    "JUPYTER_CONFIG_PATH": str(HUB),  # hub/nbgrader_config.py
    "COURSE_SEED": os.environ.get("COURSE_SEED", "0"),
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    # The kernels' Unix sockets live here: a socket's path may not exceed 107 characters,
    # which a runtime folder deep in a home folder can.
    "JUPYTER_RUNTIME_DIR": lambda spawner: str(RUNTIME / spawner.user.name),
}


USER_PORTS = int(os.environ.get("HUB_USER_PORTS", "20000"))


def give_notebooks(spawner):
    """A new user's home gets the students' notebooks (a teacher may use nbgitpuller instead).

    Each server also gets a port of its own (USER_PORTS + the user's number): a random port,
    the default, can be given to two servers that start at the same moment."""
    spawner.port = USER_PORTS + spawner.user.id
    home = Path(spawner.home_dir)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "notebooks").exists():
        shutil.copytree(ROOT / "notebooks", home / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))


c.Spawner.pre_spawn_hook = give_notebooks
