"""Releases: everything the site serves, built once into one folder and switched to atomically.

The web app imports only `service` (and what it needs); the build pipeline is `build`.
"""
