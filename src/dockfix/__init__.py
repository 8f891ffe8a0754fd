"""dockfix: make Python code safe in how it drives Docker."""

__version__ = "0.1.0"

__all__ = ["__version__"]
