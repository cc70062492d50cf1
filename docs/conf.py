"""Sphinx configuration: the user documentation (MyST pages) and the API reference."""

import ldn_compound

project = "ldn_compound"
author = "ldn_compound developers"
release = version = ldn_compound.__version__
extensions = ["myst_parser", "sphinx.ext.autodoc", "numpydoc"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# A broken internal link or reference is a warning, and CI builds with -W: an error.
nitpicky = True
# Names of other libraries (no network for intersphinx): not this project's references.
nitpick_ignore_regex = [(r"py:.*", r"(pandas|pint|numpy|datetime|attrs)\..*")]
myst_heading_anchors = 3
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True  # `DEFAULT_EQUIPMENT`, not the tuple's repr
autodoc_typehints = "none"  # the numpydoc Parameters sections say each type and dimension
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_theme_options = {"page_width": "1240px", "body_max_width": "none"}  # wide tables of output
