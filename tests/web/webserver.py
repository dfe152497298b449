"""Start `mnsim serve` for a test: a free port, a fresh journal, the URL
read from the file the server writes (--url-file); stop it with SIGTERM and
check that it stopped cleanly and removed its private folder."""
import atexit
import http.client
import os
import signal
import subprocess
import tempfile
import time
import urllib.parse


class Server:
    def __init__(self, mnsim, extra=()):
        self.tmp = tempfile.TemporaryDirectory(prefix="mnsim-webtest-")
        self.url_file = os.path.join(self.tmp.name, "url")
        env = dict(os.environ, TMPDIR=self.tmp.name)
        self.proc = subprocess.Popen(
            [mnsim, "serve", "--port", "0", "--journal",
             os.path.join(self.tmp.name, "journal.sqlite"), "--url-file", self.url_file,
             *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        # A test that fails before it stops the server (an exception) must
        # not leave it running.
        atexit.register(self._kill_if_running)
        t0 = time.monotonic()
        while not os.path.exists(self.url_file) or not open(self.url_file).read().endswith("\n"):
            if self.proc.poll() is not None:
                raise RuntimeError("mnsim serve exited: " + self.proc.stderr.read())
            if time.monotonic() - t0 > 10:
                raise RuntimeError("mnsim serve did not start in 10 s")
            time.sleep(0.02)
        self.startup_s = time.monotonic() - t0
        self.url = open(self.url_file).read().strip()
        u = urllib.parse.urlsplit(self.url)
        self.base = f"{u.scheme}://{u.netloc}"
        self.host, self.port = u.hostname, u.port
        self.token = urllib.parse.parse_qs(u.query)["token"][0]

    def work_dirs(self):
        return [d for d in os.listdir(self.tmp.name) if d.startswith("mnsim-serve-")]

    def request(self, method, path, body=None, headers=None, token=True, timeout=60):
        h = dict(headers or {})
        if token:
            h.setdefault("Authorization", "Bearer " + self.token)
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            c.close()

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def _kill_if_running(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        """SIGTERM; returns (exit code, stdout, stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise RuntimeError("mnsim serve did not stop within 30 s of SIGTERM")
        left = self.work_dirs()
        self.tmp.cleanup()
        if left:
            raise RuntimeError(f"the private folder was not removed: {left}")
        return self.proc.returncode, out, err
