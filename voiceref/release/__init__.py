"""Releases: everything the site serves, built once into one folder and switched to atomically."""

from .build import BuildReport, build_release
from .service import Release, ReleaseService

__all__ = ["BuildReport", "Release", "ReleaseService", "build_release"]
