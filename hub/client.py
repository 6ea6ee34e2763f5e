"""Simulated students on the course's hub: the load test and the nbgrader test drive it.

A ``Student`` is made by the hub's admin token (``HUB_ADMIN_TOKEN``), gets a token of its
own, starts its server and, through the hub's proxy, opens a kernel and talks to it over the
same websocket a browser uses: ``run`` executes code; ``widgets`` lists the widget models
the kernel opened; ``drag`` sends a slider the messages a browser sends while it is dragged
and measures, for each, the time until the kernel sends the new picture.

Everything stays on 127.0.0.1, and every wait is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

AsyncHTTPClient.configure(None, max_clients=200)
HUB = Path(__file__).resolve().parent


class HubError(RuntimeError):
    """The hub or a server answered with an error, or a wait ran out of time."""


async def api(base, token, method, path, body=None, timeout=60.0):
    """A request to the hub's REST API (``base`` = ``http://127.0.0.1:8000``)."""
    request = HTTPRequest(f"{base}{path}", method=method, headers={
        "Authorization": f"token {token}", "Content-Type": "application/json"},
        body=None if body is None and method == "GET" else json.dumps(body or {}),
        request_timeout=timeout, allow_nonstandard_methods=True)
    response = await AsyncHTTPClient().fetch(request, raise_error=False)
    if response.code >= 400:
        raise HubError(f"{method} {path}: {response.code} {response.body[:300]!r}")
    return json.loads(response.body) if response.body else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """A hub of its own in a temporary folder, stopped (with its proxy) on exit."""

    def __init__(self, folder, teachers="teacher"):
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "HUB_ADMIN_TOKEN": self.token, "HUB_PASSWORD": secrets.token_hex(8),
               "HUB_PORT": str(self.port), "HUB_API_PORT": str(free_port()),
               "HUB_PROXY_API_PORT": str(free_port()), "HUB_STATE": str(folder / "state"),
               "HUB_HOMES": str(folder / "homes"), "HUB_EXCHANGE": str(folder / "exchange"),
               "HUB_TEACHERS": teachers, "HUB_USER_PORTS": str(free_port() // 2 + 10000)}
        self.log = open(folder / "hub.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f",
             str(HUB / "jupyterhub_config.py")], cwd=HUB, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    async def wait(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                await api(self.base, self.token, "GET", "/hub/api/", timeout=5)
                return self
            except Exception:  # not listening yet
                await asyncio.sleep(0.5)
        raise RuntimeError(f"the hub did not start within {timeout:.0f} s (see its log)")

    def processes(self):
        """The hub's process and all it started (proxy, servers, kernels): psutil's."""
        import psutil

        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@dataclass
class Student:
    """One user of the hub and their server."""

    base: str
    admin_token: str
    name: str
    token: str = ""
    kernel_id: str = ""
    iopub: list = field(default_factory=list)  # (arrival time, message) of every iopub message
    _ws: object = None
    _replies: dict = field(default_factory=dict)

    async def log_in_and_start(self, timeout=180.0):
        """Create the user (if new), give them a token and start their server."""
        try:
            await api(self.base, self.admin_token, "POST", f"/hub/api/users/{self.name}")
        except HubError as error:
            if " 409 " not in str(error):  # 409: the user exists already
                raise
        reply = await api(self.base, self.admin_token, "POST",
                          f"/hub/api/users/{self.name}/tokens",
                          {"note": "simulated student", "expires_in": 7200})
        self.token = reply["token"]
        try:
            await api(self.base, self.token, "POST", f"/hub/api/users/{self.name}/server")
        except HubError as error:
            if " 400 " not in str(error):  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            user = await api(self.base, self.token, "GET", f"/hub/api/users/{self.name}")
            if user["servers"].get("", {}).get("ready"):
                return
            await asyncio.sleep(0.5)
        raise HubError(f"{self.name}'s server did not start within {timeout:.0f} s")

    async def open_kernel(self, path="notebooks", timeout=300.0):
        """Start a kernel in the student's server (in ``path``, as a notebook there would)."""
        kernel = await api(self.base, self.token, "POST", f"/user/{self.name}/api/kernels",
                           {"name": "python3", "path": path}, timeout=timeout)
        self.kernel_id = kernel["id"]
        url = (f"{self.base.replace('http', 'ws', 1)}/user/{self.name}/api/kernels/"
               f"{self.kernel_id}/channels")
        self._ws = await websocket_connect(HTTPRequest(
            url, headers={"Authorization": f"token {self.token}"}, request_timeout=timeout))
        asyncio.ensure_future(self._listen())

    async def _listen(self):
        while True:
            raw = await self._ws.read_message()
            if raw is None:
                return
            if isinstance(raw, bytes):  # a binary message: a header of offsets, then parts
                message = _binary_message(raw)
            else:
                message = json.loads(raw)
            now = time.perf_counter()
            if message.get("channel") == "iopub":
                self.iopub.append((now, message))
            parent = message.get("parent_header", {}).get("msg_id")
            if message.get("channel") == "shell" and parent in self._replies:
                self._replies.pop(parent).set_result(message)

    def _send(self, channel, msg_type, content):
        msg_id = uuid.uuid4().hex
        self._ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.name,
                       "session": self.name, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
            "buffers": []}))
        return msg_id

    async def run(self, code, timeout=300.0):
        """Execute ``code``; return its reply, or raise with the error it printed."""
        msg_id = self._send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        reply = asyncio.get_running_loop().create_future()
        self._replies[msg_id] = reply
        content = (await asyncio.wait_for(reply, timeout))["content"]
        if content["status"] != "ok":
            raise HubError(f"{self.name}: {content.get('ename')}: {content.get('evalue')}")
        return content

    def output_text(self):
        """Everything the kernel printed (stdout and stderr) so far."""
        return "".join(m["content"].get("text", "") for _, m in self.iopub
                       if m["msg_type"] == "stream")

    def widgets(self):
        """``{model_id: state}`` of every widget model the kernel opened."""
        return {m["content"]["comm_id"]: m["content"]["data"]["state"] for _, m in self.iopub
                if m["msg_type"] == "comm_open"
                and m["content"].get("target_name") == "jupyter.widget"}

    def find_widget(self, model, **state):
        """The id of the newest widget model of class ``model`` with the given state."""
        found = [i for i, s in self.widgets().items() if s.get("_model_name") == model
                 and all(s.get(k) == v for k, v in state.items())]
        if not found:
            raise HubError(f"{self.name}: no {model} with {state}")
        return found[-1]

    def click(self, button):
        """Click a button, as a browser does."""
        self._send("shell", "comm_msg", {"comm_id": button, "data": {
            "method": "custom", "content": {"event": "click"}}})

    async def drag(self, slider, values, image, *, key="value", rate=10.0, timeout=30.0):
        """Move ``slider`` through ``values`` at ``rate`` messages a second, as a browser
        does while it is dragged (``key`` is ``"index"`` for a selection slider); return
        each message's latency in seconds: the time until the kernel sent a new picture to
        ``image`` after taking that value."""
        sent = []
        for value in values:
            start = time.perf_counter()
            self._send("shell", "comm_msg", {"comm_id": slider, "data": {
                "method": "update", "state": {key: value}, "buffer_paths": []}})
            sent.append(start)
            await asyncio.sleep(max(0.0, 1.0 / rate - (time.perf_counter() - start)))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            latencies = self._latencies(slider, image, sent)
            if None not in latencies:
                return latencies
            await asyncio.sleep(0.05)
        raise HubError(f"{self.name}: no picture for every slider message within {timeout} s")

    def _latencies(self, slider, image, sent):
        """Pair each sent value with the echo the kernel sends when it takes it, then with
        the first picture after that echo."""
        echoes = [t for t, m in self.iopub if m["msg_type"] == "comm_msg"
                  and m["content"]["comm_id"] == slider and t >= sent[0]
                  and m["content"]["data"].get("method") == "echo_update"]
        pictures = [t for t, m in self.iopub if m["msg_type"] == "comm_msg"
                    and m["content"]["comm_id"] == image and t >= sent[0]
                    and m["content"]["data"].get("method") == "update"]
        latencies = []
        for k, t_sent in enumerate(sent):
            if k >= len(echoes):
                latencies.append(None)
                continue
            after = [t for t in pictures if t >= echoes[k]]
            latencies.append(after[0] - t_sent if after else None)
        return latencies

    async def stop(self):
        """Close the kernel's socket and stop the server."""
        if self._ws is not None:
            self._ws.close()
        await api(self.base, self.admin_token, "DELETE", f"/hub/api/users/{self.name}/server")


def _binary_message(raw):
    """A message of the kernel websocket's binary frames (jupyter_server's default
    protocol): the number of parts and their offsets as big-endian 32-bit integers, then
    the message's JSON and its buffers."""
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (k + 1):4 * (k + 2)], "big") for k in range(count)]
    ends = offsets[1:] + [len(raw)]
    message = json.loads(raw[offsets[0]:ends[0]])
    message["buffers"] = [raw[a:b] for a, b in zip(offsets[1:], ends[1:])]
    return message
