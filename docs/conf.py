"""Sphinx configuration: the API reference, built from the numpydoc docstrings."""

import ldn_compound

project = "ldn_compound"
author = "ldn_compound developers"
release = version = ldn_compound.__version__
extensions = ["sphinx.ext.autodoc", "numpydoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc Parameters sections say each type and dimension
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
