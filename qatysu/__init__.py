"""Qatysu (Kazakh «қатысу», participation): the command line that ties the packages together."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qatysu")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0+unknown"
